from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("接口")

    def ready(self):
        from api.tokens import connect_receivers

        connect_receivers()  # API tokens die with the password they were issued under
