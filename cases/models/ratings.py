"""好差评: the enterprise's judgement of each reply, and the appeals against it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from enterprises.labels import QuickDisplay
from enterprises.models import Department


class Rating(QuickDisplay, models.Model):
    """好差评: the enterprise's judgement of one reply; appealed ratings may be excluded, never deleted."""

    class Appeal(models.TextChoices):
        NONE = "", _("未申诉")
        PENDING = "pending", _("申诉待裁定")
        UPHELD = "upheld", _("申诉成立（不计入统计）")
        REJECTED = "rejected", _("申诉不成立")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("问题")
    )
    reply_round = models.PositiveIntegerField(_("反馈轮次"))
    level = models.CharField(_("评价"), max_length=30, choices=Case.Rating.choices)
    comment = models.TextField(_("评价意见"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("评价人"),
    )
    recorded_by_cadre = models.BooleanField(_("干部回访代录"), default=False)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        related_name="ratings",
        verbose_name=_("被评价单位"),
    )
    appeal = models.CharField(
        _("申诉"), max_length=10, choices=Appeal.choices, blank=True, default=""
    )
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    appeal_note = models.TextField(_("裁定意见"), blank=True)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reply_round"], name="one_rating_per_reply")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_level_display()}"

    @property
    def counts(self) -> bool:
        return self.appeal != self.Appeal.UPHELD
