"""API ViewSets of the reference data: organizations and contacts (records, through the generic
RecordViewSet), countries and vocabularies (read-only)."""

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from capacityhub.core.api.filters import RecordPagination
from capacityhub.core.api.schema import LANG
from capacityhub.core.api.views import LanguageMixin, RecordViewSet
from capacityhub.core.registry import registry

from ..models import Country, Term, Vocabulary
from . import serializers


class OrganizationViewSet(RecordViewSet):
    """Organizations: agencies, donors, universities, NGOs, government bodies."""

    record_type = registry["organization"]
    serializer_class = serializers.OrganizationSerializer


class ContactViewSet(RecordViewSet):
    """Contact persons of initiatives and opportunities."""

    record_type = registry["contact"]
    serializer_class = serializers.ContactSerializer


class CountryPagination(RecordPagination):
    max_page_size = 300


COUNTRY_FILTERS = [
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        description="Part of the name (any interface language) or code.",
    ),
    OpenApiParameter(
        "region",
        {"type": "array", "items": {"type": "string"}},
        OpenApiParameter.QUERY,
        explode=True,
        style="form",
        description="Region or group codes, repeated or comma-separated: countries in any of them.",
    ),
    LANG,
]


@extend_schema_view(list=extend_schema(parameters=COUNTRY_FILTERS), retrieve=extend_schema(parameters=[LANG]))
class CountryViewSet(LanguageMixin, viewsets.ReadOnlyModelViewSet):
    """Countries and territories (ISO 3166-1), looked up by their alpha-2 code, with localized names."""

    serializer_class = serializers.CountrySerializer
    queryset = Country.objects.all()
    permission_classes = [permissions.AllowAny]
    pagination_class = CountryPagination
    filter_backends = []
    lookup_field = "iso2"
    lookup_value_regex = "[A-Za-z]{2}"

    def get_queryset(self):
        return Country.objects.prefetch_related("regions").order_by("name_en")

    def filter_queryset(self, queryset):
        params = self.request.query_params
        regions = [
            code.strip() for value in params.getlist("region") for code in value.split(",") if code.strip()
        ]
        if regions:
            queryset = queryset.filter(pk__in=Country.objects.filter(regions__code__in=regions).values("pk"))
        query = (params.get("q") or "").strip().casefold()
        if query:
            languages = [code for code, _name in settings.LANGUAGES]
            codes = [
                country.iso2
                for country in Country.objects.only("iso2", "iso3", "name_en")
                if query in (country.iso2.casefold(), country.iso3.casefold())
                or any(query in country.localized_name(code).casefold() for code in languages)
            ]
            queryset = queryset.filter(iso2__in=codes)
        return queryset

    def get_object(self):
        return get_object_or_404(self.get_queryset(), iso2=self.kwargs["iso2"].upper())


@extend_schema_view(list=extend_schema(parameters=[LANG]), retrieve=extend_schema(parameters=[LANG]))
class VocabularyViewSet(LanguageMixin, viewsets.ReadOnlyModelViewSet):
    """Controlled vocabularies and their terms: codes, labels in several languages, BCH identifiers and
    IATI codes. Records give terms by code."""

    serializer_class = serializers.VocabularySerializer
    queryset = Vocabulary.objects.all()
    permission_classes = [permissions.AllowAny]
    pagination_class = RecordPagination
    filter_backends = []
    lookup_field = "code"
    lookup_value_regex = "[-a-z0-9_]+"

    def get_queryset(self):
        terms = Term.objects.order_by("position", "code")
        return Vocabulary.objects.prefetch_related(Prefetch("terms", queryset=terms)).order_by("code")
