"""Meetings and decisions as record types: descriptors for the generic list, detail, edit, history and
workflow views, the API and the iCal feeds.

They are *attached* to their models (``Model.record_type``) rather than registered in
``core.registry.registry``: the uniform record-type tests build records with
``core.testing.factories.make_record``, which only knows the registry's own types. To register them,
give ``make_record`` a per-type factory hook, then replace :func:`attach` by ``registry.register`` and
append their ``Case`` to ``core/testing/cases.py`` (both are organization records published by the
Secretariat or the organizer)."""

from django.utils.translation import gettext_lazy as _

from capacityhub.core.choices import Status
from capacityhub.core.filtersets import content_language_labels
from capacityhub.core.registry import Facet, RecordType
from capacityhub.reference.selectors import choice_labels, country_labels, organization_labels

from . import filtersets, forms
from .choices import MeetingKind
from .models import Decision, Meeting


def attach(record_type):
    """Make ``record_type`` the descriptor of its model, as ``registry.register`` does."""
    record_type.model.record_type = record_type
    return record_type


def meeting_labels(values):
    ids = [int(v) for v in values if str(v).isdigit()]
    return {m.pk: m.display_title() for m in Meeting.objects.filter(pk__in=ids)}


WORKFLOW = Facet("workflow", _("Workflow status"), "status", choice_labels(Status.choices))
LANGUAGE = Facet("language", _("Language"), "original_language", content_language_labels)

MEETING = attach(
    RecordType(
        key="meeting",
        model=Meeting,
        namespace="meetings",
        path="meetings",
        filterset=filtersets.MeetingFilterSet,
        form=forms.MeetingForm,
        inlines=[forms.AgendaItemFormSet],
        facets=[
            Facet("kind", _("Kind of meeting"), "kind", choice_labels(MeetingKind.choices)),
            Facet("year", _("Year"), "start_date__year", limit=20),
            Facet("country", _("Country"), "country__iso2", country_labels),
            Facet("organization", _("Organizer"), "organizer_id", organization_labels),
            LANGUAGE,
            WORKFLOW,
        ],
        sorts={
            "-start": (_("Latest first"), ("-start_date",)),
            "start": (_("Earliest first"), ("start_date",)),
            "title": (_("Title"), ("sort_title",)),
        },
        default_sort="-start",
        list_select_related=("country", "organizer"),
        detail_select_related=("country", "organizer"),
        detail_prefetch_related=(
            "agenda_items",
            "documents__files",
            "documents__agenda_item",
            "recommendations__decisions",
            "participant_countries",
            "participant_organizations",
            "decisions_adopted",
            "decisions",
        ),
        list_template="meetings/meeting_list.html",
        detail_template="meetings/meeting_detail.html",
        row_template="meetings/meeting_row.html",
    )
)

DECISION = attach(
    RecordType(
        key="decision",
        model=Decision,
        namespace="meetings",
        path="decisions",
        filterset=filtersets.DecisionFilterSet,
        form=forms.DecisionForm,
        inlines=[forms.ParagraphFormSet],
        facets=[
            Facet("meeting", _("Adopted at"), "meeting_id", meeting_labels),
            Facet("year", _("Year"), "adopted_on__year", limit=20),
            LANGUAGE,
            WORKFLOW,
        ],
        sorts={
            "-adopted": (_("Latest first"), ("-adopted_on", "symbol")),
            "adopted": (_("Earliest first"), ("adopted_on", "symbol")),
            "symbol": (_("Symbol"), ("symbol",)),
        },
        default_sort="-adopted",
        list_select_related=("meeting", "publisher"),
        detail_select_related=("meeting", "publisher"),
        detail_prefetch_related=(
            "paragraphs",
            "considered_meetings",
            "considered_documents__meeting",
            "recommendations__meeting",
        ),
        list_template="meetings/meeting_list.html",
        detail_template="meetings/decision_detail.html",
        row_template="meetings/decision_row.html",
    )
)
