"""文号: the numbers of the office's documents — 督办单, 交办函, 通报 — one sequence per kind and year."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from counties.models import County, HomeCountyByDefault


class DocumentSequence(HomeCountyByDefault, models.Model):
    """The last number issued for one kind of document in one year; its row is locked while a
    document takes the next number, so numbers run without gaps or repeats (cases.documents)."""

    class Kind(models.TextChoices):
        SUPERVISION = "supervision", _("督办单")
        ASSIGNMENT = "assignment", _("交办函")
        BULLETIN = "bulletin", _("通报")

    county = models.ForeignKey(
        County,
        on_delete=models.CASCADE,
        blank=True,  # saved without one: the first county (HomeCountyByDefault)
        related_name="+",
        verbose_name=_("县（区）"),
    )
    kind = models.CharField(_("文种"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年份"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("文号计数")
        verbose_name_plural = _("文号计数")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "kind", "year"], name="document_sequence_county_kind_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.last}"
