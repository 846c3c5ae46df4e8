from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "capacityhub.conferences"
    verbose_name = _("Online conferences")

    def ready(self):
        from . import record_types  # noqa: F401
