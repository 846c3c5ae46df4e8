from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "capacityhub.meetings"
    verbose_name = _("Meetings and decisions")

    def ready(self):
        from . import record_types  # noqa: F401
