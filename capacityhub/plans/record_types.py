"""Submissions as a record type: list, detail, history, workflow and API come from the registry."""

from django.utils.translation import gettext_lazy as _

from capacityhub.core.choices import Status
from capacityhub.core.filtersets import content_language_labels
from capacityhub.core.registry import Facet, RecordType, registry
from capacityhub.reference.selectors import choice_labels, country_labels, organization_labels, region_labels

from .filtersets import SubmissionFilterSet
from .forms import SubmissionForm
from .models import ReportingCycle, Submission


def cycle_labels(values):
    ids = [int(v) for v in values if str(v).isdigit()]
    return {c.pk: str(c) for c in ReportingCycle.objects.filter(pk__in=ids)}


def late_labels(values):
    return {value: _("Late") if value in (True, "True", "true") else _("On time") for value in values}


registry.register(
    RecordType(
        key="submission",
        model=Submission,
        namespace="plans",
        path="submissions",
        filterset=SubmissionFilterSet,
        form=SubmissionForm,
        facets=[
            Facet("cycle", _("Reporting cycle"), "cycle_id", cycle_labels),
            Facet("country", _("Country"), "country__iso2", country_labels, limit=15),
            Facet("region", _("Region or group"), "country__regions__code", region_labels),
            Facet("organization", _("Organization"), "organization_id", organization_labels),
            Facet("late", _("Received"), "is_late", late_labels),
            Facet("language", _("Language"), "original_language", content_language_labels),
            Facet("workflow", _("Workflow status"), "status", choice_labels(Status.choices)),
        ],
        sorts={
            "-updated": (_("Recently updated"), ("-updated_at",)),
            "title": (_("Title"), ("sort_title",)),
            "-received": (_("Recently received"), ("-received_at",)),
        },
        list_select_related=("cycle", "country", "organization"),
        detail_select_related=(
            "cycle",
            "cycle__questionnaire",
            "cycle__questionnaire__plan",
            "country",
            "organization",
        ),
        detail_template="plans/submission_detail.html",
        row_template="plans/submission_row.html",
    )
)
