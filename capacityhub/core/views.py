"""Generic views for every record type. A record type's views only declare their ``record_type``;
everything else comes from the registry descriptor, the permission gate and the services."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from . import permissions, selectors, services
from .models import Version
from .versions import change_labels, version_diff

PAGE_SIZE = 20


class RecordTypeMixin:
    record_type = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record_type"] = self.record_type
        context["can_add"] = permissions.can(self.request.user, permissions.ADD, model=self.record_type.model)
        return context

    def get_object(self, action=permissions.VIEW):
        rt = self.record_type
        queryset = selectors.visible(rt, self.request.user).select_related(*rt.detail_select_related)
        record = get_object_or_404(
            queryset.prefetch_related(*rt.detail_prefetch_related), pk=self.kwargs["pk"]
        )
        if action != permissions.VIEW and not permissions.can(self.request.user, action, record):
            raise PermissionDenied
        return record


class RecordListView(RecordTypeMixin, TemplateView):
    """List with full-text search, facets with counts, sorting, pagination and a printer-friendly mode."""

    def get_template_names(self):
        return [self.record_type.list_template]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rt = self.record_type
        request = self.request
        queryset = selectors.visible(rt, request.user)
        filterset = rt.filterset(request.GET, queryset=queryset, request=request)
        filtered = filterset.qs
        active = {facet.param: request.GET.getlist(facet.param) for facet in rt.facets}
        ordered, sort = selectors.apply_sort(rt, filtered, request.GET.get("sort"))
        paginator = Paginator(
            ordered.select_related(*rt.list_select_related).prefetch_related(*rt.list_prefetch_related),
            PAGE_SIZE,
        )
        page = paginator.get_page(request.GET.get("page"))
        facets = selectors.facet_counts(rt, filtered, active)
        context.update(
            filterset=filterset,
            page=page,
            records=page.object_list,
            facets=facets,
            sort=sort,
            sorts=[(key, label) for key, (label, _o) in rt.sorts.items()],
            query=request.GET.get("q", ""),
            active_filters=_active_filters(request, facets),
            querystring_without_page=_querystring(request, drop=("page",)),
        )
        return context


def _querystring(request, drop=(), add=None):
    params = [(k, v) for k, values in request.GET.lists() for v in values if k not in drop]
    params += list((add or {}).items())
    return urlencode(params)


def _active_filters(request, facets):
    """Each active filter, labelled as in its facet, with the link that removes it."""
    chips = []
    for group in facets:
        for item in group["items"]:
            if not item["active"]:
                continue
            param = group["facet"].param
            remaining = [
                (k, v)
                for k, values in request.GET.lists()
                for v in values
                if not (k == param and v == item["value"]) and k != "page"
            ]
            chips.append(
                {
                    "facet": group["facet"],
                    "value": item["value"],
                    "label": item["label"],
                    "remove": "?" + urlencode(remaining),
                }
            )
    return chips


class RecordDetailView(RecordTypeMixin, TemplateView):
    def get_template_names(self):
        return [self.record_type.detail_template or "core/record_detail.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.get_object()
        context.update(
            record=record,
            actions=permissions.allowed_actions(self.request.user, record),
            version_count=Version.objects.filter(
                content_type=ContentType.objects.get_for_model(record), object_id=record.pk
            ).count(),
        )
        return context


class RecordEditView(LoginRequiredMixin, RecordTypeMixin, TemplateView):
    """Create (no ``pk``) or edit a record, with its inline rows, through ``services.record_save``."""

    template_name = "core/record_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "pk" in kwargs:
            self.object = self.get_object(permissions.CHANGE)
        else:
            if not permissions.can(request.user, permissions.ADD, model=self.record_type.model):
                raise PermissionDenied
            self.object = self.record_type.model()
        return super().dispatch(request, *args, **kwargs)

    def build_forms(self, data=None, files=None):
        rt = self.record_type
        # A new record may be pre-filled from the address, e.g. ?country=<id> from a country's page.
        initial = (
            {} if self.object.pk else {k: v for k, v in self.request.GET.items() if k != "base_revision"}
        )
        form = rt.form(data, files, instance=self.object, user=self.request.user, initial=initial)
        inlines = [
            formset_class(data, files, instance=self.object, prefix=formset_class.prefix_name)
            for formset_class in rt.inlines
        ]
        return form, inlines

    def get(self, request, *args, **kwargs):
        form, inlines = self.build_forms()
        return self.render_to_response(self.get_context_data(form=form, inlines=inlines))

    def post(self, request, *args, **kwargs):
        form, inlines = self.build_forms(request.POST, request.FILES)
        if not (form.is_valid() and all(formset.is_valid() for formset in inlines)):
            return self.render_to_response(self.get_context_data(form=form, inlines=inlines), status=400)
        record = form.save(commit=False)

        def save_related(saved):
            form.save_m2m()
            for formset in inlines:
                formset.instance = saved
                formset.save()
            after = getattr(form, "after_save", None)
            if after:
                after(saved)

        try:
            record = services.record_save(
                record=record,
                actor=request.user,
                base_revision=form.cleaned_data.get("base_revision") if self.object.pk else None,
                save_related=save_related,
            )
        except services.EditConflict as conflict:
            form.add_error(
                None,
                _(
                    "Somebody else saved this record while you were editing it. "
                    "Your changes were not saved; review what changed below, then edit again."
                ),
            )
            context = self.get_context_data(form=form, inlines=inlines)
            context["conflict"] = version_diff(record, conflict.base_revision, conflict.current_revision)
            return self.render_to_response(context, status=409)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form, inlines=inlines), status=400)
        messages.success(request, _("The record was saved."))
        return HttpResponseRedirect(record.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record"] = self.object if self.object.pk else None
        return context


class RecordTransitionView(LoginRequiredMixin, RecordTypeMixin, View):
    """Submit, publish, return (with a comment) or archive a record. POST only."""

    def post(self, request, *args, **kwargs):
        action = kwargs["action"]
        if action not in permissions.TRANSITIONS:
            raise Http404
        record = self.get_object()
        try:
            services.record_transition(
                record=record, action=action, actor=request.user, comment=request.POST.get("comment", "")
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, TRANSITION_MESSAGES[action])
        return HttpResponseRedirect(record.get_absolute_url())


TRANSITION_MESSAGES = {
    permissions.SUBMIT: gettext_lazy("Submitted for review."),
    permissions.PUBLISH: gettext_lazy("Published."),
    permissions.RETURN: gettext_lazy("Returned to its authors with your comment."),
    permissions.ARCHIVE: gettext_lazy("Archived: the record is no longer public; its history is kept."),
}


class RecordHistoryView(RecordTypeMixin, TemplateView):
    template_name = "core/record_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.get_object()
        versions = list(
            Version.objects.filter(
                content_type=ContentType.objects.get_for_model(record), object_id=record.pk
            ).select_related("actor")
        )
        for version in versions:
            version.change_labels = change_labels(type(record), version.changes)
        context.update(record=record, versions=versions)
        a, b = self.request.GET.get("from"), self.request.GET.get("to")
        if a and b and a.isdigit() and b.isdigit():
            context["diff"] = version_diff(record, int(a), int(b))
        return context
