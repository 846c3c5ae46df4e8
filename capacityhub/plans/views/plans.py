"""Plan pages: the list of plans, a plan's tree, each area's or element's page, import and export."""

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

from .. import planfiles, selectors, services
from ..analysis import status_summary
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
        )
        return context


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
    """Upload a plan file: a new plan, or the completion of an existing one (matched by key)."""

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
        try:
            data = planfiles.read_plan_file(form.cleaned_data["file"])
            plan, results = services.plan_import(
                data=data, actor=request.user, source=form.cleaned_data["file"].name
            )
        except planfiles.PlanFileError as error:
            return self.render_to_response(
                self.get_context_data(form=form, file_errors=error.messages), status=400
            )
        for result in results:
            if result.changed:
                messages.info(request, str(result))
        messages.success(request, _("The plan was imported."))
        return HttpResponseRedirect(plan.get_absolute_url())


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
