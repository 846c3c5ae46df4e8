from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "capacityhub.plans"
    verbose_name = _("Plans, questionnaires and submissions")

    def ready(self):
        from . import record_types  # noqa: F401
