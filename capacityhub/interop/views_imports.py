"""Import pages: upload a file (checked first by default), follow its progress, read the preview, apply it.
Thin views over ``capacityhub.interop.imports``."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from capacityhub.core import exports, permissions
from capacityhub.core.registry import registry

from . import imports
from .models import ImportJob


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV, XLSX or JSON in the layout of this list's downloads. The format is recognized."),
    )
    dry_run = forms.BooleanField(
        label=_("Check only: show what would change and write nothing"), required=False, initial=True
    )


class ImportStartView(LoginRequiredMixin, FormView):
    template_name = "interop/import_form.html"
    form_class = ImportForm
    record_type = None

    def dispatch(self, request, *args, **kwargs):
        model = self.record_type.model
        if request.user.is_authenticated and not permissions.can(request.user, permissions.ADD, model=model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        rt = self.record_type
        return super().get_context_data(
            record_type=rt,
            columns=exports.columns(rt, self.request.user),
            export_url=reverse(rt.url_name("export"), kwargs={"format": "csv"}),
            jobs=ImportJob.objects.filter(user=self.request.user, record_type=rt.key)[:5],
            **kwargs,
        )

    def form_valid(self, form):
        try:
            job = imports.import_job_create(
                record_type=self.record_type,
                upload=form.cleaned_data["file"],
                actor=self.request.user,
                dry_run=form.cleaned_data["dry_run"],
                language=get_language(),
            )
        except imports.ImportFileError as problem:
            form.add_error("file", problem.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        imports.import_job_start(job=job)
        return redirect("imports:job", pk=job.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ImportJobView(LoginRequiredMixin, TemplateView):
    """One import: progress while it runs (the page refreshes itself), then its preview or its outcome."""

    template_name = "interop/import_job.html"

    def get_context_data(self, **kwargs):
        job = get_object_or_404(ImportJob, pk=kwargs["pk"], user=self.request.user)
        rt = registry[job.record_type]
        return super().get_context_data(
            job=job,
            record_type=rt,
            refresh=job.is_active,
            can_apply=job.status == ImportJob.Status.CHECKED and bool(job.created_count + job.updated_count),
            **kwargs,
        )


class ImportJobApplyView(LoginRequiredMixin, View):
    def post(self, request, pk):
        job = get_object_or_404(ImportJob, pk=pk, user=request.user)
        try:
            imports.import_job_apply(job=job, actor=request.user)
        except PermissionDenied as problem:
            messages.error(request, str(problem))
        return redirect("imports:job", pk=job.pk)
