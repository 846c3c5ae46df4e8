"""API serializers of the user's own subscriptions: saved searches and follows."""

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from capacityhub.core.api.fields import absolute

from .. import selectors
from ..choices import Frequency
from ..models import Follow, SavedSearch


class SavedSearchSerializer(serializers.ModelSerializer):
    record_type = serializers.CharField(
        max_length=40, help_text="The key of the list searched: initiative, need, meeting, conference…"
    )
    query = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The list's query string, e.g. q=customs&country=KE.",
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    frequency = serializers.ChoiceField(choices=Frequency.choices, default=Frequency.DAILY)
    list_url = serializers.SerializerMethodField()

    class Meta:
        model = SavedSearch
        fields = ["id", "record_type", "query", "name", "frequency", "list_url", "created_at"]
        read_only_fields = ["id", "created_at"]

    def get_validators(self):  # uniqueness is checked by the model, with its translated message
        return []

    @extend_schema_field(OpenApiTypes.URI)
    def get_list_url(self, search):
        record_type = selectors.list_types().get(search.record_type)
        if record_type is None:
            return None
        url = record_type.get_list_url() + ("?" + search.query if search.query else "")
        return absolute(self.context.get("request"), url)


class SavedSearchUpdateSerializer(SavedSearchSerializer):
    """On an existing saved search, only its name and how often it is sent change."""

    class Meta(SavedSearchSerializer.Meta):
        read_only_fields = ["id", "record_type", "query", "created_at"]


class FollowSerializer(serializers.ModelSerializer):
    target = serializers.CharField(
        help_text="What to follow, as `<app label>.<model>:<id>`, e.g. `registry.need:12`, "
        "`reference.country:40`, `conferences.conference:3`, `conferences.topic:7` (as the pages' "
        "follow buttons send it)."
    )
    frequency = serializers.ChoiceField(choices=Frequency.choices, default=Frequency.DAILY)
    kind = serializers.CharField(read_only=True)
    label = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Follow
        fields = ["id", "target", "kind", "label", "frequency", "web_url", "created_at"]
        read_only_fields = ["id", "kind", "created_at"]

    def get_validators(self):
        return []

    def to_representation(self, follow):
        data = super().to_representation(follow)
        content_type = ContentType.objects.get_for_id(follow.content_type_id)
        data["target"] = "{}.{}:{}".format(content_type.app_label, content_type.model, follow.object_id)
        return data

    def get_label(self, follow) -> str:
        return selectors.follow_label(follow) if follow.target is not None else ""

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, follow):
        target = follow.target
        if target is None or not hasattr(target, "get_absolute_url"):
            return None
        return absolute(self.context.get("request"), target.get_absolute_url())


class FollowUpdateSerializer(FollowSerializer):
    """On an existing follow, only how often it is sent changes."""

    target = serializers.CharField(read_only=True)
