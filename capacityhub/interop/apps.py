from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "capacityhub.interop"
    verbose_name = _("Interoperability: IATI, BCH, imports, exports and feeds")
