"""The office's working-day calendar: the dates it sets against the published schedule."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from counties.models import County


class CalendarOverride(models.Model):
    """One date whose working-day status the office sets: it wins over the published schedule
    (chinesecalendar) and the statutory estimate of a year nobody has published (cases.workdays)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("休息日（节假日）")
        WORKDAY = "workday", _("工作日（含调休上班）")

    # Blank: the date holds in every county (the national schedule as the office enters it); a
    # county's own row adds a local day on top of it and wins over it for that county's cases.
    county = models.ForeignKey(
        County,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("适用县（区）"),
        help_text=_("留空则全市各县（区）通用。"),
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=Q(county__isnull=True), name="calendar_date_once"
            ),
            models.UniqueConstraint(
                fields=["county", "date"], name="calendar_date_once_per_county"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
