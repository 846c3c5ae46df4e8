"""Meetings and decisions as record types, registered in ``core.registry``: descriptors for the generic
list, detail, edit, history and workflow views, the API, exports, feeds, search, the dashboard and the iCal
feeds. Both are organization records (a meeting belongs to its organizer, a decision to the Secretariat
that publishes it); their test factories are in :mod:`capacityhub.meetings.testing`."""

from django.utils.translation import gettext_lazy as _

from capacityhub.core.choices import Status
from capacityhub.core.filtersets import content_language_labels
from capacityhub.core.registry import Facet, RecordType, registry
from capacityhub.reference.selectors import choice_labels, country_labels, organization_labels

from . import filtersets, forms
from .choices import MeetingKind
from .models import Decision, Meeting


def meeting_labels(values):
    ids = [int(v) for v in values if str(v).isdigit()]
    return {m.pk: m.display_title() for m in Meeting.objects.filter(pk__in=ids)}


WORKFLOW = Facet("workflow", _("Workflow status"), "status", choice_labels(Status.choices))
LANGUAGE = Facet("language", _("Language"), "original_language", content_language_labels)

MEETING = registry.register(
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

DECISION = registry.register(
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
