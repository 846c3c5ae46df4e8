from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    """A reviewer's decision on a pair of initiatives; it sticks across re-analysis."""

    NOT_OVERLAP = "not_overlap", _("Not an overlap")
    COMPLEMENTARY = "complementary", _("Complementary")
    DUPLICATE = "duplicate", _("Duplicate")


class State(models.TextChoices):
    """Where an initiative stands for coverage: active and planned initiatives count."""

    ACTIVE = "active", _("Active")
    PLANNED = "planned", _("Planned")
    CLOSED = "closed", _("Closed")
    STOPPED = "stopped", _("Cancelled or suspended")


class Freshness(models.TextChoices):
    CURRENT = "current", _("Up to date")
    ONGOING_AFTER_END = "ongoing_after_end", _("Still ongoing after its end date")
    NOT_UPDATED = "not_updated", _("Not updated in 12 months")
    ROSTER_EXPIRING = "roster_expiring", _("About to leave the roster")
    ROSTER_EXPIRED = "roster_expired", _("No longer on the roster")
    DEADLINE_PASSED = "deadline_passed", _("Application deadline passed")


class RunKind(models.TextChoices):
    FULL = "full", _("Full re-analysis")
    INCREMENTAL = "incremental", _("One initiative")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class TruthKind(models.TextChoices):
    OVERLAP = "overlap", _("Overlap")
    DUPLICATE = "duplicate", _("Duplicate")


# Activity status codes (IATI ActivityStatus) grouped into coverage states.
STATE_OF_STATUS = {
    "pipeline": State.PLANNED,
    "implementation": State.ACTIVE,
    "finalisation": State.ACTIVE,
    "closed": State.CLOSED,
    "cancelled": State.STOPPED,
    "suspended": State.STOPPED,
}
COUNTED_STATES = (State.ACTIVE, State.PLANNED)
FUNDING_ROLES = ("funding", "co-funding")
IMPLEMENTING_ROLES = ("implementing", "executing", "accountable")

# Thematic areas (capacity-building areas) → fields of expertise of the roster that serve them.
EXPERTISE_FOR_AREA = {
    "institutional-capacity": ["law-policy", "information-management"],
    "mainstreaming": ["law-policy", "socio-economics"],
    "risk-assessment": ["risk-assessment", "molecular-biology", "ecology", "food-safety"],
    "risk-management": ["risk-management", "ecology", "biodiversity"],
    "public-awareness": ["public-awareness"],
    "information-exchange": ["information-management"],
    "collaboration": ["law-policy", "information-management"],
    "technology-transfer": ["molecular-biology", "plant-breeding", "animal-biotechnology"],
    "detection": ["detection-identification", "molecular-biology"],
    "socioeconomic": ["socio-economics"],
    "documentation": ["customs-enforcement", "detection-identification"],
    "confidential-information": ["law-policy", "information-management"],
    "transboundary-movements": ["customs-enforcement", "detection-identification", "law-policy"],
    "research": ["molecular-biology", "ecology", "synthetic-biology", "biodiversity"],
    "human-health": ["food-safety", "risk-assessment"],
    "liability-redress": ["liability-redress", "law-policy"],
    "other": [],
}
