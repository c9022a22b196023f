"""The meetings that assign and dispatch cases, with their minutes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from counties.models import County, HomeCountyByDefault
from enterprises.labels import QuickDisplay
from taskforces.models import TaskForce


class Meeting(HomeCountyByDefault, QuickDisplay, models.Model):
    """交办会 / 调度会 / a task force's review, with its minutes (纪要)."""

    class Kind(models.TextChoices):
        ASSIGNMENT = "assignment", _("交办会")
        DISPATCH = "dispatch", _("调度会")
        TASKFORCE_REVIEW = "taskforce_review", _("专班研究会")

    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        blank=True,  # saved without one: the first county (HomeCountyByDefault)
        related_name="+",
        verbose_name=_("所属县（区）"),
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("日期"))
    attendees = models.TextField(_("参会人员"), blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    decisions = models.TextField(_("议定事项"), blank=True)
    task_force = models.ForeignKey(
        TaskForce,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("专班"),
    )
    cases = models.ManyToManyField(
        Case, blank=True, related_name="meetings", verbose_name=_("研究的问题")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"
