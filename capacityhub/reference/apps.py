from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    name = "capacityhub.reference"
    verbose_name = _("Reference data")

    def ready(self):
        from . import record_types  # noqa: F401
