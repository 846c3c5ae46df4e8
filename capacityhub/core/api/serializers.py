"""Base serializers of every record type's API.

Shape of a record (full form)::

    {
      "id": 12, "url": ".../api/initiatives/12/", "web_url": ".../en/initiatives/12/",
      "display": "Biosafety training in Kenya",        # the title, resolved in the requested language
      "status": "published", "revision": 3, "original_language": "en",
      "title": {"en": "Biosafety training in Kenya", "es": "Formación en bioseguridad en Kenia"},
      "title_text": "Formación en bioseguridad en Kenia",   # only with ?lang=es (see below)
      ...
    }

Multilingual fields are ``{language code: text}`` objects. With ``?lang=<code>`` every multilingual field
``<name>`` is followed by ``<name>_text``: its text in that language, falling back to the record's original
language, then English, then any language present. ``revision`` is the record's current revision; send it
back (or an ``If-Match: "<revision>"`` header) with an update to be told, with a 409, when somebody else
saved the record in between.

Brief form (``?brief=1``): ``{"id", "url", "display", "status"}``.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.fields import get_error_detail
from rest_framework.settings import api_settings
from rest_framework.utils import model_meta

from capacityhub.core import services
from capacityhub.core.choices import Status
from capacityhub.core.multilingual import MultilingualField as ModelMultilingualField
from capacityhub.core.multilingual import current_language, resolve
from capacityhub.reference.models import Country, Region, Term

from .fields import CountryField, MultilingualField, RegionField, TermField, absolute, api_url, vocabulary_of

#: Fields every record has, first in every record's representation.
RECORD_FIELDS = [
    "id",
    "url",
    "web_url",
    "display",
    "status",
    "revision",
    "original_language",
    "review_comment",
    "created_at",
    "updated_at",
    "published_at",
]

CONFLICT_MESSAGE = _(
    "Somebody else saved this record since revision {base}; it is now at revision {current}. "
    "Your changes were not saved: fetch the record again, apply them and send the new revision."
)


class EditConflictError(exceptions.APIException):
    """409: the record changed since the revision the client started from."""

    status_code = 409
    default_code = "edit_conflict"
    default_detail = _("Somebody else saved this record in the meantime.")

    def __init__(self, conflict):
        self.conflict = conflict
        super().__init__(
            CONFLICT_MESSAGE.format(base=conflict.base_revision, current=conflict.current_revision)
        )

    def as_data(self):
        return {
            "detail": str(self.detail),
            "code": self.default_code,
            "your_revision": self.conflict.base_revision,
            "current_revision": self.conflict.current_revision,
        }


def request_language(context):
    """The language ``?lang`` asked for, or None."""
    return context.get("lang")


def add_texts(serializer, instance, data):
    """With ``?lang``, insert ``<name>_text`` (resolved text) after each multilingual field ``<name>``."""
    language = request_language(serializer.context)
    if not language:
        return data
    original = getattr(instance, "original_language", None)
    result = {}
    for key, value in data.items():
        result[key] = value
        if isinstance(serializer.fields.get(key), MultilingualField):
            result["{}_text".format(key)] = resolve(value, language, original)[0]
    return result


class TextsMixin:
    """A serializer whose multilingual fields get their ``<name>_text`` with ``?lang``."""

    def to_representation(self, instance):
        return add_texts(self, instance, super().to_representation(instance))


class TextsSerializerExtension(OpenApiSerializerExtension):
    """OpenAPI: document the ``<name>_text`` companions of multilingual fields (present with ``?lang``)
    and leave out of ``required`` the fields shown to signed-in users only."""

    target_class = TextsMixin
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        return text_properties(
            self.target,
            auto_schema._map_serializer(self.target, direction, bypass_extensions=True),
            direction,
        )


def text_properties(serializer, schema, direction):
    """Add the read-only ``<name>_text`` properties; fields for signed-in users only are not required."""
    properties = {}
    for name, prop in schema.get("properties", {}).items():
        properties[name] = prop
        if isinstance(serializer.fields.get(name), MultilingualField):
            properties["{}_text".format(name)] = {
                "type": "string",
                "readOnly": True,
                "description": "Only with ?lang=: the text of {} in that language, with fallbacks.".format(
                    name
                ),
            }
    schema["properties"] = properties
    private = getattr(serializer, "private_fields", ())
    if private and "required" in schema:
        schema["required"] = [name for name in schema["required"] if name not in private]
    return schema


class RecordSerializer(serializers.ModelSerializer):
    """A record with its multilingual texts, vocabulary codes, country codes and workflow state.

    Writes go through :func:`capacityhub.core.services.record_save` (the permission gate, versions, search
    index and optimistic locking). Subclasses list ``Meta.fields`` (``RECORD_FIELDS`` first), and may declare
    ``nested_sources`` (sources of nested rows written by :meth:`save_nested`), ``select_related`` and
    ``prefetch_related`` (what their representation reads, so lists take a fixed number of queries), and
    ``private_fields`` (shown to signed-in users only).
    """

    url = serializers.SerializerMethodField(help_text=_("Address of this record in the API."))
    web_url = serializers.SerializerMethodField(help_text=_("Address of this record's page."))
    display = serializers.SerializerMethodField(help_text=_("The record's title in the requested language."))
    status = serializers.ChoiceField(choices=Status.choices, read_only=True, help_text=_("Workflow status."))
    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "The record's current revision. On update, send the revision you started from: if the record "
            "changed since, nothing is saved and the answer is 409."
        ),
    )

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        ModelMultilingualField: MultilingualField,
    }
    nested_sources = ()
    select_related = None
    prefetch_related = None
    private_fields = ()

    # -- reading ---------------------------------------------------------------------------------------
    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, record):
        return api_url(self.context.get("request"), record)

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, record):
        return absolute(self.context.get("request"), record.get_absolute_url())

    @extend_schema_field(OpenApiTypes.STR)
    def get_display(self, record):
        return record.display_title(request_language(self.context) or current_language())

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if self.private_fields and not (request and request.user.is_authenticated):
            for name in self.private_fields:
                data.pop(name, None)
        return add_texts(self, instance, data)

    # -- building fields -------------------------------------------------------------------------------
    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, ModelMultilingualField):
            kwargs["max_length"] = model_field.text_max_length
            kwargs["textarea"] = model_field.textarea
            kwargs["required"] = not model_field.blank
            kwargs.pop("allow_null", None)
        return field_class, kwargs

    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        related = relation_info.related_model
        if related is Term:
            field_class = TermField
            kwargs["vocabulary"] = vocabulary_of(relation_info.model_field)
        elif related is Country:
            field_class = CountryField
        elif related is Region:
            field_class = RegionField
        return field_class, kwargs

    def get_validators(self):
        # Uniqueness and constraints are checked by the model (full_clean in record_save), with the same
        # messages as the pages.
        return []

    # -- writing ---------------------------------------------------------------------------------------
    def create(self, validated_data):
        return self.save_record(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self.save_record(instance, validated_data)

    def save_record(self, record, validated_data):
        request = self.context["request"]
        adding = record._state.adding
        base_revision = validated_data.pop("base_revision", None)
        body_revision = validated_data.pop("revision", None)
        if base_revision is None:
            base_revision = body_revision
        nested = {
            source: validated_data.pop(source) for source in self.nested_sources if source in validated_data
        }
        info = model_meta.get_field_info(record)
        many = {}
        for attr in list(validated_data):
            if attr in info.relations and info.relations[attr].to_many:
                many[attr] = validated_data.pop(attr)
        for attr, value in validated_data.items():
            setattr(record, attr, value)
        record._prefetched_objects_cache = {}

        def save_related(saved):
            for attr, values in many.items():
                getattr(saved, attr).set(values)
            self.save_nested(saved, nested)

        try:
            return services.record_save(
                record=record,
                actor=request.user,
                base_revision=None if adding else base_revision,
                save_related=save_related,
            )
        except services.EditConflict as conflict:
            raise EditConflictError(conflict) from conflict
        except DjangoValidationError as error:
            raise serializers.ValidationError(self.model_errors(error)) from error
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error) or None) from error

    def save_nested(self, record, nested):
        """Write nested rows (``nested`` maps each of ``nested_sources`` given to its validated rows)."""

    def model_errors(self, error):
        """A Django ValidationError as DRF field errors, keyed by this serializer's field names."""
        detail = get_error_detail(error)
        if not isinstance(detail, dict):
            return {api_settings.NON_FIELD_ERRORS_KEY: detail}
        names = {field.source: name for name, field in self.fields.items()}
        errors = {}
        for key, messages in detail.items():
            if key == NON_FIELD_ERRORS:
                name = api_settings.NON_FIELD_ERRORS_KEY
            else:
                name = names.get(key, key)
            errors.setdefault(name, []).extend(messages if isinstance(messages, list) else [messages])
        return errors


class RecordSerializerExtension(OpenApiSerializerExtension):
    """OpenAPI of records: see :func:`text_properties`."""

    target_class = RecordSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return text_properties(self.target, schema, direction)


class RecordBriefSerializer(serializers.Serializer):
    """The brief form of a record: enough to list it and link to it."""

    id = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    display = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, record):
        return api_url(self.context.get("request"), record)

    @extend_schema_field(OpenApiTypes.STR)
    def get_display(self, record):
        return record.display_title(request_language(self.context) or current_language())


class RecordBriefSerializerExtension(OpenApiSerializerExtension):
    """OpenAPI: the brief form has no other property, so it never matches a full record (``oneOf``)."""

    target_class = RecordBriefSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema["additionalProperties"] = False
        return schema


class TransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text=_("Why. Required to return a record to its authors."),
    )


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    your_revision = serializers.IntegerField(required=False)
    current_revision = serializers.IntegerField(required=False)
    status = serializers.CharField(required=False)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
