from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: backup and restore, and the page shown while the database is unreachable."""

    name = "capacityhub.ops"
    verbose_name = _("Operations")

    def ready(self):
        from . import middleware  # noqa: F401  (connects the request-exception receiver)
