"""Reporting cycle pages: the list, a cycle with the submissions received, the Secretariat's form, the
analyzer
(with its XLSX export), the synthesis report (page, and PDF/DOCX files built in the background)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from capacityhub.core.choices import Status
from capacityhub.reference.models import Country

from .. import selectors, services
from ..analysis import analyse
from ..exports import analysis_workbook
from ..forms import AnalysisForm, CycleForm, ReportRequestForm
from ..models import ReportingCycle, Submission, SynthesisReport
from ..synthesis import build_synthesis
from .plans import SecretariatMixin, is_secretariat


def get_cycle(pk):
    return get_object_or_404(
        ReportingCycle.objects.select_related("questionnaire", "questionnaire__plan", "previous"), pk=pk
    )


class CycleListView(TemplateView):
    template_name = "plans/cycle_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            cycles=selectors.cycles(), nav_section="plans", is_secretariat=is_secretariat(self.request.user)
        )
        return context


class CycleView(TemplateView):
    """A cycle: what it asks, its deadline, and the submissions received (published), each readable and
    printable; for signed-in users, their own submission to start or continue."""

    template_name = "plans/cycle_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = get_cycle(self.kwargs["pk"])
        user = self.request.user
        received = list(selectors.published_submissions(cycle))
        context.update(
            cycle=cycle,
            received=received,
            late_count=sum(1 for s in received if s.is_late),
            own=list(selectors.own_submissions(user, cycle)),
            can_start=services.can_start_submission(user),
            is_secretariat=is_secretariat(user),
            reports=cycle.reports.all()[:5] if is_secretariat(user) else [],
            nav_section="plans",
        )
        return context


class CycleEditView(SecretariatMixin, TemplateView):
    template_name = "plans/cycle_form.html"

    def get_object(self):
        return get_cycle(self.kwargs["pk"]) if "pk" in self.kwargs else ReportingCycle()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = self.get_object()
        context.setdefault(
            "form", CycleForm(instance=cycle, initial=self.request.GET.dict() if not cycle.pk else None)
        )
        context.update(cycle=cycle if cycle.pk else None, nav_section="plans")
        return context

    def post(self, request, *args, **kwargs):
        cycle = self.get_object()
        form = CycleForm(request.POST, instance=cycle)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            cycle = services.cycle_save(cycle=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("The reporting cycle was saved."))
        return HttpResponseRedirect(cycle.get_absolute_url())


def _analysis_choices(request, cycle):
    countries = Country.objects.filter(
        pk__in=Submission.objects.filter(cycle=cycle, status=Status.PUBLISHED, country__isnull=False).values(
            "country_id"
        )
    )
    form = AnalysisForm(request.GET or None, countries=countries)
    options = {"countries": [], "regions": [], "group_by": "cbd_group"}
    if form.is_bound and form.is_valid():
        options = {
            "countries": [c.iso2 for c in form.cleaned_data["country"]],
            "regions": [r.code for r in form.cleaned_data["region"]],
            "group_by": form.cleaned_data["group_by"] or "cbd_group",
        }
    return form, options


class AnalysisView(TemplateView):
    """The analyzer: per question, counts and shares of the answers, by region or group, for the countries
    chosen; the previous cycle beside them; the free-text answers with their authors. One section at a
    time."""

    template_name = "plans/analysis.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = get_cycle(self.kwargs["pk"])
        form, options = _analysis_choices(self.request, cycle)
        definition = cycle.questionnaire.definition()
        section_key = self.request.GET.get("section") or (
            definition.sections[0].key if definition.sections else ""
        )
        section = definition.section(section_key) or (definition.sections[0] if definition.sections else None)
        keys = {q.key for q in definition.section_questions(section.key)} if section else set()
        analysis = analyse(cycle, keys=keys, **options)
        params = self.request.GET.copy()
        params.pop("section", None)
        context.update(
            cycle=cycle,
            form=form,
            analysis=analysis,
            definition=definition,
            section=section,
            figures=analysis.section_figures(section.key) if section else [],
            querystring=params.urlencode(),
            nav_section="plans",
        )
        return context


def analysis_xlsx(request, pk):
    cycle = get_cycle(pk)
    _form, options = _analysis_choices(request, cycle)
    analysis = analyse(cycle, **options)
    content = analysis_workbook(analysis)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="analysis-cycle-{}.xlsx"'.format(cycle.pk)
    return response


class SynthesisView(TemplateView):
    """The synthesis report as a web page; the Secretariat also orders it as PDF or DOCX."""

    template_name = "plans/synthesis.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = get_cycle(self.kwargs["pk"])
        secretariat = is_secretariat(self.request.user)
        context.update(
            cycle=cycle,
            synthesis=build_synthesis(cycle),
            is_secretariat=secretariat,
            report_form=ReportRequestForm() if secretariat else None,
            reports=[r for r in cycle.reports.all()[:6] if r.state] if secretariat else [],
            public_reports=cycle.reports.filter(state="done").order_by("format", "-created_at"),
            nav_section="plans",
        )
        return context


class SynthesisBuildView(SecretariatMixin, View):
    """POST: queue the building of the synthesis report as a PDF or DOCX file in the page's language."""

    def post(self, request, pk):
        cycle = get_cycle(pk)
        form = ReportRequestForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose PDF or DOCX."))
            return HttpResponseRedirect(cycle.get_absolute_url())
        report = services.synthesis_report_request(
            cycle=cycle,
            report_format=form.cleaned_data["format"],
            actor=request.user,
            language=get_language()[:2],
        )
        messages.info(request, _("The report is being built. This page shows its progress."))
        return HttpResponseRedirect(report.get_absolute_url())


class ReportView(TemplateView):
    """A report file's progress (the page refreshes itself, without script, until the file is ready)."""

    template_name = "plans/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = get_object_or_404(SynthesisReport.objects.select_related("cycle"), pk=self.kwargs["pk"])
        if not is_secretariat(self.request.user) and report.state != "done":
            raise Http404
        context.update(report=report, cycle=report.cycle, nav_section="plans")
        return context


def report_download(request, pk):
    """The file of a finished report: the synthesis of published submissions is public."""
    report = get_object_or_404(SynthesisReport, pk=pk, state="done")
    if not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    from ..documents import report_filename

    return FileResponse(handle, as_attachment=True, filename=report_filename(report))
