from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "capacityhub.registry"
    verbose_name = _("Shared records")

    def ready(self):
        from . import record_types  # noqa: F401
