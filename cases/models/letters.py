"""交办函: the letter a 交办会 sends each lead department, with its 文号 and the 回执 signed back."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.meetings import Meeting
from counties.models import County, HomeCountyByDefault
from enterprises.models import Department


class AssignmentLetter(HomeCountyByDefault, models.Model):
    """One meeting's letter to one lead department (cases.letters issues and signs it).

    Its number (进四问交〔2026〕3号) is taken when the office first issues it and never again: the
    year and serial of the ASSIGNMENT sequence (cases.documents), and the number as printed that
    day — an official identifier stays as issued. Which cases it lists is read from the meeting
    (cases.letters.letter_cases), as the page always did."""

    # The county whose sequence numbered it (cases.documents): numbers are unique per county.
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        blank=True,  # saved without one: the first county (HomeCountyByDefault)
        related_name="+",
        verbose_name=_("所属县（区）"),
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="letters", verbose_name=_("会议")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="assignment_letters",
        verbose_name=_("牵头部门"),
    )
    year = models.PositiveSmallIntegerField(_("文号年份"))
    serial = models.PositiveIntegerField(_("文号序号"))
    number = models.CharField(_("文号"), max_length=40, unique=True)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("出具人"),
    )
    issued_at = models.DateTimeField(_("出具时间"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("回执签收人"),
    )
    signed_at = models.DateTimeField(_("回执签收时间"), null=True, blank=True)
    receipt_note = models.TextField(_("回执说明"), blank=True)

    class Meta:
        verbose_name = _("交办函")
        verbose_name_plural = _("交办函")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "department"], name="assignment_letter_meeting_department"
            ),
            models.UniqueConstraint(
                fields=["county", "year", "serial"], name="assignment_letter_number"
            ),
            models.CheckConstraint(
                condition=Q(signed_by__isnull=True, signed_at__isnull=True)
                | Q(signed_by__isnull=False, signed_at__isnull=False),
                name="assignment_letter_signed_by_and_at",
            ),
        ]
        indexes = [models.Index(fields=["department", "signed_at"], name="letter_dept_signed")]

    def __str__(self) -> str:
        return f"{self.number} {self.department}"

    @property
    def signed(self) -> bool:
        return self.signed_at is not None
