"""The shared records as record types: each declares its filters, facets, sorts, form and inline rows."""

from django.utils.translation import gettext_lazy as _

from capacityhub.core.choices import Status
from capacityhub.core.filtersets import content_language_labels
from capacityhub.core.registry import Facet, RecordType, registry
from capacityhub.reference.choices import Vocabularies
from capacityhub.reference.selectors import (
    choice_labels,
    country_labels,
    organization_labels,
    region_labels,
    term_labels,
)

from . import filtersets, forms
from .choices import Availability, GeographicScope, NeedSource, NeedStatus, Priority
from .models import CountryProfile, Expert, Initiative, Need, Opportunity, Resource

AREA = Facet(
    "area", _("Thematic area"), "thematic_areas__code", term_labels(Vocabularies.THEMATIC_AREAS), limit=20
)
LANGUAGE = Facet("language", _("Language"), "original_language", content_language_labels)
WORKFLOW = Facet("workflow", _("Workflow status"), "status", choice_labels(Status.choices))


TITLE = _("Title")


def title_sorts(title_label=TITLE):
    return {
        "-updated": (_("Recently updated"), ("-updated_at",)),
        "title": (title_label, ("sort_title",)),
    }


registry.register(
    RecordType(
        key="initiative",
        model=Initiative,
        namespace="registry",
        path="initiatives",
        filterset=filtersets.InitiativeFilterSet,
        form=forms.InitiativeForm,
        inlines=[forms.InitiativeCountryFormSet, forms.InitiativeRegionFormSet, forms.ParticipationFormSet],
        facets=[
            Facet("country", _("Country"), "countries__iso2", country_labels, limit=15),
            Facet("region", _("Region or group"), "countries__regions__code", region_labels),
            AREA,
            Facet("status", _("Status"), "activity_status__code", term_labels(Vocabularies.ACTIVITY_STATUS)),
            Facet("organization", _("Organization"), "participations__organization_id", organization_labels),
            Facet(
                "role",
                _("Role of the organization"),
                "participations__role__code",
                term_labels(Vocabularies.ORGANIZATION_ROLES),
            ),
            Facet("scope", _("Geographic scope"), "geographic_scope", choice_labels(GeographicScope.choices)),
            Facet("year", _("Start year"), "planned_start__year", limit=15),
            LANGUAGE,
            WORKFLOW,
        ],
        sorts={
            **title_sorts(),
            "-start": (_("Latest start"), ("-planned_start",)),
            "start": (_("Earliest start"), ("planned_start",)),
            "-budget": (_("Largest budget"), ("-budget",)),
        },
        list_select_related=("activity_status", "publisher"),
        list_prefetch_related=("countries", "thematic_areas"),
        detail_select_related=("activity_status", "publisher", "part_of"),
        detail_prefetch_related=(
            "country_shares__country",
            "region_shares__region",
            "participations__organization",
            "participations__role",
            "thematic_areas",
            "categories",
            "target_groups",
            "funding_source_types",
            "contacts",
            "components",
        ),
        detail_template="registry/initiative_detail.html",
        row_template="registry/initiative_row.html",
    )
)

registry.register(
    RecordType(
        key="need",
        model=Need,
        namespace="registry",
        path="needs",
        filterset=filtersets.NeedFilterSet,
        form=forms.NeedForm,
        facets=[
            Facet("country", _("Country"), "country__iso2", country_labels, limit=15),
            Facet("region", _("Region or group"), "country__regions__code", region_labels),
            AREA,
            Facet("priority", _("Priority"), "priority", choice_labels(Priority.choices)),
            Facet("status", _("Status"), "need_status", choice_labels(NeedStatus.choices)),
            Facet("source", _("Source"), "source", choice_labels(NeedSource.choices)),
            Facet("year", _("Year"), "created_at__year"),
            LANGUAGE,
            WORKFLOW,
        ],
        sorts={
            **title_sorts(),
            "priority": (_("Priority"), ("priority",)),
            "created": (_("Oldest first"), ("created_at",)),
        },
        list_select_related=("country",),
        list_prefetch_related=("thematic_areas",),
        detail_select_related=("country",),
        detail_prefetch_related=("thematic_areas",),
        detail_template="registry/need_detail.html",
        row_template="registry/need_row.html",
    )
)

registry.register(
    RecordType(
        key="opportunity",
        model=Opportunity,
        namespace="registry",
        path="opportunities",
        filterset=filtersets.OpportunityFilterSet,
        form=forms.OpportunityForm,
        facets=[
            Facet("kind", _("Type"), "kind__code", term_labels(Vocabularies.OPPORTUNITY_TYPES)),
            AREA,
            Facet("country", _("Country"), "country__iso2", country_labels),
            Facet("organization", _("Provider"), "providers__id", organization_labels),
            Facet("year", _("Year"), "start_date__year"),
            LANGUAGE,
            WORKFLOW,
        ],
        sorts={
            "deadline": (_("Application deadline"), ("application_deadline",)),
            **title_sorts(),
            "-start": (_("Latest start"), ("-start_date",)),
        },
        default_sort="-updated",
        list_select_related=("kind", "country", "publisher"),
        list_prefetch_related=("thematic_areas",),
        detail_select_related=("kind", "country", "publisher"),
        detail_prefetch_related=("providers", "eligible_countries", "eligible_regions", "thematic_areas"),
        detail_template="registry/opportunity_detail.html",
        row_template="registry/opportunity_row.html",
    )
)

registry.register(
    RecordType(
        key="resource",
        model=Resource,
        namespace="registry",
        path="resources",
        filterset=filtersets.ResourceFilterSet,
        form=forms.ResourceForm,
        inlines=[forms.ResourceFileFormSet],
        facets=[
            Facet("type", _("Type"), "resource_type__code", term_labels(Vocabularies.RESOURCE_TYPES)),
            AREA,
            Facet("organization", _("Publisher"), "publisher_id", organization_labels),
            Facet("year", _("Year"), "year", limit=15),
            Facet("file_language", _("Language of the files"), "files__language", content_language_labels),
            LANGUAGE,
            WORKFLOW,
        ],
        sorts={**title_sorts(), "-year": (_("Newest"), ("-year",))},
        list_select_related=("resource_type", "publisher"),
        list_prefetch_related=("thematic_areas", "files"),
        detail_select_related=("resource_type", "publisher"),
        detail_prefetch_related=("thematic_areas", "files"),
        detail_template="registry/resource_detail.html",
        row_template="registry/resource_row.html",
    )
)

registry.register(
    RecordType(
        key="expert",
        model=Expert,
        namespace="registry",
        path="experts",
        filterset=filtersets.ExpertFilterSet,
        form=forms.ExpertForm,
        facets=[
            Facet(
                "expertise",
                _("Field of expertise"),
                "expertise__code",
                term_labels(Vocabularies.EXPERTISE),
                limit=20,
            ),
            Facet("country", _("Nominating country"), "country__iso2", country_labels, limit=15),
            Facet("region", _("Region or group"), "country__regions__code", region_labels),
            Facet("availability", _("Availability"), "availability", choice_labels(Availability.choices)),
            LANGUAGE,
            WORKFLOW,
        ],
        sorts={**title_sorts(_("Name")), "nominated": (_("Nomination date"), ("-nominated_at",))},
        default_sort="title",
        list_select_related=("country", "organization"),
        list_prefetch_related=("expertise",),
        detail_select_related=("country", "nationality", "organization"),
        detail_prefetch_related=("expertise",),
        detail_template="registry/expert_detail.html",
        row_template="registry/expert_row.html",
    )
)

registry.register(
    RecordType(
        key="countryprofile",
        model=CountryProfile,
        namespace="registry",
        path="country-profiles",
        filterset=filtersets.CountryProfileFilterSet,
        form=forms.CountryProfileForm,
        facets=[
            Facet("region", _("Region or group"), "country__regions__code", region_labels),
            LANGUAGE,
            WORKFLOW,
        ],
        sorts={
            "title": (_("Country"), ("country__name_en",)),
            "-updated": (_("Recently updated"), ("-updated_at",)),
        },
        default_sort="title",
        list_select_related=("country",),
        detail_select_related=("country",),
        detail_template="registry/countryprofile_detail.html",
        row_template="registry/countryprofile_row.html",
    )
)
