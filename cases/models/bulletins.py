"""奖惩: the office's bulletins on a department — praise, criticism, a talk (约谈), a proposal to
hold someone accountable — each with its 文号; the evaluation adds their points (analysis)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from cases.models.documents import DocumentSequence
from counties.models import County, HomeCountyByDefault
from enterprises.models import Department


class Bulletin(HomeCountyByDefault, models.Model):
    """One 通报 on one department, numbered 进四问通〔2026〕3号 (cases.documents prints the number
    from number_year and number_serial); issued through cases.bulletins, never edited afterwards:
    a correction is another bulletin."""

    class Kind(models.TextChoices):
        PRAISE = "praise", _("通报表扬")
        CRITICISM = "criticism", _("通报批评")
        INTERVIEW = "interview", _("约谈")
        ACCOUNTABILITY = "accountability", _("问责建议")

    NUMBER_KIND = DocumentSequence.Kind.BULLETIN

    # The county whose sequence numbered it (cases.documents): numbers are unique per county.
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        blank=True,  # saved without one: the first county (HomeCountyByDefault)
        related_name="+",
        verbose_name=_("所属县（区）"),
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="bulletins", verbose_name=_("部门/单位")
    )
    cases = models.ManyToManyField(
        Case, blank=True, related_name="bulletins", verbose_name=_("涉及问题")
    )
    number_year = models.PositiveSmallIntegerField(_("文号年份"), editable=False)
    number_serial = models.PositiveIntegerField(_("文号序号"), editable=False)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("通报内容"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发布人"),
    )
    issued_at = models.DateTimeField(_("发布时间"))

    class Meta:
        verbose_name = _("奖惩通报")
        verbose_name_plural = _("奖惩通报")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "number_year", "number_serial"], name="bulletin_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["department", "-issued_at"], name="bulletin_department_recent")
        ]

    def __str__(self) -> str:
        return self.title
