"""API serializers of online conferences: the conference with its objectives and topics; posts (for those
allowed to read them: a hidden post shows its reason, not its text)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from capacityhub.core.api.fields import ContentLanguageField, MultilingualField, absolute
from capacityhub.core.multilingual import current_language

from .. import permissions
from ..choices import PostStatus
from ..models import Conference, Objective, Post, Topic


class ObjectiveSerializer(serializers.ModelSerializer):
    text = MultilingualField(read_only=True)

    class Meta:
        model = Objective
        fields = ["number", "text"]


class TopicSerializer(serializers.ModelSerializer):
    title = MultilingualField(read_only=True)
    description = MultilingualField(read_only=True)
    conclusion = MultilingualField(read_only=True)
    opens_on = serializers.DateField(read_only=True)
    closes_on = serializers.DateField(read_only=True)
    post_count = serializers.IntegerField(read_only=True, default=0)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Topic
        fields = [
            "number",
            "title",
            "description",
            "opens_on",
            "closes_on",
            "is_closed",
            "conclusion",
            "post_count",
            "web_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, topic):
        return absolute(self.context.get("request"), topic.get_absolute_url())


class ConferenceSerializer(serializers.ModelSerializer):
    title = MultilingualField(read_only=True)
    introduction = MultilingualField(read_only=True)
    display = serializers.SerializerMethodField()
    phase = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    posts_url = serializers.SerializerMethodField()
    objectives = ObjectiveSerializer(many=True, read_only=True)
    topics = serializers.SerializerMethodField()
    organizer = serializers.PrimaryKeyRelatedField(read_only=True)
    feeds_meeting = serializers.PrimaryKeyRelatedField(read_only=True)
    outcome_url = serializers.SerializerMethodField()

    class Meta:
        model = Conference
        fields = [
            "id",
            "display",
            "web_url",
            "status",
            "phase",
            "original_language",
            "title",
            "introduction",
            "start_date",
            "end_date",
            "languages",
            "organizer",
            "feeds_meeting",
            "registration_open",
            "posts_public",
            "objectives",
            "topics",
            "posts_url",
            "outcome_url",
            "updated_at",
        ]

    def get_display(self, conference) -> str:
        return conference.display_title(self.context.get("lang") or current_language())

    def get_phase(self, conference) -> str:
        return str(conference.phase())

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, conference):
        return absolute(self.context.get("request"), conference.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_posts_url(self, conference):
        return absolute(
            self.context.get("request"), reverse("conference-posts", kwargs={"pk": conference.pk})
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_outcome_url(self, conference):
        outcome = getattr(conference, "outcome", None)
        return absolute(self.context.get("request"), outcome.get_absolute_url()) if outcome else None

    @extend_schema_field(TopicSerializer(many=True))
    def get_topics(self, conference):
        from ..selectors import topics_with_counts

        request = self.context.get("request")
        topics = topics_with_counts(conference, getattr(request, "user", None))
        return TopicSerializer(topics, many=True, context=self.context).data


class PostSerializer(serializers.ModelSerializer):
    """A post. ``body`` is Markdown (rendered without raw HTML on the pages); for a hidden post it is null
    unless the user moderates the conference, and ``hidden_reason`` says why."""

    author = serializers.StringRelatedField()
    topic = serializers.IntegerField(source="topic.number", read_only=True)
    language = ContentLanguageField(read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="published, pending (waiting for approval) or hidden."
    )
    country = serializers.SerializerMethodField()
    stakeholder_type = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "topic",
            "parent",
            "quoted",
            "author",
            "country",
            "stakeholder_type",
            "subject",
            "body",
            "language",
            "status",
            "hidden_reason",
            "is_pinned",
            "is_locked",
            "is_key",
            "created_at",
            "edited_at",
            "revision",
            "web_url",
        ]

    def get_country(self, post) -> str | None:
        participant = post.participant
        return participant.country.iso2 if participant else None

    def get_stakeholder_type(self, post) -> str | None:
        return post.participant.stakeholder_type if post.participant else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, post):
        return absolute(self.context.get("request"), post.get_absolute_url())

    def to_representation(self, post):
        data = super().to_representation(post)
        request = self.context.get("request")
        if post.status == PostStatus.HIDDEN and not permissions.can_see_post_text(
            getattr(request, "user", None), post
        ):
            data["body"] = None
            data["subject"] = ""
        return data


class PostCreateSerializer(serializers.Serializer):
    topic = serializers.IntegerField(help_text="The topic's number.")
    body = serializers.CharField(max_length=20000)
    language = serializers.CharField(max_length=8)
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    parent = serializers.IntegerField(required=False, allow_null=True, default=None)
    quoted = serializers.IntegerField(required=False, allow_null=True, default=None)
