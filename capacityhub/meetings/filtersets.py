"""FilterSets of meetings and decisions, shared by their list pages, their iCal feeds and the API."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacityhub.core.filtersets import CodeFilter, RecordFilterSet

from .models import Decision, Meeting


class MeetingFilterSet(RecordFilterSet):
    kind = CodeFilter(field_name="kind", label=_("Kind of meeting"))
    country = CodeFilter(field_name="country__iso2", label=_("Country"))
    organization = CodeFilter(field_name="organizer_id", label=_("Organizer"))
    year = CodeFilter(field_name="start_date__year", label=_("Year"))
    online = django_filters.BooleanFilter(field_name="is_online", label=_("Online"))
    upcoming = django_filters.BooleanFilter(method="filter_upcoming", label=_("Not yet over"))

    class Meta:
        model = Meeting
        fields = []

    def filter_upcoming(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(end_date__gte=today) if value else queryset.filter(end_date__lt=today)


class DecisionFilterSet(RecordFilterSet):
    meeting = CodeFilter(field_name="meeting_id", label=_("Adopted at"))
    year = CodeFilter(field_name="adopted_on__year", label=_("Year"))
    considered = CodeFilter(field_name="considered_meetings__id", label=_("Meeting considered"), many=True)

    class Meta:
        model = Decision
        fields = []
