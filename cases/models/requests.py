"""What a department asks the office to decide: an extension or a suspension."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from enterprises.labels import QuickDisplay


class Request(QuickDisplay, models.Model):
    """A department's request that the office decides: an extension or a suspension."""

    class Kind(models.TextChoices):
        EXTENSION = "extension", _("延期")
        SUSPENSION = "suspension", _("挂起")

    class State(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("不同意")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="requests", verbose_name=_("问题")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("申请人"),
    )
    reason = models.TextField(_("理由"))
    resolve_due_at = models.DateTimeField(_("申请的办结期限"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("延期/挂起申请")
        verbose_name_plural = _("延期/挂起申请")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(state="pending"),
                name="one_pending_request_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()} {self.get_state_display()}"
