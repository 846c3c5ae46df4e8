"""API serializers of the shared records. Vocabulary terms are given by code, countries by ISO alpha-2 code,
regions by code, organizations and contacts by id; multilingual texts as ``{language code: text}``.

Initiative rows::

    "countries": [{"country": "KE", "percentage": 60}, {"country": "UG", "percentage": 40}],
    "regions": [{"region": "cbd-africa", "percentage": null}],
    "organizations": [{"organization": 7, "organization_name": "UNEP", "role": "implementing"}],

Percentages are optional; when any row of a list has one, every row must, and they must add up to 100
(the rule of the form). Each list given replaces the initiative's rows; a list left out keeps them.
"""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from capacityhub.core.api.fields import ContentLanguageField, CountryField, RegionField, TermField, absolute
from capacityhub.core.api.serializers import RECORD_FIELDS, RecordSerializer
from capacityhub.reference.choices import Vocabularies
from capacityhub.reference.models import Organization

from ..forms import LANGUAGE_CHOICES
from ..models import (
    CountryProfile,
    Expert,
    Initiative,
    InitiativeCountry,
    InitiativeRegion,
    Need,
    Opportunity,
    Participation,
    Resource,
    ResourceFile,
)

EVERY_ROW_OR_NONE = _("Give a percentage for every row, or for none.")
SUM_NOT_100 = _("The percentages add up to {total}; they must add up to 100.")
COUNTRY_TWICE = _("This country is listed twice.")
REGION_TWICE = _("This region is listed twice.")
ORGANIZATION_TWICE = _("This organization is listed twice in the same role.")
NOT_A_CURRENCY = _("{code} is not an ISO 4217 currency code.")


def _number(value):
    text = "{:f}".format(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def validate_shares(rows, key, twice_message):
    """The form's rule (``SharesFormSet``): no row twice; percentages for all rows or none, summing to 100."""
    seen = set()
    for row in rows:
        if row[key].pk in seen:
            raise serializers.ValidationError(twice_message)
        seen.add(row[key].pk)
    values = [row.get("percentage") for row in rows]
    given = [value for value in values if value is not None]
    if given and len(given) != len(values):
        raise serializers.ValidationError(EVERY_ROW_OR_NONE)
    total = sum(given, Decimal(0))
    if given and abs(total - 100) > Decimal("0.01"):
        raise serializers.ValidationError(SUM_NOT_100.format(total=_number(total)))
    return rows


def percentage_field():
    return serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        allow_null=True,
        required=False,
        coerce_to_string=False,
        help_text=_("Share of the initiative, in percent."),
    )


class InitiativeCountrySerializer(serializers.ModelSerializer):
    """A recipient country, by ISO alpha-2 code, with its share of the initiative."""

    country = CountryField(help_text=_("ISO 3166-1 alpha-2 code."))
    percentage = percentage_field()

    class Meta:
        model = InitiativeCountry
        fields = ["country", "percentage"]
        validators = []


class InitiativeRegionSerializer(serializers.ModelSerializer):
    """A recipient region or group, by code, with its share of the initiative."""

    region = RegionField(help_text=_("Region or group code."))
    percentage = percentage_field()

    class Meta:
        model = InitiativeRegion
        fields = ["region", "percentage"]
        validators = []


class ParticipationSerializer(serializers.ModelSerializer):
    """A participating organization, by id, in a role (term code of ``organization-roles``)."""

    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(merged_into__isnull=True)
    )
    organization_name = serializers.SerializerMethodField()
    role = TermField(vocabulary=Vocabularies.ORGANIZATION_ROLES, help_text=_("Code of an organization role."))

    class Meta:
        model = Participation
        fields = ["organization", "organization_name", "role"]
        validators = []

    @extend_schema_field(OpenApiTypes.STR)
    def get_organization_name(self, participation):
        return participation.organization.display_title(self.context.get("lang"))


class LinkSerializer(serializers.Serializer):
    """A document or web page: its address and an optional name."""

    url = serializers.URLField(max_length=500)
    name = serializers.CharField(required=False, allow_blank=True, max_length=300)


class InitiativeSerializer(RecordSerializer):
    """A capacity-building initiative (project or programme)."""

    countries = InitiativeCountrySerializer(
        many=True, source="country_shares", required=False, help_text=_("Recipient countries, with shares.")
    )
    regions = InitiativeRegionSerializer(
        many=True, source="region_shares", required=False, help_text=_("Recipient regions, with shares.")
    )
    organizations = ParticipationSerializer(
        many=True,
        source="participations",
        required=False,
        help_text=_("Participating organizations and their roles."),
    )
    links = LinkSerializer(many=True, required=False, help_text=_("Documents and links."))

    nested_sources = ("country_shares", "region_shares", "participations")
    select_related = ("activity_status",)
    prefetch_related = (
        "country_shares__country",
        "region_shares__region",
        "participations__organization",
        "participations__role",
        "thematic_areas",
        "categories",
        "target_groups",
        "funding_source_types",
        "contacts",
    )

    class Meta:
        model = Initiative
        fields = [
            *RECORD_FIELDS,
            "title",
            "project_number",
            "iati_identifier",
            "description",
            "objectives",
            "publisher",
            "activity_status",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "geographic_scope",
            "countries",
            "regions",
            "organizations",
            "budget",
            "co_financing",
            "currency",
            "thematic_areas",
            "categories",
            "target_groups",
            "funding_source_types",
            "outcomes",
            "lessons_learned",
            "links",
            "contacts",
            "part_of",
        ]

    def validate_countries(self, rows):
        return validate_shares(rows, "country", COUNTRY_TWICE)

    def validate_regions(self, rows):
        return validate_shares(rows, "region", REGION_TWICE)

    def validate_organizations(self, rows):
        seen = set()
        for row in rows:
            pair = (row["organization"].pk, row["role"].pk)
            if pair in seen:
                raise serializers.ValidationError(ORGANIZATION_TWICE)
            seen.add(pair)
        return rows

    def validate_links(self, rows):
        return [{"url": row["url"], "name": row.get("name", "")} for row in rows]

    def validate_currency(self, value):
        import pycountry

        code = (value or "").strip().upper()
        if not pycountry.currencies.get(alpha_3=code):
            raise serializers.ValidationError(NOT_A_CURRENCY.format(code=code))
        return code

    def save_nested(self, record, nested):
        rows = {
            "country_shares": InitiativeCountry,
            "region_shares": InitiativeRegion,
            "participations": Participation,
        }
        for source, model in rows.items():
            if source not in nested:
                continue
            getattr(record, source).all().delete()
            model.objects.bulk_create([model(initiative=record, **row) for row in nested[source]])


class NeedSerializer(RecordSerializer):
    """A country's capacity-building need."""

    select_related = ("country",)
    prefetch_related = ("thematic_areas",)

    class Meta:
        model = Need
        fields = [
            *RECORD_FIELDS,
            "country",
            "title",
            "description",
            "thematic_areas",
            "priority",
            "timeframe",
            "source",
            "need_status",
        ]


def languages_field():
    return serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGE_CHOICES),
        required=False,
        help_text=_("Language codes."),
    )


class OpportunitySerializer(RecordSerializer):
    """A training course, workshop, fellowship or other capacity-building opportunity."""

    languages = languages_field()

    select_related = ("kind", "country")
    prefetch_related = ("providers", "eligible_countries", "eligible_regions", "thematic_areas")

    class Meta:
        model = Opportunity
        fields = [
            *RECORD_FIELDS,
            "title",
            "kind",
            "publisher",
            "providers",
            "description",
            "start_date",
            "end_date",
            "application_deadline",
            "is_online",
            "city",
            "country",
            "languages",
            "eligible_countries",
            "eligible_regions",
            "eligibility",
            "cost",
            "funding_available",
            "thematic_areas",
            "link",
        ]


class ResourceFileSerializer(serializers.ModelSerializer):
    """One file of a resource, in one language, with its download address (read-only here)."""

    language = ContentLanguageField(read_only=True)
    filename = serializers.CharField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ResourceFile
        fields = ["language", "filename", "content_type", "size", "sha256", "download_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, item):
        path = reverse("registry:resource_file", kwargs={"pk": item.resource_id, "language": item.language})
        return absolute(self.context.get("request"), path)


class ResourceSerializer(RecordSerializer):
    """A biosafety information resource and its files."""

    files = ResourceFileSerializer(many=True, read_only=True, help_text=_("Files, one per language."))

    select_related = ("resource_type",)
    prefetch_related = ("thematic_areas", "files")

    class Meta:
        model = Resource
        fields = [
            *RECORD_FIELDS,
            "title",
            "resource_type",
            "publisher",
            "authors",
            "year",
            "summary",
            "thematic_areas",
            "link",
            "files",
        ]


class ExpertSerializer(RecordSerializer):
    """An expert. ``email`` and ``cv_url`` are shown to signed-in users only; the CV is not uploaded here."""

    languages = languages_field()
    roster_until = serializers.DateField(read_only=True, help_text=_("On the roster until this date."))
    on_roster = serializers.BooleanField(read_only=True)
    cv_url = serializers.SerializerMethodField(help_text=_("Download of the CV, for signed-in users."))

    select_related = ("country", "nationality")
    prefetch_related = ("expertise",)
    private_fields = ("email", "cv_url")

    class Meta:
        model = Expert
        fields = [
            *RECORD_FIELDS,
            "name",
            "country",
            "nationality",
            "organization",
            "email",
            "expertise",
            "languages",
            "experience",
            "availability",
            "nominated_at",
            "roster_until",
            "on_roster",
            "cv_url",
        ]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_cv_url(self, expert):
        if not expert.cv:
            return None
        return absolute(self.context.get("request"), reverse("registry:expert_cv", kwargs={"pk": expert.pk}))


class CountryProfileSerializer(RecordSerializer):
    """A country's profile of its biosafety capacity-building situation."""

    select_related = ("country",)
    prefetch_related = ()

    class Meta:
        model = CountryProfile
        fields = [*RECORD_FIELDS, "country", "summary", "framework", "institutions", "priorities", "website"]
