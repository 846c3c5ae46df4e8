from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "capacityhub.notifications"
    verbose_name = _("Subscriptions and alerts")

    def ready(self):
        from . import signals  # noqa: F401
