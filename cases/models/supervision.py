"""督办单: the office's written supervision notice to one department about one or more of its
cases, numbered (文号) and answered in writing by a reply-by day (cases.supervision_notices)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from cases.models.documents import DocumentSequence
from counties.models import County, HomeCountyByDefault
from enterprises.models import Department


class SupervisionNotice(HomeCountyByDefault, models.Model):
    """One 督办单: its number, the department it goes to and the cases it is about, what the
    office asks (督办事项) and by when the department answers, and the answer once written."""

    # The 文号 (cases.documents): always a supervision number, kept with its kind so the three
    # fields print it (document_number) and are unique together like every numbered document.
    # The county whose sequence numbered it (cases.documents): numbers are unique per county.
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        blank=True,  # saved without one: the first county (HomeCountyByDefault)
        related_name="+",
        verbose_name=_("所属县（区）"),
    )
    kind = models.CharField(
        _("文种"),
        max_length=20,
        choices=DocumentSequence.Kind.choices,
        default=DocumentSequence.Kind.SUPERVISION,
        editable=False,
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    serial = models.PositiveIntegerField(_("序号"))
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="supervision_notices",
        verbose_name=_("督办单位"),
    )
    cases = models.ManyToManyField(
        Case, related_name="supervision_notices", verbose_name=_("督办的问题")
    )
    text = models.TextField(_("督办事项"))
    reply_working_days = models.PositiveSmallIntegerField(_("回复期限（工作日）"))
    reply_by = models.DateField(_("回复期限"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("开具人"),
    )
    issued_at = models.DateTimeField(_("开具时间"))
    answer = models.TextField(_("书面回复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("回复人"),
    )
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "kind", "year", "serial"], name="supervision_notice_number"
            )
        ]
        indexes = [
            # A department's own notices, newest first (its workspace).
            models.Index(fields=["department", "-issued_at"], name="supervision_notice_dept"),
        ]

    def __str__(self) -> str:
        # The printed 文号 is cases.documents.document_number's (it reads this package, so the
        # model does not import it): pages use the document_number filter (web.templatetags).
        return f"{self.get_kind_display()} {self.year}-{self.serial}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None
