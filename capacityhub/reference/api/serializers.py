"""API serializers of the reference data: organizations and contacts (records), countries and vocabularies
(read-only)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from capacityhub.core.api.fields import MultilingualField, absolute
from capacityhub.core.api.serializers import RECORD_FIELDS, RecordSerializer, TextsMixin
from capacityhub.core.multilingual import current_language

from ..models import Contact, Country, Organization, Term, Vocabulary


class OrganizationSerializer(RecordSerializer):
    """An organization. ``merged_into`` names the organization a duplicate was merged into."""

    aliases = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=_("Names of records merged into this one.")
    )

    select_related = ("org_type", "country")
    prefetch_related = ()

    class Meta:
        model = Organization
        fields = [
            *RECORD_FIELDS,
            "name",
            "acronym",
            "org_type",
            "country",
            "iati_identifier",
            "website",
            "email",
            "description",
            "aliases",
            "merged_into",
        ]


class ContactSerializer(RecordSerializer):
    """A contact person. ``email`` and ``phone`` are shown to signed-in users only."""

    select_related = ("country",)
    prefetch_related = ()
    private_fields = ("email", "phone")

    class Meta:
        model = Contact
        fields = [*RECORD_FIELDS, "name", "position", "organization", "country", "email", "phone"]


def interface_languages():
    return [code for code, _name in settings.LANGUAGES]


class CountrySerializer(serializers.ModelSerializer):
    """A country: ISO codes, its name in the requested language and in every interface language, and the
    codes of the regions and groups it belongs to."""

    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField(help_text=_("Name in the requested language."))
    names = serializers.SerializerMethodField(help_text=_("Name in every interface language."))
    regions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Country
        fields = ["iso2", "iso3", "numeric", "url", "web_url", "name", "names", "regions"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, country):
        return absolute(self.context.get("request"), reverse("country-detail", kwargs={"iso2": country.iso2}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, country):
        return absolute(self.context.get("request"), country.get_absolute_url())

    @extend_schema_field(OpenApiTypes.STR)
    def get_name(self, country):
        return country.localized_name(self.context.get("lang") or current_language())

    @extend_schema_field(
        {
            "type": "object",
            "properties": {code: {"type": "string"} for code in interface_languages()},
            "additionalProperties": False,
        }
    )
    def get_names(self, country):
        return {code: country.localized_name(code) for code in interface_languages()}


class TermSerializer(TextsMixin, serializers.ModelSerializer):
    """A term of a vocabulary: its code, labels, and the codes the BCH and IATI use."""

    label = MultilingualField(read_only=True)
    description = MultilingualField(read_only=True)

    class Meta:
        model = Term
        fields = ["code", "label", "description", "identifier", "iati_code", "position", "active"]


class VocabularySerializer(TextsMixin, serializers.ModelSerializer):
    """A controlled vocabulary and its terms."""

    url = serializers.SerializerMethodField()
    name = MultilingualField(read_only=True)
    terms = TermSerializer(many=True, read_only=True)

    class Meta:
        model = Vocabulary
        fields = ["code", "url", "name", "source", "terms"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, vocabulary):
        return absolute(
            self.context.get("request"), reverse("vocabulary-detail", kwargs={"code": vocabulary.code})
        )
