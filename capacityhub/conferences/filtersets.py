"""The FilterSet of conferences, shared by the list page, the iCal feed and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacityhub.core.filtersets import CodeFilter, RecordFilterSet

from .choices import ConferencePhase
from .models import Conference


class ConferenceFilterSet(RecordFilterSet):
    year = CodeFilter(field_name="start_date__year", label=_("Year"))
    organization = CodeFilter(field_name="organizer_id", label=_("Organizer"))
    phase = django_filters.ChoiceFilter(
        choices=ConferencePhase.choices, method="filter_phase", label=_("Phase")
    )

    class Meta:
        model = Conference
        fields = []

    def filter_phase(self, queryset, name, value):
        today = timezone.localdate()
        archived = Q(closed_at__isnull=False) | Q(end_date__lt=today)
        if value == ConferencePhase.ARCHIVED:
            return queryset.filter(archived)
        if value == ConferencePhase.UPCOMING:
            return queryset.filter(start_date__gt=today).exclude(archived)
        if value == ConferencePhase.OPEN:
            return queryset.filter(start_date__lte=today).exclude(archived)
        return queryset
