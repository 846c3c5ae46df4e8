"""API of the plans app:

- ``/api/plans/`` and ``/api/plans/<key>/``: plans with their tree (areas → elements → activities and
  indicators, linked initiatives); ``/api/plans/<key>/export/`` the plan file; ``POST /api/plans/import/``
  (the Secretariat) imports a plan file or a crosswalk file (``?dry_run=1``: checked, nothing written);
  ``/api/plans/<key>/crosswalk/?to=<key>`` the crosswalk links with other versions (both directions);
  ``/api/plans/<key>/submissions/?part=<number>`` what the published submissions say about a part;
- ``/api/questionnaires/`` and ``/api/questionnaires/<id>/``: versions with their definition (sections,
  questions, options, skip logic, mapping to the previous questionnaire);
- ``/api/cycles/`` (written by the Secretariat) and ``/api/cycles/<id>/analysis/``: the analyzer's figures
  (``?country=KE&region=cbd-africa&group_by=cbd_group&question=Q007``);
- ``/api/submissions/``: submissions as records (the generic record API: filters, workflow actions
  ``submit``, ``publish``, ``return``, ``archive``, optimistic locking), with their answers.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from capacityhub.core.api.permissions import RecordPermission
from capacityhub.core.api.views import RecordViewSet
from capacityhub.core.registry import registry

from .. import crosswalks, planfiles, selectors, services
from ..analysis import analyse, plan_part_mentions, status_answers, status_summary
from ..models import Crosswalk, Plan, PlanArea, PlanElement, Questionnaire, ReportingCycle
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
        """Import a plan file (JSON body): a new plan, or the completion of the plan with the same key; or a
        crosswalk file (``{"key", "crosswalk"}`` without ``areas``). ``?dry_run=1`` checks it and says what
        the import would do, writing nothing."""
        dry_run = request.query_params.get("dry_run") in ("1", "true")
        data = request.data
        kind = services.upload_kind(data)
        if kind == services.UPLOAD_QUESTIONNAIRE:
            raise exceptions.ValidationError(
                {"errors": ["Import questionnaires with /api/questionnaires/import/."]}
            )
        try:
            kind, plan, results = services.upload_import(
                data=data, actor=request.user, kind=kind, dry_run=dry_run, source="API"
            )
        except planfiles.PlanFileError as error:
            raise exceptions.ValidationError({"errors": error.messages}) from error
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        data = (
            {"key": plan.key}
            if dry_run
            else serializers.PlanBriefSerializer(plan, context=self.get_serializer_context()).data
        )
        data.update(kind=kind, dry_run=dry_run, results=[str(result) for result in results])
        return Response(data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def crosswalk(self, request, key=None):
        """The crosswalk links of this plan with other versions, in both directions (``?to=<key>``: with
        one version only)."""
        plan = self.get_object()
        other_key = request.query_params.get("to")
        if other_key:
            other = get_object_or_404(Plan, key=other_key)
            links = crosswalks.links_between(plan, other)
        else:
            links = list(
                Crosswalk.objects.filter(
                    Q(source_area__plan=plan) | Q(target_area__plan=plan)
                ).select_related("source_area__plan", "source_element", "target_area__plan", "target_element")
            )
        return Response(
            {
                "plan": plan.key,
                "related_plans": [p.key for p in crosswalks.related_plans(plan)],
                "links": [crosswalks.link_data(link) for link in links],
            }
        )

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def submissions(self, request, key=None):
        """What the published submissions say about a part of the plan (``?part=<area or element
        number>``): the status reported in each status-of-implementation cycle, with the submissions, and the
        national-report questions mapped to the part."""
        plan = self.get_object()
        number = request.query_params.get("part", "")
        element = PlanElement.objects.filter(plan=plan, number=number).select_related("area").first()
        area = element.area if element else PlanArea.objects.filter(plan=plan, number=number).first()
        if area is None:
            raise exceptions.ValidationError({"part": ["No area or element of this plan has this number."]})
        cycles = []
        for cycle in ReportingCycle.objects.filter(questionnaire__plan=plan).order_by("-deadline", "-pk"):
            summary = status_summary(cycle, element=element, area=area)
            if summary is None or not summary.total:
                continue
            cycles.append(
                {
                    "cycle": cycle.pk,
                    "submissions": summary.total,
                    "status": [
                        {"status": label, "submissions": [_submission_ref(s) for s in submissions]}
                        for label, submissions in status_answers(cycle, summary)
                    ],
                }
            )
        return Response(
            {
                "plan": plan.key,
                "part": number,
                "status_cycles": cycles,
                "national_reports": [
                    {
                        "cycle": m.cycle.pk,
                        "question": m.question.key,
                        "option": m.option or None,
                        "count": m.count,
                        "answered": m.respondents,
                        "submissions": [_submission_ref(s) for s in m.submissions],
                    }
                    for m in plan_part_mentions(area, element)
                ],
            }
        )


def _submission_ref(submission):
    return {
        "id": submission.pk,
        "respondent": submission.respondent_name(),
        "url": submission.get_absolute_url(),
    }


class QuestionnaireViewSet(viewsets.ReadOnlyModelViewSet):
    """Questionnaire versions; the detail carries the definition."""

    serializer_class = serializers.QuestionnaireSerializer
    permission_classes = [SecretariatWrites]
    queryset = Questionnaire.objects.select_related("plan").order_by("key", "-version")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["with_definition"] = self.action == "retrieve"
        return context

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_definition(self, request):
        """Import a questionnaire definition (JSON body, the shape of a questionnaire's export), matched by
        key and version (the Secretariat). ``?dry_run=1`` checks it, writing nothing."""
        dry_run = request.query_params.get("dry_run") in ("1", "true")
        try:
            _kind, questionnaire, results = services.upload_import(
                data=request.data,
                actor=request.user,
                kind=services.UPLOAD_QUESTIONNAIRE,
                dry_run=dry_run,
                source="API",
            )
        except planfiles.PlanFileError as error:
            raise exceptions.ValidationError({"errors": error.messages}) from error
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        return Response(
            {
                "id": None if dry_run else questionnaire.pk,
                "key": questionnaire.key,
                "version": questionnaire.version,
                "dry_run": dry_run,
                "results": [str(result) for result in results],
            }
        )


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
