from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo county (`manage.py seed_demo`): built through the same services as real use, so it
    sits above every domain app and below nothing but the benchmark and the project."""

    name = "demo"
    verbose_name = _("演示数据")
