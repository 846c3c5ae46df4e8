from django.db import models
from django.utils.translation import gettext_lazy as _


class GeographicScope(models.TextChoices):
    NATIONAL = "national", _("National")
    SUBREGIONAL = "subregional", _("Sub-regional")
    REGIONAL = "regional", _("Regional")
    GLOBAL = "global", _("Global")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Timeframe(models.TextChoices):
    SHORT = "short", _("Short term (within 2 years)")
    MEDIUM = "medium", _("Medium term (2 to 5 years)")
    LONG = "long", _("Long term (more than 5 years)")


class NeedSource(models.TextChoices):
    NEEDS_ASSESSMENT = "needs_assessment", _("Needs assessment")
    NATIONAL_REPORT = "national_report", _("National report")
    OTHER = "other", _("Other")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    BEING_ADDRESSED = "being_addressed", _("Being addressed")
    MET = "met", _("Met")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    LIMITED = "limited", _("Limited availability")
    UNAVAILABLE = "unavailable", _("Not available at present")


class DurationUnit(models.TextChoices):
    DAYS = "days", _("Days")
    MONTHS = "months", _("Months")
    YEARS = "years", _("Years")
