from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "capacityhub.coordination"
    verbose_name = _("Coordination analytics")

    def ready(self):
        from . import hooks

        hooks.connect()
