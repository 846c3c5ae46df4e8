"""The FilterSet of submissions, shared by the list page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from capacityhub.core.filtersets import CodeFilter, RecordFilterSet

from .choices import RespondentKind
from .models import Submission


class SubmissionFilterSet(RecordFilterSet):
    cycle = CodeFilter(field_name="cycle_id", label=_("Reporting cycle"))
    country = CodeFilter(field_name="country__iso2", label=_("Country"))
    region = CodeFilter(field_name="country__regions__code", label=_("Region or group"), many=True)
    organization = CodeFilter(field_name="organization_id", label=_("Organization"))
    respondent = django_filters.ChoiceFilter(
        label=_("Respondent"), choices=RespondentKind.choices, method="filter_respondent"
    )
    late = django_filters.BooleanFilter(field_name="is_late", label=_("Late"))

    class Meta:
        model = Submission
        fields = []

    def filter_respondent(self, queryset, name, value):
        if value == RespondentKind.COUNTRY:
            return queryset.filter(country__isnull=False)
        if value == RespondentKind.ORGANIZATION:
            return queryset.filter(organization__isnull=False)
        return queryset
