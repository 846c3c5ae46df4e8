"""One FilterSet per record type, shared by list pages, exports and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from capacityhub.core.filtersets import CodeFilter, RecordFilterSet

from .models import CountryProfile, Expert, Initiative, Need, Opportunity, Resource


class InitiativeFilterSet(RecordFilterSet):
    country = CodeFilter(field_name="countries__iso2", label=_("Country"), many=True)
    region = CodeFilter(field_name="countries__regions__code", label=_("Region or group"), many=True)
    area = CodeFilter(field_name="thematic_areas__code", label=_("Thematic area"), many=True)
    status = CodeFilter(field_name="activity_status__code", label=_("Status"))
    organization = CodeFilter(
        field_name="participations__organization_id", label=_("Organization"), many=True
    )
    role = CodeFilter(field_name="participations__role__code", label=_("Role of the organization"), many=True)
    year = CodeFilter(field_name="planned_start__year", label=_("Start year"))
    scope = CodeFilter(field_name="geographic_scope", label=_("Geographic scope"))

    class Meta:
        model = Initiative
        fields = []


class NeedFilterSet(RecordFilterSet):
    country = CodeFilter(field_name="country__iso2", label=_("Country"))
    region = CodeFilter(field_name="country__regions__code", label=_("Region or group"), many=True)
    area = CodeFilter(field_name="thematic_areas__code", label=_("Thematic area"), many=True)
    priority = CodeFilter(field_name="priority", label=_("Priority"))
    status = CodeFilter(field_name="need_status", label=_("Status"))
    source = CodeFilter(field_name="source", label=_("Source"))
    year = CodeFilter(field_name="created_at__year", label=_("Year"))

    class Meta:
        model = Need
        fields = []


class OpportunityFilterSet(RecordFilterSet):
    kind = CodeFilter(field_name="kind__code", label=_("Type"))
    area = CodeFilter(field_name="thematic_areas__code", label=_("Thematic area"), many=True)
    country = CodeFilter(field_name="country__iso2", label=_("Country"))
    organization = CodeFilter(field_name="providers__id", label=_("Provider"), many=True)
    year = CodeFilter(field_name="start_date__year", label=_("Year"))
    online = django_filters.BooleanFilter(field_name="is_online", label=_("Online"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("Deadline not passed"))

    class Meta:
        model = Opportunity
        fields = []

    def filter_open(self, queryset, name, value):
        from django.utils import timezone

        if value:
            return queryset.filter(application_deadline__gte=timezone.localdate())
        return queryset


class ResourceFilterSet(RecordFilterSet):
    type = CodeFilter(field_name="resource_type__code", label=_("Type"))
    area = CodeFilter(field_name="thematic_areas__code", label=_("Thematic area"), many=True)
    organization = CodeFilter(field_name="publisher_id", label=_("Publisher"))
    year = CodeFilter(field_name="year", label=_("Year"))
    file_language = CodeFilter(field_name="files__language", label=_("Language of the files"), many=True)

    class Meta:
        model = Resource
        fields = []


class ExpertFilterSet(RecordFilterSet):
    expertise = CodeFilter(field_name="expertise__code", label=_("Field of expertise"), many=True)
    country = CodeFilter(field_name="country__iso2", label=_("Nominating country"))
    region = CodeFilter(field_name="country__regions__code", label=_("Region or group"), many=True)
    availability = CodeFilter(field_name="availability", label=_("Availability"))
    organization = CodeFilter(field_name="organization_id", label=_("Organization"))
    roster = django_filters.ChoiceFilter(
        label=_("Roster"),
        choices=[
            ("current", _("On the roster")),
            ("expired", _("No longer on the roster")),
            ("all", _("All")),
        ],
        method="filter_roster",
        empty_label=None,
    )

    class Meta:
        model = Expert
        fields = []

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("roster"):
            queryset = self.filter_roster(queryset, "roster", "current")
        return queryset

    def filter_roster(self, queryset, name, value):
        """Experts stay on the roster four years from their nomination (decision BS-IV/4). Drafts of the
        user's own scope are not nominations yet: they stay listed for those who may see them."""
        from django.db.models import Q

        from capacityhub.core.choices import Status

        current = Q(nominated_at__gte=roster_cutoff()) | ~Q(status=Status.PUBLISHED)
        if value == "current":
            return queryset.filter(current)
        if value == "expired":
            return queryset.exclude(current)
        return queryset


class CountryProfileFilterSet(RecordFilterSet):
    region = CodeFilter(field_name="country__regions__code", label=_("Region or group"), many=True)

    class Meta:
        model = CountryProfile
        fields = []


def roster_cutoff():
    """Nominations older than this have dropped off the roster."""
    from django.conf import settings
    from django.utils import timezone

    today = timezone.localdate()
    years = settings.EXPERT_ROSTER_YEARS
    return today.replace(
        year=today.year - years, day=28 if (today.month, today.day) == (2, 29) else today.day
    )
