from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class VersionAction(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned with a comment")
    ARCHIVED = "archived", _("Archived")
    MERGED = "merged", _("Merged")
    IMPORTED = "imported", _("Imported")


class Scope(models.TextChoices):
    """Who is responsible for a kind of record: a country's users or an organization's."""

    COUNTRY = "country", _("National record")
    ORGANIZATION = "organization", _("Organization record")
