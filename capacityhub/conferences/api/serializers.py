"""API serializers of online conferences: the conference with its objectives and topics; posts (for those
allowed to read them: a hidden post shows its reason, not its text)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from capacityhub.core.api.fields import ContentLanguageField, MultilingualField, absolute
from capacityhub.core.api.serializers import RECORD_FIELDS, EditConflictError, RecordSerializer
from capacityhub.core.services import EditConflict

from .. import permissions, services
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


class ConferenceListSerializer(serializers.ListSerializer):
    """A page of conferences: their topics and post counts are read for the whole page at once."""

    def to_representation(self, data):
        from ..selectors import topics_with_counts_many

        conferences = list(data.all() if hasattr(data, "all") else data)
        request = self.context.get("request")
        self.context["conference_topics"] = topics_with_counts_many(
            conferences, getattr(request, "user", None)
        )
        return super().to_representation(conferences)


class ConferenceSerializer(RecordSerializer):
    """A conference (a record: texts, window, settings, workflow), with its objectives and topics
    (read-only here: they are edited on the conference's pages). Writes go through ``conference_save``: only
    the Secretariat and conference moderators create conferences, and the creator becomes a moderator."""

    phase = serializers.SerializerMethodField()
    posts_url = serializers.SerializerMethodField()
    objectives = ObjectiveSerializer(many=True, read_only=True)
    topics = serializers.SerializerMethodField()
    outcome_url = serializers.SerializerMethodField(allow_null=True)  # null until the outcome is compiled
    languages = serializers.ListField(
        child=serializers.CharField(max_length=8),
        required=False,
        help_text="Codes of the languages participants may write in (en, es, fr, ar, ru, zh).",
    )

    select_related = ("organizer", "feeds_meeting", "outcome")
    prefetch_related = ("objectives",)

    class Meta:
        model = Conference
        fields = [
            *RECORD_FIELDS,
            "phase",
            "title",
            "introduction",
            "start_date",
            "end_date",
            "languages",
            "organizer",
            "feeds_meeting",
            "registration_open",
            "premoderated_posts",
            "posts_public",
            "objectives",
            "topics",
            "posts_url",
            "outcome_url",
        ]
        list_serializer_class = ConferenceListSerializer

    def validate_languages(self, codes):
        known = dict(settings.CONTENT_LANGUAGES)
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown language code: {code}. Use one of: {codes}.").format(
                    code=", ".join(unknown), codes=", ".join(known)
                )
            )
        return list(dict.fromkeys(codes))

    def save_record(self, record, validated_data):
        request = self.context["request"]
        adding = record._state.adding
        base_revision = validated_data.pop("base_revision", None)
        body_revision = validated_data.pop("revision", None)
        for attr, value in validated_data.items():
            setattr(record, attr, value)
        try:
            return services.conference_save(
                conference=record,
                actor=request.user,
                base_revision=None if adding else (base_revision or body_revision),
            )
        except EditConflict as conflict:
            raise EditConflictError(conflict) from conflict
        except DjangoValidationError as error:
            raise serializers.ValidationError(self.model_errors(error)) from error
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error) or None) from error

    def get_phase(self, conference) -> str:
        return str(conference.phase())

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
        page = self.context.get("conference_topics")
        if page is not None and conference.pk in page:
            topics = page[conference.pk]
        else:
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
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="Files (multipart/form-data, one `attachments` part per file): up to three PDF, office "
        "documents or images, checked by their content as on the pages.",
    )

    def validate_attachments(self, uploads):
        """The same checks as the pages' form: how many, which kinds (by content), how large."""
        from django import forms

        from ..forms import PostForm

        form = PostForm()
        form.cleaned_data = {"attachments": uploads}
        try:
            form.clean_attachments()
        except (forms.ValidationError, DjangoValidationError) as error:
            raise serializers.ValidationError(error.messages) from error
        self.checked_files = form.checked_files
        return uploads
