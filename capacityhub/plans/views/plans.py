"""Plan pages: the list of plans, a plan's tree, each area's or element's page, import and export."""

import io
import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from capacityhub.core import permissions
from capacityhub.core.choices import Status

from .. import crosswalks, planfiles, selectors, services
from ..analysis import plan_part_mentions, status_answers, status_summary
from ..forms import InitiativeLinkForm, PlanUploadForm
from ..models import Crosswalk, Plan, PlanArea, PlanElement, ReportingCycle


def is_secretariat(user):
    return bool(user.is_authenticated and user.is_secretariat)


class SecretariatMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_secretariat:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PlanListView(TemplateView):
    """The plans, newest first, with what each still lacks (for the Secretariat)."""

    template_name = "plans/plan_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plans = list(
            selectors.plans().select_related("supersedes").order_by("is_demo", "-period_start", "key")
        )
        context.update(
            plans=plans,
            nav_section="plans",
            is_secretariat=is_secretariat(self.request.user),
            cycles=selectors.cycles()[:10],
        )
        return context


class PlanView(TemplateView):
    """A plan's tree: areas, elements, activities and indicators, with the places still to be completed."""

    template_name = "plans/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = get_object_or_404(Plan.objects.select_related("supersedes"), key=self.kwargs["key"])
        tree = selectors.plan_tree(plan)
        secretariat = is_secretariat(self.request.user)
        context.update(
            plan=plan,
            tree=tree,
            nav_section="plans",
            successors=list(plan.superseded_by.all()),
            gaps=selectors.plan_gaps(plan, tree) if not plan.is_complete else [],
            reportable=selectors.is_reportable(plan, tree),
            questionnaires=plan.questionnaires.order_by("-version"),
            cycles=ReportingCycle.objects.filter(questionnaire__plan=plan).order_by("-deadline"),
            crosswalk_out=Crosswalk.objects.filter(source_area__plan=plan).select_related(
                "source_area", "source_element", "target_area__plan", "target_element"
            ),
            crosswalk_in=Crosswalk.objects.filter(target_area__plan=plan).select_related(
                "source_area__plan", "source_element", "target_area", "target_element"
            ),
            is_secretariat=secretariat,
            related_plans=crosswalks.related_plans(plan),
        )
        return context


class CrosswalkView(TemplateView):
    """The crosswalk between two versions of the plan: each area and element of the first with its
    counterparts in the second (in both directions of the links)."""

    template_name = "plans/crosswalk.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = get_object_or_404(Plan, key=self.kwargs["key"])
        other = get_object_or_404(Plan, key=self.kwargs["other"])
        if other.pk == plan.pk:
            raise Http404
        tree = selectors.plan_tree(plan)
        rows = crosswalks.crosswalk_table(plan, other, tree)
        context.update(
            plan=plan,
            other=other,
            rows=rows,
            linked=sum(1 for row in rows if row.links),
            other_plans=[p for p in crosswalks.related_plans(plan) if p.pk != other.pk],
            nav_section="plans",
            is_secretariat=is_secretariat(self.request.user),
        )
        return context


def crosswalk_export(request, key, other):
    plan = get_object_or_404(Plan, key=key)
    other = get_object_or_404(Plan, key=other)
    response = HttpResponse(
        json.dumps(crosswalks.export_crosswalk(plan, other), ensure_ascii=False, indent=1),
        content_type="application/json",
    )
    response["Content-Disposition"] = 'attachment; filename="crosswalk-{}-{}.json"'.format(
        plan.key, other.key
    )
    return response


def plan_export(request, key):
    plan = get_object_or_404(Plan, key=key)
    response = HttpResponse(
        json.dumps(planfiles.export_plan(plan), ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="{}.json"'.format(plan.key)
    return response


class PlanUnitView(TemplateView):
    """An area's or an element's page: its text, activities and indicators, the crosswalk, the initiatives
    that
    contribute to it, and what the submissions of the latest cycle on the plan say about it."""

    template_name = "plans/plan_unit.html"

    def get_unit(self):
        plan = get_object_or_404(Plan, key=self.kwargs["key"])
        number = self.kwargs["number"]
        element = (
            PlanElement.objects.filter(plan=plan, number=number)
            .select_related("area", "area__thematic_area")
            .prefetch_related("activities", "indicators")
            .first()
        )
        if element is not None:
            return plan, element.area, element
        area = PlanArea.objects.filter(plan=plan, number=number).select_related("thematic_area").first()
        if area is None:
            raise Http404
        return plan, area, None

    def get_context_data(self, **kwargs):
        from capacityhub.registry.models import Initiative

        context = super().get_context_data(**kwargs)
        plan, area, element = self.get_unit()
        unit = element or area
        user = self.request.user
        initiatives = permissions.restrict(Initiative.objects.all(), user).filter(
            pk__in=unit.initiatives.values("pk")
        )
        suggested = Initiative.objects.none()
        if area.thematic_area_id:
            suggested = (
                permissions.restrict(Initiative.objects.all(), user)
                .filter(status=Status.PUBLISHED, thematic_areas=area.thematic_area)
                .exclude(pk__in=unit.initiatives.values("pk"))
            )
        cycles = list(
            ReportingCycle.objects.filter(questionnaire__plan=plan)
            .select_related("questionnaire")
            .order_by("-deadline")
        )
        summaries = []
        for cycle in cycles[:2]:
            summary = status_summary(cycle, element=element, area=area)
            if summary is not None and summary.total:
                summary.by_status = status_answers(cycle, summary)
                summaries.append(summary)
        link_form = None
        if user.is_authenticated:
            link_form = InitiativeLinkForm(user=user)
            if not link_form.fields["initiative"].queryset.exists():
                link_form = None
        context.update(
            plan=plan,
            area=area,
            element=element,
            unit=unit,
            nav_section="plans",
            elements=list(area.elements.order_by("position")) if element is None else [],
            initiatives=initiatives.select_related("activity_status", "publisher").prefetch_related(
                "countries"
            ),
            suggested=suggested.select_related("activity_status", "publisher")[:10],
            summaries=summaries,
            mentions=plan_part_mentions(area, element),
            crosswalk_out=Crosswalk.objects.filter(source_area=area, source_element=element).select_related(
                "target_area__plan", "target_element"
            ),
            crosswalk_in=Crosswalk.objects.filter(target_area=area, target_element=element).select_related(
                "source_area__plan", "source_element"
            ),
            link_form=link_form,
            is_secretariat=is_secretariat(user),
        )
        return context


class PlanUnitLinkView(LoginRequiredMixin, PlanUnitView):
    """POST: link an initiative to the area or element (or unlink it, with ``unlink=1``)."""

    def get(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, *args, **kwargs):
        _plan, area, element = self.get_unit()
        unit = element or area
        form = InitiativeLinkForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, _("Choose an initiative you may edit."))
        else:
            unlink = request.POST.get("unlink") == "1"
            services.plan_unit_link_initiative(
                unit=unit, initiative=form.cleaned_data["initiative"], actor=request.user, unlink=unlink
            )
            messages.success(
                request, _("The link was removed.") if unlink else _("The initiative was linked.")
            )
        return HttpResponseRedirect(unit.get_absolute_url())


class PlanImportView(SecretariatMixin, TemplateView):
    """Upload a plan file, a crosswalk file or a questionnaire definition: first checked (a dry run that
    writes nothing and shows what the import would do, or every problem with its place), then imported."""

    template_name = "plans/plan_import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", PlanUploadForm())
        context["nav_section"] = "plans"
        return context

    def post(self, request, *args, **kwargs):
        form = PlanUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload = form.cleaned_data["file"]
        name = upload.name if upload else form.cleaned_data["name"]
        confirmed = request.POST.get("confirm") == "1" and not upload
        try:
            data = planfiles.read_plan_file(upload or io.StringIO(form.cleaned_data["content"]))
            kind, obj, results = services.upload_import(
                data=data,
                actor=request.user,
                kind=form.cleaned_data["kind"] or None,
                dry_run=not confirmed,
                source=name,
            )
        except planfiles.PlanFileError as error:
            return self.render_to_response(
                self.get_context_data(form=form, file_errors=error.messages), status=400
            )
        if not confirmed:
            confirm = PlanUploadForm(
                initial={
                    "content": json.dumps(data, ensure_ascii=False),
                    "name": name,
                    "kind": kind,
                }
            )
            return self.render_to_response(
                self.get_context_data(
                    form=form, preview=results, preview_kind=kind, preview_object=str(obj), confirm=confirm
                )
            )
        for result in results:
            if result.changed:
                messages.info(request, str(result))
        messages.success(request, _("The file was imported."))
        return HttpResponseRedirect(obj.get_absolute_url())  # the plan, or the questionnaire


class PlanQuestionnaireView(SecretariatMixin, View):
    """POST: create or refresh the plan's status-of-implementation questionnaire."""

    def post(self, request, key):
        plan = get_object_or_404(Plan, key=key)
        try:
            questionnaire, _results = services.status_questionnaire_generate(plan=plan, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseRedirect(plan.get_absolute_url())
        messages.success(request, _("The status-of-implementation questionnaire is up to date."))
        return HttpResponseRedirect(questionnaire.get_absolute_url())
