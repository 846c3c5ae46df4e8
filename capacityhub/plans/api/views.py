"""API of the plans app:

- ``/api/plans/`` and ``/api/plans/<key>/``: plans with their tree (areas → elements → activities and
  indicators, linked initiatives); ``/api/plans/<key>/export/`` the plan file; ``POST /api/plans/import/``
  (the
  Secretariat) imports one;
- ``/api/questionnaires/`` and ``/api/questionnaires/<id>/``: versions with their definition (sections,
  questions, options, skip logic, mapping to the previous questionnaire);
- ``/api/cycles/`` (written by the Secretariat) and ``/api/cycles/<id>/analysis/``: the analyzer's figures
  (``?country=KE&region=cbd-africa&group_by=cbd_group&question=Q007``);
- ``/api/submissions/``: submissions as records (the generic record API: filters, workflow actions
  ``submit``, ``publish``, ``return``, ``archive``, optimistic locking), with their answers.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from capacityhub.core.api.permissions import RecordPermission
from capacityhub.core.api.views import RecordViewSet
from capacityhub.core.registry import registry

from .. import planfiles, selectors, services
from ..analysis import analyse
from ..models import Plan, PlanElement, Questionnaire
from . import serializers


class SecretariatWrites(permissions.BasePermission):
    """Anyone reads; the Secretariat writes."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and request.user.is_secretariat)


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Plans (versions of the capacity-building Framework and Action Plan), with their tree in the detail."""

    lookup_field = "key"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    permission_classes = [SecretariatWrites]

    def get_queryset(self):
        queryset = Plan.objects.select_related("supersedes")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                "areas__thematic_area",
                "areas__initiatives",
                Prefetch(
                    "areas__elements",
                    queryset=PlanElement.objects.prefetch_related("activities", "indicators", "initiatives"),
                ),
            )
        return queryset

    def get_serializer_class(self):
        return serializers.PlanSerializer if self.action == "retrieve" else serializers.PlanBriefSerializer

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def export(self, request, key=None):
        """The plan file (the shape ``import`` reads)."""
        return Response(planfiles.export_plan(self.get_object()))

    @extend_schema(request=OpenApiTypes.OBJECT, responses=serializers.PlanBriefSerializer)
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_plan(self, request):
        """Import a plan file (JSON body): a new plan, or the completion of the plan with the same key."""
        try:
            plan, results = services.plan_import(data=request.data, actor=request.user, source="API")
        except planfiles.PlanFileError as error:
            raise exceptions.ValidationError({"errors": error.messages}) from error
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        data = serializers.PlanBriefSerializer(plan, context=self.get_serializer_context()).data
        data["results"] = [str(result) for result in results]
        return Response(data)


class QuestionnaireViewSet(viewsets.ReadOnlyModelViewSet):
    """Questionnaire versions; the detail carries the definition."""

    serializer_class = serializers.QuestionnaireSerializer
    permission_classes = [SecretariatWrites]
    queryset = Questionnaire.objects.select_related("plan").order_by("key", "-version")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["with_definition"] = self.action == "retrieve"
        return context


class CycleViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Reporting cycles; the Secretariat creates and edits them. ``analysis`` gives the analyzer's figures."""

    serializer_class = serializers.CycleSerializer
    permission_classes = [SecretariatWrites]

    def get_queryset(self):
        return selectors.cycles()

    def perform_create(self, serializer):
        serializer.instance = services.cycle_save(
            cycle=serializer.Meta.model(**serializer.validated_data), actor=self.request.user
        )

    def perform_update(self, serializer):
        cycle = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(cycle, name, value)
        serializer.instance = services.cycle_save(cycle=cycle, actor=self.request.user)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def analysis(self, request, pk=None):
        """Counts and shares per question and option (by region or group), numbers, and the previous cycle's
        shares. ``?country=`` and ``?region=`` (repeated) choose the countries; ``?group_by=cbd_group``
        (``un_region``, ``special_group``); ``?question=`` (repeated) limits the questions; ``?texts=1`` adds
        the free-text answers with their authors."""
        cycle = get_object_or_404(selectors.cycles(), pk=pk)
        keys = request.query_params.getlist("question") or None
        group_by = request.query_params.get("group_by", "cbd_group")
        if group_by not in ("cbd_group", "un_region", "special_group"):
            raise exceptions.ValidationError({"group_by": ["cbd_group, un_region or special_group."]})
        with_texts = request.query_params.get("texts") in ("1", "true")
        analysis = analyse(
            cycle,
            countries=[c.upper() for c in request.query_params.getlist("country")],
            regions=request.query_params.getlist("region"),
            group_by=group_by,
            keys=keys,
            texts=with_texts,
        )
        return Response(
            {
                "cycle": cycle.pk,
                "submissions": analysis.total,
                "previous_cycle": analysis.previous_cycle.pk if analysis.previous_cycle else None,
                "groups": [
                    {"code": g.code, "label": g.label, "submissions": g.respondents} for g in analysis.groups
                ],
                "questions": [_figure_data(figure, with_texts) for figure in analysis.figures.values()],
            }
        )


def _figure_data(figure, with_texts):
    data = {
        "key": figure.key,
        "number": figure.question.number,
        "type": figure.question.type,
        "answered": figure.respondents,
        "answered_by_group": figure.by_group,
        "previous_key": figure.previous_key or None,
        "previous_answered": figure.previous_respondents,
    }
    if figure.options:
        data["options"] = [
            {
                "value": o.value,
                "label": o.label,
                "count": o.count,
                "share": o.share,
                "by_group": {code: {"count": n, "share": share} for code, (n, share) in o.by_group.items()},
                "previous_count": o.previous_count,
                "previous_share": o.previous_share,
            }
            for o in figure.options
        ]
    if figure.numbers:
        data["numbers"] = {k: float(v) if v is not None else None for k, v in figure.numbers.items()}
    if with_texts:
        data["texts"] = [
            {
                "submission": t.submission.pk,
                "respondent": t.author,
                "option": t.option or None,
                "text": t.text,
            }
            for t in figure.texts
        ]
    return data


class SubmissionPermission(RecordPermission):
    """As for every record, except that organization publishers may also create (their organization's)."""

    def has_permission(self, request, view):
        if getattr(view, "action", None) == "create" and request.user and request.user.is_authenticated:
            return services.can_start_submission(request.user)
        return super().has_permission(request, view)


class SubmissionViewSet(RecordViewSet):
    """Submissions on the status of implementation and national reports: who reports for which cycle, and the
    answers. Drafts are visible to their country's users (or their author) and to the Secretariat."""

    record_type = registry["submission"]
    serializer_class = serializers.SubmissionSerializer
    permission_classes = [SubmissionPermission]
