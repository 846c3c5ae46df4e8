"""The conference as a record type, registered in ``core.registry``: the descriptor of its list (search,
facets, sorts), history page, exports, feed, search entry, dashboard rows and API. Its detail, edit and
workflow pages are the conference's own (``conferences.views``), at the URL names every record type has
(``conference``, ``conference_add``, ``conference_edit``, ``conference_transition``…)."""

from django.utils.translation import gettext_lazy as _

from capacityhub.core.registry import Facet, RecordType, registry
from capacityhub.meetings.record_types import LANGUAGE, WORKFLOW
from capacityhub.reference.selectors import organization_labels

from . import filtersets, forms
from .models import Conference

CONFERENCE = registry.register(
    RecordType(
        key="conference",
        model=Conference,
        namespace="conferences",
        path="conferences",
        filterset=filtersets.ConferenceFilterSet,
        form=forms.ConferenceForm,
        facets=[
            Facet("year", _("Year"), "start_date__year", limit=20),
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
        list_select_related=("organizer",),
        detail_select_related=("organizer", "feeds_meeting"),
        list_template="meetings/meeting_list.html",
        row_template="conferences/conference_row.html",
    )
)
