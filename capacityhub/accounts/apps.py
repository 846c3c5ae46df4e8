from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "capacityhub.accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from . import signals  # noqa: F401  (the session clock starts at sign-in)
