"""The office's working-day calendar: the dates it sets against the published schedule."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """One date whose working-day status the office sets: it wins over the published schedule
    (chinesecalendar) and the statutory estimate of a year nobody has published (cases.workdays)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("休息日（节假日）")
        WORKDAY = "workday", _("工作日（含调休上班）")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
