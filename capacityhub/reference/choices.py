from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    UN_REGION = "un_region", _("UN geographic region")
    UN_SUBREGION = "un_subregion", _("UN geographic sub-region")
    CBD_GROUP = "cbd_group", _("CBD regional group")
    SPECIAL_GROUP = "special_group", _("Group of countries")


class Vocabularies(models.TextChoices):
    """The vocabularies the records use; their terms are data, administered by the Secretariat."""

    THEMATIC_AREAS = "thematic-areas", _("Capacity-building areas")
    ACTIVITY_STATUS = "activity-status", _("Activity status")
    ORGANIZATION_TYPES = "organization-types", _("Organization types")
    ORGANIZATION_ROLES = "organization-roles", _("Organization roles")
    ACTIVITY_CATEGORIES = "activity-categories", _("Categories of activities")
    TARGET_GROUPS = "target-groups", _("Target groups")
    FUNDING_SOURCE_TYPES = "funding-source-types", _("Funding source types")
    RESOURCE_TYPES = "resource-types", _("Resource types")
    EXPERTISE = "expertise", _("Fields of expertise")
    OPPORTUNITY_TYPES = "opportunity-types", _("Types of opportunity")
