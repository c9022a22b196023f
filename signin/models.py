"""What the SMS sign-in remembers: each code sent (hashed, never in plain) and each request for
one, known number or not — the rate limits count these rows, so they hold across processes."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SmsCode(models.Model):
    """One request for a sign-in code. `code_hash` is empty when the number belongs to no one
    (nothing was sent, but the request counts against the number's and the address's limits
    alike, so the answer and the limits say nothing about whether the number is known)."""

    phone = models.CharField(_("手机号码"), max_length=11)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    code_hash = models.CharField(_("验证码摘要"), max_length=128, blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    wrong_guesses = models.PositiveSmallIntegerField(_("输错次数"), default=0)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [
            models.Index(fields=["phone", "created_at"], name="smscode_phone_recent"),
            models.Index(fields=["ip_address", "created_at"], name="smscode_ip_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]} {self.created_at:%Y-%m-%d %H:%M}"
