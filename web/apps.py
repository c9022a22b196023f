from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "web"
    verbose_name = _("页面")

    def ready(self):
        from web import (
            display,  # noqa: F401 — the large-text choice follows the user's sign-in
            remembered,
        )

        remembered.connect()
