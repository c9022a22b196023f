"""What the web pages keep per user: how they are shown."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DisplayPreference(models.Model):
    """A user's choice of how the pages look (web/display.py); no row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="display_preference",
        verbose_name=_("用户"),
    )
    # 适老化: every page's text, controls and spacing a quarter larger (static/site/site.css).
    large_text = models.BooleanField(_("大字模式"), default=False)

    class Meta:
        verbose_name = _("显示设置")
        verbose_name_plural = _("显示设置")

    def __str__(self) -> str:
        return f"{self.user} · {self.large_text}"
