"""Organizations and contacts as record types."""

from django.utils.translation import gettext_lazy as _

from capacityhub.core.filtersets import content_language_labels
from capacityhub.core.registry import Facet, RecordType, registry

from .choices import Vocabularies
from .filtersets import ContactFilterSet, OrganizationFilterSet
from .forms import ContactForm, OrganizationForm
from .models import Contact, Organization
from .selectors import country_labels, organization_labels, term_labels

COMMON_SORTS = {
    "title": (_("Name"), ("sort_title",)),
    "-updated": (_("Recently updated"), ("-updated_at",)),
}

registry.register(
    RecordType(
        key="organization",
        model=Organization,
        namespace="reference",
        path="organizations",
        filterset=OrganizationFilterSet,
        form=OrganizationForm,
        facets=[
            Facet("type", _("Type"), "org_type__code", term_labels(Vocabularies.ORGANIZATION_TYPES)),
            Facet("country", _("Country"), "country__iso2", country_labels),
            Facet("language", _("Language"), "original_language", content_language_labels),
        ],
        sorts=COMMON_SORTS,
        default_sort="title",
        list_select_related=("org_type", "country"),
        detail_select_related=("org_type", "country", "merged_into"),
        detail_template="reference/organization_detail.html",
        row_template="reference/organization_row.html",
    )
)

registry.register(
    RecordType(
        key="contact",
        model=Contact,
        namespace="reference",
        path="contacts",
        filterset=ContactFilterSet,
        form=ContactForm,
        facets=[
            Facet("organization", _("Organization"), "organization_id", organization_labels),
            Facet("country", _("Country"), "country__iso2", country_labels),
        ],
        sorts=COMMON_SORTS,
        default_sort="title",
        list_select_related=("organization", "country"),
        detail_select_related=("organization", "country"),
        detail_template="reference/contact_detail.html",
        row_template="reference/contact_row.html",
    )
)
