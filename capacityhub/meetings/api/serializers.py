"""API serializers of meetings and decisions. Texts are ``{language code: text}``; countries by ISO code;
organizations and meetings by id. Agenda, documents (with a download address per language and format),
recommendations (with their follow-up) and paragraphs are read-only here (edited on the pages)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from capacityhub.core.api.fields import ContentLanguageField, MultilingualField, absolute
from capacityhub.core.api.serializers import RECORD_FIELDS, RecordSerializer

from ..models import (
    AgendaItem,
    Decision,
    DecisionParagraph,
    DocumentFile,
    Meeting,
    MeetingDocument,
    Recommendation,
)


class AgendaItemSerializer(serializers.ModelSerializer):
    title = MultilingualField(read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["number", "title"]


class DocumentFileSerializer(serializers.ModelSerializer):
    language = ContentLanguageField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentFile
        fields = ["language", "content_type", "size", "sha256", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, item):
        return absolute(
            self.context.get("request"), reverse("meetings:document_file", kwargs={"pk": item.pk})
        )


class DocumentSerializer(serializers.ModelSerializer):
    title = MultilingualField(read_only=True)
    files = DocumentFileSerializer(many=True, read_only=True)
    agenda_item = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = MeetingDocument
        fields = ["id", "symbol", "title", "kind", "agenda_item", "files"]


class RecommendationSerializer(serializers.ModelSerializer):
    text = MultilingualField(read_only=True)
    follow_up_note = MultilingualField(read_only=True)
    decisions = serializers.SlugRelatedField(slug_field="symbol", many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = ["id", "number", "text", "follow_up_status", "follow_up_note", "decisions"]


class MeetingSerializer(RecordSerializer):
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    recommendations = RecommendationSerializer(many=True, read_only=True)

    select_related = ("country", "organizer")
    prefetch_related = (
        "agenda_items",
        "documents__files",
        "documents__agenda_item",
        "recommendations__decisions",
        "participant_countries",
        "participant_organizations",
    )

    class Meta:
        model = Meeting
        fields = [
            *RECORD_FIELDS,
            "kind",
            "series_number",
            "title",
            "summary",
            "start_date",
            "end_date",
            "is_online",
            "venue",
            "city",
            "country",
            "organizer",
            "participant_countries",
            "participant_organizations",
            "participant_count",
            "report",
            "website",
            "agenda",
            "documents",
            "recommendations",
        ]


class ParagraphSerializer(serializers.ModelSerializer):
    text = MultilingualField(read_only=True)

    class Meta:
        model = DecisionParagraph
        fields = ["number", "text"]


class DecisionListSerializer(serializers.ListSerializer):
    """A page of decisions: their links are read for the whole page at once."""

    def to_representation(self, data):
        from ..selectors import links_from_many

        decisions = list(data.all() if hasattr(data, "all") else data)
        request = self.context.get("request")
        self.context["decision_links"] = links_from_many(decisions, getattr(request, "user", None))
        return super().to_representation(decisions)


class DecisionSerializer(RecordSerializer):
    paragraphs = ParagraphSerializer(many=True, read_only=True)
    links = serializers.SerializerMethodField()

    select_related = ("meeting", "publisher")
    prefetch_related = ("paragraphs", "considered_meetings", "recommendations", "considered_documents")

    class Meta:
        model = Decision
        fields = [
            *RECORD_FIELDS,
            "symbol",
            "title",
            "publisher",
            "meeting",
            "adopted_on",
            "summary",
            "official_url",
            "considered_meetings",
            "considered_documents",
            "recommendations",
            "paragraphs",
            "links",
        ]
        list_serializer_class = DecisionListSerializer

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "relation": {"type": "string"},
                    "label": {"type": "string"},
                    "url": {"type": "string"},
                    "type": {"type": "string", "nullable": True},
                    "id": {"type": "integer", "nullable": True},
                },
            },
        }
    )
    def get_links(self, decision):
        """Plans and other records the decision links (adopted, considered…), that the user may see."""
        from ..selectors import links_from

        request = self.context.get("request")
        user = getattr(request, "user", None)
        page = self.context.get("decision_links")
        links = page.get(decision.pk, []) if page is not None else links_from(decision, user)
        return [
            {
                "relation": link.relation,
                "label": link.target_display,
                "url": absolute(request, link.target_url()) if not link.url else link.url,
                "type": "{}.{}".format(link.target_type.app_label, link.target_type.model)
                if link.target_type_id
                else None,
                "id": link.target_id,
            }
            for link in links
        ]
