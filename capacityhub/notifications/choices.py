from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("An e-mail for each new item")
    DAILY = "daily", _("A daily digest")
    NONE = "none", _("No e-mail")


class FollowKind(models.TextChoices):
    """What a follow is of (derived from its target's model)."""

    RECORD = "record", _("Record")
    COUNTRY = "country", _("Country")
    AREA = "area", _("Capacity-building area")
    CONFERENCE = "conference", _("Online conference")
    TOPIC = "topic", _("Conference topic")
