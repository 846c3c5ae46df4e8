"""API serializers of plans (with their tree), questionnaires (with their definition), cycles and submissions.

A submission's answers are ``{"answers": {question key: value}, "explanations": {question key: {option value:
text or number}}}``: a value is an option value (single option, count bucket), a list of option values
(multiple options, vocabulary terms), a whole number, or a text. Unknown questions and option values are
refused with a message per question; answers to questions the skip logic disables are dropped."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from capacityhub.core import services as core_services
from capacityhub.core.api.fields import CountryField, MultilingualField
from capacityhub.core.api.serializers import RECORD_FIELDS, EditConflictError, RecordSerializer
from capacityhub.reference.models import Organization

from .. import engine, services
from ..definitions import export_definition
from ..models import Plan, PlanArea, PlanElement, Questionnaire, ReportingCycle, Submission


class ActivitySerializer(serializers.Serializer):
    number = serializers.CharField()
    title = MultilingualField()


class IndicatorSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = MultilingualField()
    value_type = serializers.CharField()
    unit = MultilingualField()


class ElementSerializer(serializers.ModelSerializer):
    title = MultilingualField()
    description = MultilingualField()
    activities = ActivitySerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    initiatives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = PlanElement
        fields = [
            "number",
            "kind",
            "title",
            "description",
            "activities",
            "indicators",
            "initiatives",
            "web_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, element):
        request = self.context.get("request")
        return (
            request.build_absolute_uri(element.get_absolute_url()) if request else element.get_absolute_url()
        )


class AreaSerializer(serializers.ModelSerializer):
    title = MultilingualField()
    description = MultilingualField()
    thematic_area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    elements = ElementSerializer(many=True, read_only=True)
    initiatives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PlanArea
        fields = ["number", "identifier", "title", "description", "thematic_area", "elements", "initiatives"]


class PlanSerializer(serializers.ModelSerializer):
    """A plan with its tree (in the detail) and what is still missing."""

    title = MultilingualField()
    short_title = MultilingualField()
    notes = MultilingualField()
    supersedes = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    url = serializers.HyperlinkedIdentityField(view_name="plan-detail", lookup_field="key")
    web_url = serializers.SerializerMethodField()
    areas = AreaSerializer(many=True, read_only=True)
    crosswalk = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = [
            "key",
            "url",
            "web_url",
            "title",
            "short_title",
            "adopted_by",
            "annex",
            "period_start",
            "period_end",
            "supersedes",
            "is_complete",
            "completeness",
            "notes",
            "is_demo",
            "areas",
            "crosswalk",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})  # a list of links
    def get_crosswalk(self, plan):
        """The crosswalk links of this plan with other versions, both directions (as
        ``/api/plans/<key>/crosswalk/``)."""
        from django.db.models import Q

        from ..crosswalks import link_data
        from ..models import Crosswalk

        links = Crosswalk.objects.filter(
            Q(source_area__plan=plan) | Q(target_area__plan=plan)
        ).select_related("source_area__plan", "source_element", "target_area__plan", "target_element")
        return [link_data(link) for link in links]

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, plan):
        request = self.context.get("request")
        return request.build_absolute_uri(plan.get_absolute_url()) if request else plan.get_absolute_url()


class PlanBriefSerializer(PlanSerializer):
    class Meta(PlanSerializer.Meta):
        fields = [name for name in PlanSerializer.Meta.fields if name not in ("areas", "crosswalk")]


class QuestionnaireSerializer(serializers.ModelSerializer):
    title = MultilingualField()
    description = MultilingualField()
    plan = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    url = serializers.HyperlinkedIdentityField(view_name="questionnaire-detail")
    definition = serializers.SerializerMethodField(allow_null=True)  # only in the detail

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "url",
            "key",
            "version",
            "kind",
            "title",
            "description",
            "plan",
            "previous",
            "source",
            "is_demo",
            "definition",
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_definition(self, questionnaire):
        """The sections and questions, in the shape of the questionnaire files."""
        if not self.context.get("with_definition"):
            return None
        data = export_definition(questionnaire)
        data["previous_mapping"] = questionnaire.previous_mapping
        return data


class CycleSerializer(serializers.ModelSerializer):
    title = MultilingualField(max_length=300)
    description = MultilingualField(required=False)
    url = serializers.HyperlinkedIdentityField(view_name="cycle-detail")
    web_url = serializers.SerializerMethodField()
    published_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ReportingCycle
        fields = [
            "id",
            "url",
            "web_url",
            "title",
            "description",
            "questionnaire",
            "respondents",
            "period_start",
            "period_end",
            "opens_on",
            "deadline",
            "previous",
            "decision",
            "reminder_days",
            "is_demo",
            "published_count",
        ]
        read_only_fields = ["is_demo"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, cycle):
        request = self.context.get("request")
        return request.build_absolute_uri(cycle.get_absolute_url()) if request else cycle.get_absolute_url()

    def validate(self, data):
        instance = ReportingCycle(**{**({} if self.instance is None else self._current()), **data})
        try:
            instance.full_clean(exclude=["questionnaire", "previous"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return data

    def _current(self):
        return {
            f.name: getattr(self.instance, f.name)
            for f in ReportingCycle._meta.concrete_fields
            if f.name != "id"
        }


class SubmissionSerializer(RecordSerializer):
    """A submission: who reports for which cycle, its answers, and when it was received."""

    country = CountryField(required=False, allow_null=True)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    cycle = serializers.PrimaryKeyRelatedField(queryset=ReportingCycle.objects.all())
    answers = serializers.JSONField(required=False, help_text=_("Answers by question key."))
    explanations = serializers.JSONField(
        required=False, help_text=_("Explanations (texts or figures) of the options chosen, by question key.")
    )
    respondent = serializers.SerializerMethodField()

    select_related = ("cycle", "country", "organization")
    prefetch_related = ()

    class Meta:
        model = Submission
        fields = [
            *RECORD_FIELDS,
            "cycle",
            "country",
            "organization",
            "respondent",
            "title",
            "answers",
            "explanations",
            "received_at",
            "is_late",
        ]
        read_only_fields = ["received_at", "is_late"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_respondent(self, submission):
        return submission.respondent_name()

    def validate(self, data):
        cycle = data.get("cycle") or (self.instance.cycle if self.instance else None)
        if self.instance is not None:
            for name in ("cycle", "country", "organization"):
                if name in data and data[name] != getattr(self.instance, name):
                    raise serializers.ValidationError(
                        {name: [_("This cannot be changed once the submission exists.")]}
                    )
        elif bool(data.get("country")) == bool(data.get("organization")):
            raise serializers.ValidationError(_("Give either a country or an organization."))
        if "answers" in data or "explanations" in data:
            definition = cycle.questionnaire.definition()
            answers, explanations, errors = engine.check_values(
                definition, data.get("answers", {}), data.get("explanations", {})
            )
            if errors:
                raise serializers.ValidationError({"answers": errors})
            data["answers"], data["explanations"] = answers, explanations
        return data

    def create(self, validated_data):
        request = self.context["request"]
        try:
            submission = services.submission_start(
                cycle=validated_data["cycle"],
                country=validated_data.get("country"),
                organization=validated_data.get("organization"),
                title=validated_data.get("title"),
                original_language=validated_data.get("original_language", "en"),
                actor=request.user,
            )
            if validated_data.get("answers"):
                submission, _dropped = services.submission_save_answers(
                    submission=submission,
                    actor=request.user,
                    answers=validated_data["answers"],
                    explanations=validated_data.get("explanations", {}),
                )
        except DjangoValidationError as error:
            raise serializers.ValidationError(self.model_errors(error)) from error
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error) or None) from error
        return submission

    def update(self, instance, validated_data):
        request = self.context["request"]
        base_revision = validated_data.pop("base_revision", None) or validated_data.pop("revision", None)
        for name in ("title", "original_language"):
            if name in validated_data:
                setattr(instance, name, validated_data[name])
        answers = validated_data.get("answers", instance.answers)
        explanations = validated_data.get(
            "explanations", instance.explanations if "answers" not in validated_data else {}
        )
        try:
            submission, _dropped = services.submission_save_answers(
                submission=instance,
                actor=request.user,
                answers=answers,
                explanations=explanations,
                base_revision=base_revision,
            )
        except core_services.EditConflict as conflict:
            raise EditConflictError(conflict) from conflict
        except DjangoValidationError as error:
            raise serializers.ValidationError(self.model_errors(error)) from error
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error) or None) from error
        return submission
