"""What the departments take on for a case: the breakdown list (责任清单) and the public
promises (亮诺/践诺)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from enterprises.models import Department


class BreakdownItem(models.Model):
    """责任清单: one part of a case, with its department, measure and due date."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="breakdown_items", verbose_name=_("问题")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任单位")
    )
    measure = models.TextField(_("措施"))
    due_on = models.DateField(_("完成时限"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("责任清单项")
        verbose_name_plural = _("责任清单")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.measure[:40]


class Commitment(models.Model):
    """亮诺/践诺: a public promise to act by a date; kept, missed, or still open."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("问题")
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("承诺人"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("承诺单位"),
    )
    text = models.TextField(_("承诺内容"))
    due_on = models.DateField(_("承诺期限"))
    kept_at = models.DateTimeField(_("践诺时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("亮诺时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("承诺")
        verbose_name_plural = _("承诺")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text[:40]

    def state_on(self, today) -> str:
        if self.kept_at:
            return "kept"
        return "missed" if today > self.due_on else "open"
