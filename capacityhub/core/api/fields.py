"""Serializer fields shared by every record type's API.

- :class:`MultilingualField` reads and writes record text as ``{language code: text}``.
- :class:`TermField` reads and writes a vocabulary term by its code, limited to one vocabulary.
- :class:`CountryField` and :class:`RegionField` read and write countries by ISO alpha-2 code and
  regions by code.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from capacityhub.core.multilingual import clean_value


def content_languages():
    return [code for code, _name in settings.CONTENT_LANGUAGES]


class MultilingualField(serializers.Field):
    """Text in several languages, as a JSON object ``{"en": "…", "fr": "…"}``.

    Keys are content languages (the six UN languages); values are strings, stripped; empty texts are
    dropped. A required field needs a text in at least one language. ``max_length`` applies to each text.
    """

    default_error_messages = {
        "not_a_dict": _("Expected an object of texts keyed by language code, such as en, es or fr."),
        "unknown_language": _("Unknown language code: {code}. Use one of: {codes}."),
        "not_a_string": _("The text in {code} must be a string."),
        "max_length": _("The text in {code} has more than {max_length} characters."),
        "required": _("Enter this text in at least one language."),
    }

    def __init__(self, *, max_length=None, textarea=False, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.pop("allow_blank", None)
        self.max_length = max_length
        self.textarea = textarea
        super().__init__(**kwargs)

    def to_representation(self, value):
        return clean_value(value or {})

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("not_a_dict")
        known = content_languages()
        for code, text in data.items():
            if code not in known:
                self.fail("unknown_language", code=code, codes=", ".join(known))
            if text is not None and not isinstance(text, str):
                self.fail("not_a_string", code=code)
            if self.max_length and text and len(text.strip()) > self.max_length:
                self.fail("max_length", code=code, max_length=self.max_length)
        value = clean_value(data)
        if self.required and not value:
            self.fail("required")
        return value

    def validate_empty_values(self, data):
        if data is None and not self.allow_null:
            data = {}
            if self.required:
                self.fail("required")
        return super().validate_empty_values(data)


class MultilingualFieldExtension(OpenApiSerializerFieldExtension):
    """OpenAPI: an object with one optional string property per content language."""

    target_class = MultilingualField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        text = {"type": "string"}
        if self.target.max_length:
            text["maxLength"] = self.target.max_length
        schema = {
            "type": "object",
            "properties": {code: dict(text) for code in content_languages()},
            "additionalProperties": False,
            "description": "Text by language code (content languages: {}).".format(
                ", ".join(content_languages())
            ),
            "example": {"en": "Text in English", "es": "Texto en español"},
        }
        return schema


@extend_schema_field({"type": "string", "enum": [code for code, _name in settings.CONTENT_LANGUAGES]})
class ContentLanguageField(serializers.ChoiceField):
    """A content language code (one of the six UN languages)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", settings.CONTENT_LANGUAGES)
        super().__init__(**kwargs)


def vocabulary_of(model_field):
    """The vocabulary code a ``limit_choices_to=Q(vocabulary__code=…)`` restricts a term field to."""
    limit = getattr(model_field, "remote_field", None) and model_field.remote_field.limit_choices_to
    if isinstance(limit, Q):
        for child in limit.children:
            if isinstance(child, tuple) and child[0] == "vocabulary__code":
                return child[1]
    if isinstance(limit, dict):
        return limit.get("vocabulary__code")
    return None


class TermField(serializers.SlugRelatedField):
    """A vocabulary term by its code (``"risk-assessment"``), among the terms of one vocabulary."""

    def __init__(self, vocabulary=None, **kwargs):
        from capacityhub.reference.models import Term

        self.vocabulary = vocabulary
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            queryset = Term.objects.all()
            if vocabulary:
                queryset = queryset.filter(vocabulary__code=vocabulary)
            kwargs.setdefault("queryset", queryset)
        super().__init__(**kwargs)

    default_error_messages = {
        "does_not_exist": _("{value} is not a term of this vocabulary."),
        "invalid": _("Give the code of a term."),
    }

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        try:
            return queryset.get(**{self.slug_field: data})
        except queryset.model.DoesNotExist:
            self.fail("does_not_exist", value=data)
        except (TypeError, ValueError):
            self.fail("invalid")


class CountryField(serializers.SlugRelatedField):
    """A country by its ISO 3166-1 alpha-2 code (``"KE"``), in any case."""

    default_error_messages = {
        "does_not_exist": _("{value} is not a known ISO 3166-1 alpha-2 country code."),
        "invalid": _("Give a two-letter country code."),
    }

    def __init__(self, **kwargs):
        from capacityhub.reference.models import Country

        kwargs.setdefault("slug_field", "iso2")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Country.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return self.get_queryset().get(iso2=data.strip().upper())
        except self.get_queryset().model.DoesNotExist:
            self.fail("does_not_exist", value=data)


class RegionField(serializers.SlugRelatedField):
    """A region or group of countries by its code (``"cbd-africa"``)."""

    default_error_messages = {
        "does_not_exist": _("{value} is not a known region code."),
        "invalid": _("Give a region code."),
    }

    def __init__(self, **kwargs):
        from capacityhub.reference.models import Region

        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Region.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return self.get_queryset().get(code=data.strip())
        except self.get_queryset().model.DoesNotExist:
            self.fail("does_not_exist", value=data)


def absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


def api_url(request, record):
    """The API address of ``record``: ``/api/<type path>/<id>/``."""
    try:
        path = reverse("{}-detail".format(record.record_type.key), kwargs={"pk": record.pk})
    except NoReverseMatch:
        return None
    return absolute(request, path)
