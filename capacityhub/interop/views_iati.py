"""The IATI pages: the upload page (Secretariat and organization publishers) and the IATI XML download of
the initiatives list, with the list's filters and only what the user may see. Thin views over
:mod:`capacityhub.interop.services` and :mod:`capacityhub.interop.iati.exporter`."""

from django import forms
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from capacityhub.core import permissions
from capacityhub.registry.filtersets import InitiativeFilterSet
from capacityhub.registry.models import Initiative

from .iati.exporter import iter_activities_xml
from .services import iati_file_import


def upload_limit():
    """Largest IATI file accepted on the page (bytes); larger files go through ``manage.py import_iati``."""
    return getattr(settings, "IATI_UPLOAD_MAX_BYTES", 50 * 1024 * 1024)


class IatiImportForm(forms.Form):
    file = forms.FileField(
        label=_("IATI file"),
        help_text=_("An IATI 2.01, 2.02 or 2.03 activity or organisation file (XML)."),
    )
    dry_run = forms.BooleanField(
        label=_("Check only (dry run): show what the import would do, write nothing"),
        required=False,
        initial=True,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > upload_limit():
            raise forms.ValidationError(
                _(
                    "The file is {size}; the page accepts files up to {limit}. Larger files are imported "
                    "with the import_iati command."
                ).format(size=filesizeformat(upload.size), limit=filesizeformat(upload_limit()))
            )
        return upload


def may_import(user):
    return user.is_authenticated and (user.is_secretariat or bool(user.organization_ids()))


class IatiImportView(LoginRequiredMixin, FormView):
    """Upload an IATI file: checked (and imported unless it is a dry run), then its report, errors grouped
    by activity. Records are published when the user is the Secretariat or a publisher of the reporting
    organization, drafts otherwise."""

    template_name = "interop/iati_import.html"
    form_class = IatiImportForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        report = iati_file_import(
            source=upload, name=upload.name, actor=self.request.user, dry_run=form.cleaned_data["dry_run"]
        )
        return self.render_to_response(self.get_context_data(form=IatiImportForm(), report=report))

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class IatiExportView(View):
    """``iati/export.xml``: the initiatives the user may see, filtered as the list (same query parameters),
    as an IATI 2.03 activity file streamed as it is written."""

    def get(self, request):
        queryset = permissions.restrict(Initiative.objects.all(), request.user, permissions.VIEW)
        filterset = InitiativeFilterSet(request.GET, queryset=queryset, request=request)
        response = StreamingHttpResponse(
            iter_activities_xml(filterset.qs), content_type="application/xml; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="capacityhub-iati-activities.xml"'
        return response
