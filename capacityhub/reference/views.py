"""Merging duplicate organizations (Secretariat only); the other pages are the generic record views."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from capacityhub.core.choices import Status

from . import services
from .models import Organization


class MergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        label=gettext_lazy("Organization to merge into this one"),
        queryset=Organization.objects.none(),
        help_text=gettext_lazy(
            "Its initiatives, records and roles move here; its names become other names of "
            "this organization; it is archived, not deleted."
        ),
    )


class OrganizationMergeView(LoginRequiredMixin, FormView):
    template_name = "reference/organization_merge.html"
    form_class = MergeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_secretariat:
            raise PermissionDenied
        self.keep = get_object_or_404(Organization, pk=kwargs["pk"], merged_into__isnull=True)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["duplicate"].queryset = (
            Organization.objects.filter(merged_into__isnull=True)
            .exclude(pk=self.keep.pk)
            .exclude(status=Status.ARCHIVED)
        )
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(keep=self.keep, **kwargs)

    def form_valid(self, form):
        duplicate = form.cleaned_data["duplicate"]
        try:
            services.organization_merge(keep=self.keep, duplicate=duplicate, actor=self.request.user)
        except ValidationError as error:
            form.add_error("duplicate", error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("{duplicate} was merged into {keep}.").format(
                duplicate=duplicate.display_title(), keep=self.keep.display_title()
            ),
        )
        return redirect(self.keep.get_absolute_url())
