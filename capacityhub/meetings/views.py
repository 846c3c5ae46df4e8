"""Pages of meetings and decisions (the generic record views, with their related rows), meeting documents,
recommendations, links, the Liaison Group and the meetings' iCal feed."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from capacityhub.core import views as generic
from capacityhub.core.multilingual import current_language

from . import permissions, selectors, services
from .forms import DocumentFileForm, DocumentForm, LiaisonGroupMemberForm, LinkForm, RecommendationForm
from .models import (
    AgendaItem,
    Decision,
    DocumentFile,
    LiaisonGroupMember,
    Link,
    Meeting,
    MeetingDocument,
    Recommendation,
)


class ListView(generic.RecordListView):
    """The generic list, with the list's calendar and saved-search links."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query_string"] = self.request.GET.urlencode()
        return context


class MeetingDetailView(generic.RecordDetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = context["record"]
        user = self.request.user
        recommendations = list(meeting.recommendations.all())
        incoming = selectors.links_to(recommendations, user)
        for recommendation in recommendations:
            recommendation.visible_decisions = [d for d in recommendation.decisions.all() if d.is_published]
            recommendation.incoming_links = incoming.get(recommendation.pk, [])
        from capacityhub.conferences.selectors import conferences_feeding

        context.update(
            can_change=permissions.can_change(user, meeting),
            recommendations=recommendations,
            documents=meeting.documents.all(),
            decisions_adopted=[d for d in meeting.decisions_adopted.all() if permissions.can_view(user, d)],
            decisions_considering=[d for d in meeting.decisions.all() if permissions.can_view(user, d)],
            conferences=conferences_feeding(meeting, user),
        )
        return context


class DecisionDetailView(generic.RecordDetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision = context["record"]
        user = self.request.user
        context.update(
            can_change=permissions.can_change(user, decision),
            links=selectors.links_from(decision, user),
            considered_meetings=[
                m for m in decision.considered_meetings.all() if permissions.can_view(user, m)
            ],
            link_form=LinkForm(),
        )
        return context


def _meeting_for_change(request, pk):
    meeting = get_object_or_404(permissions.visible(Meeting.objects.all(), request.user), pk=pk)
    if not permissions.can_change(request.user, meeting):
        raise PermissionDenied
    return meeting


class DocumentEditView(LoginRequiredMixin, TemplateView):
    """Add a document to a meeting (with its first file), or edit one."""

    template_name = "meetings/document_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "document" in kwargs:
            self.document = get_object_or_404(
                MeetingDocument.objects.select_related("meeting"), pk=kwargs["document"]
            )
            self.meeting = _meeting_for_change(request, self.document.meeting_id)
        else:
            self.meeting = _meeting_for_change(request, kwargs["pk"])
            self.document = MeetingDocument(meeting=self.meeting)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        form = DocumentForm(
            instance=self.document, meeting=self.meeting, initial={"language": current_language()}
        )
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = DocumentForm(request.POST, request.FILES, instance=self.document, meeting=self.meeting)
        if form.is_valid():
            try:
                services.document_save(
                    document=form.save(commit=False),
                    actor=request.user,
                    upload=form.cleaned_data.get("upload"),
                    language=form.cleaned_data.get("language"),
                    checked=form.checked_upload,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The document was saved."))
                return HttpResponseRedirect(self.document.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(meeting=self.meeting, document=self.document if self.document.pk else None)
        if self.document.pk:
            context["file_form"] = DocumentFileForm()
        return context


class DocumentFileAddView(LoginRequiredMixin, View):
    """Add a file, in another language, to a meeting document. POST only."""

    def post(self, request, document):
        document = get_object_or_404(MeetingDocument.objects.select_related("meeting"), pk=document)
        _meeting_for_change(request, document.meeting_id)
        form = DocumentFileForm(request.POST, request.FILES, instance=DocumentFile(document=document))
        if form.is_valid():
            services.document_file_add(
                document=document,
                language=form.cleaned_data["language"],
                upload=form.cleaned_data["file"],
                checked=(None, form.instance.content_type, form.instance.size, form.instance.sha256),
                actor=request.user,
            )
            messages.success(request, _("The file was added."))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return HttpResponseRedirect(document.get_absolute_url())


def document_file(request, pk):
    """A meeting document's file, to those who may see the meeting; always as a download."""
    item = get_object_or_404(DocumentFile.objects.select_related("document__meeting"), pk=pk)
    if not permissions.can_view(request.user, item.document.meeting):
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.filename,
        content_type=item.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class RecommendationEditView(LoginRequiredMixin, TemplateView):
    template_name = "meetings/recommendation_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "recommendation" in kwargs:
            self.recommendation = get_object_or_404(Recommendation, pk=kwargs["recommendation"])
            self.meeting = _meeting_for_change(request, self.recommendation.meeting_id)
        else:
            self.meeting = _meeting_for_change(request, kwargs["pk"])
            self.recommendation = Recommendation(meeting=self.meeting)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        form = RecommendationForm(instance=self.recommendation)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = RecommendationForm(request.POST, instance=self.recommendation)
        if form.is_valid():
            try:
                services.recommendation_save(recommendation=form.save(commit=False), actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The recommendation was saved."))
                return HttpResponseRedirect(self.recommendation.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            meeting=self.meeting,
            recommendation=self.recommendation if self.recommendation.pk else None,
            link_form=LinkForm(),
            links=selectors.links_from(self.recommendation, self.request.user)
            if self.recommendation.pk
            else [],
        )
        return context


class LinkAddView(LoginRequiredMixin, View):
    """Link a decision or a recommendation to a record or a web page. POST only."""

    def post(self, request, kind, pk):
        model = {"decision": Decision, "recommendation": Recommendation}.get(kind)
        if model is None:
            raise Http404
        source = get_object_or_404(model, pk=pk)
        form = LinkForm(request.POST)
        if form.is_valid():
            try:
                services.link_add(
                    source=source,
                    relation=form.cleaned_data["relation"],
                    address=form.cleaned_data["address"],
                    label=form.cleaned_data["label"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The link was added."))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return HttpResponseRedirect(source.get_absolute_url())


class LinkDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        link = get_object_or_404(Link, pk=pk)
        source = link.source
        services.link_remove(link=link, actor=request.user)
        messages.success(request, _("The link was removed."))
        return HttpResponseRedirect(source.get_absolute_url())


class LiaisonGroupView(TemplateView):
    """The Liaison Group: its members and their terms, and its meetings."""

    template_name = "meetings/liaison_group.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.liaison_group(self.request.user))
        context["can_manage"] = permissions.can_manage_liaison_group(self.request.user)
        return context


class LiaisonMemberEditView(LoginRequiredMixin, TemplateView):
    template_name = "meetings/liaison_member_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not permissions.can_manage_liaison_group(request.user):
            raise PermissionDenied
        pk = kwargs.get("pk")
        self.member = get_object_or_404(LiaisonGroupMember, pk=pk) if pk else LiaisonGroupMember()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(form=LiaisonGroupMemberForm(instance=self.member))
        )

    def post(self, request, *args, **kwargs):
        form = LiaisonGroupMemberForm(request.POST, instance=self.member)
        if form.is_valid():
            services.liaison_member_save(member=form.save(commit=False), actor=request.user)
            messages.success(request, _("The member was saved."))
            from django.urls import reverse

            return HttpResponseRedirect(reverse("meetings:liaison_group"))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member"] = self.member if self.member.pk else None
        return context


class RemoveView(LoginRequiredMixin, TemplateView):
    """Remove a meeting document or an agenda item: GET asks for confirmation, POST removes (those who may
    edit the meeting, through the services, which record the removal in the meeting's history)."""

    template_name = "meetings/confirm_remove.html"
    kind = None  # "document" or "agenda_item"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        model = MeetingDocument if self.kind == "document" else AgendaItem
        self.target = get_object_or_404(model, pk=kwargs["pk"])
        self.meeting = _meeting_for_change(request, self.target.meeting_id)
        self.target.meeting = self.meeting
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            if self.kind == "document":
                services.document_remove(document=self.target, actor=request.user)
            else:
                services.agenda_item_remove(item=self.target, actor=request.user)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages), status=400)
        messages.success(request, _("Removed: {}. The meeting's history keeps it.").format(self.target))
        anchor = "#documents" if self.kind == "document" else "#agenda"
        return HttpResponseRedirect(self.meeting.get_absolute_url() + anchor)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        heading = _("Remove this document?") if self.kind == "document" else _("Remove this agenda item?")
        context.update(meeting=self.meeting, target=self.target, heading=heading, kind=self.kind)
        return context
