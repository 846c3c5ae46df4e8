from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator (Secretariat)")
    FOCAL_POINT = "focal_point", _("National focal point")
    AUTHORIZED_USER = "authorized_user", _("National authorized user")
    ORG_PUBLISHER = "org_publisher", _("Organization publisher")
    MODERATOR = "moderator", _("Conference moderator")


COUNTRY_ROLES = {Role.FOCAL_POINT, Role.AUTHORIZED_USER}
