from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises.models import Department


class WebhookSubscription(models.Model):
    """Which notification kinds a department's group robot receives (empty list: all of them).

    The URL itself stays on Department.webhook_url, where the transports read it; this row only
    narrows what is sent there. The department's head edits both on one page.
    """

    department = models.OneToOneField(
        Department,
        on_delete=models.CASCADE,
        related_name="webhook_subscription",
        verbose_name=_("部门/单位"),
    )
    # Notification.Kind values; an empty list means every kind.
    event_kinds = models.JSONField(_("推送的消息类型"), default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("群机器人推送设置")
        verbose_name_plural = _("群机器人推送设置")

    def __str__(self) -> str:
        return f"{self.department}"
