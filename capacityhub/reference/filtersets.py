from django.utils.translation import gettext_lazy as _

from capacityhub.core.filtersets import CodeFilter, RecordFilterSet

from .models import Contact, Organization


class OrganizationFilterSet(RecordFilterSet):
    type = CodeFilter(field_name="org_type__code", label=_("Type"))
    country = CodeFilter(field_name="country__iso2", label=_("Country"))

    class Meta:
        model = Organization
        fields = []


class ContactFilterSet(RecordFilterSet):
    organization = CodeFilter(field_name="organization_id", label=_("Organization"))
    country = CodeFilter(field_name="country__iso2", label=_("Country"))

    class Meta:
        model = Contact
        fields = []
