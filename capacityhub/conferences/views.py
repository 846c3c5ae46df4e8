"""Pages of online conferences. Every page asks :mod:`.permissions` and writes through :mod:`.services`;
every action is a plain form (POST), so everything works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from capacityhub.core import views as generic
from capacityhub.core.multilingual import current_language
from capacityhub.core.services import EditConflict
from capacityhub.meetings.calendar import conference_events, ics_response, list_params, request_language

from . import outcome as outcomes
from . import permissions, selectors, services
from .forms import (
    BackgroundDocumentForm,
    ConclusionForm,
    ConferenceForm,
    FlagForm,
    HideForm,
    ModeratorForm,
    ObjectiveForm,
    PostEditForm,
    PostForm,
    RegistrationForm,
    TopicForm,
)
from .models import Attachment, BackgroundDocument, Conference, Objective, Participant, Post, Topic


def _messages_from(request, error):
    for message in getattr(error, "messages", [str(error)]):
        messages.error(request, message)


class ConferenceMixin:
    """Loads ``self.conference`` (404 when the user may not see it) and, for ``moderator_only`` views,
    refuses non-moderators."""

    moderator_only = False

    def dispatch(self, request, *args, **kwargs):
        if self.moderator_only and not request.user.is_authenticated:
            return HttpResponseRedirect(
                "{}?next={}".format(reverse("accounts:login"), request.get_full_path())
            )
        self.conference = get_object_or_404(
            permissions.visible(
                Conference.objects.select_related("organizer", "feeds_meeting"), request.user
            ),
            pk=kwargs["pk"],
        )
        if self.moderator_only and not permissions.is_moderator(request.user, self.conference):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            conference=self.conference,
            is_moderator=permissions.is_moderator(user, self.conference),
            participant=permissions.participant_of(user, self.conference),
            nav_section="conferences",
        )
        return context

    def back(self, url=None):
        return HttpResponseRedirect(url or self.conference.get_absolute_url())


class ConferenceListView(generic.RecordListView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            can_add=permissions.can_create(self.request.user), query_string=self.request.GET.urlencode()
        )
        return context


class ConferenceDetailView(ConferenceMixin, TemplateView):
    template_name = "conferences/conference_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference, user = self.conference, self.request.user
        context.update(
            objectives=conference.objectives.all(),
            topics=selectors.topics_with_counts(conference, user),
            documents=conference.documents.filter(topic__isnull=True),
            moderators=conference.moderators.select_related("user"),
            can_edit=permissions.can_edit(user, conference),
            can_publish=permissions.can_publish(user, conference),
            can_register=permissions.can_register(user, conference),
            can_read_posts=permissions.can_read_posts(user, conference),
            statistics=selectors.participation_statistics(conference),
            outcome=getattr(conference, "outcome", None),
            queue=selectors.moderation_queue(conference) if context["is_moderator"] else None,
        )
        return context


class ConferenceEditView(LoginRequiredMixin, TemplateView):
    """Create a conference (Secretariat and conference moderators) or edit one (its moderators)."""

    template_name = "conferences/conference_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "pk" in kwargs:
            self.object = get_object_or_404(
                permissions.visible(Conference.objects.all(), request.user), pk=kwargs["pk"]
            )
            if not permissions.can_edit(request.user, self.object):
                raise PermissionDenied
        else:
            if not permissions.can_create(request.user):
                raise PermissionDenied
            self.object = Conference()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        form = ConferenceForm(instance=self.object, user=request.user)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = ConferenceForm(request.POST, instance=self.object, user=request.user)
        if form.is_valid():
            try:
                conference = services.conference_save(
                    conference=form.save(commit=False),
                    actor=request.user,
                    base_revision=form.cleaned_data.get("base_revision") if self.object.pk else None,
                )
            except EditConflict:
                form.add_error(
                    None, _("Somebody else saved this conference while you were editing it. Reload it.")
                )
                return self.render_to_response(self.get_context_data(form=form), status=409)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The conference was saved."))
                return HttpResponseRedirect(conference.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["conference"] = self.object if self.object.pk else None
        return context


class ConferenceActionView(LoginRequiredMixin, ConferenceMixin, View):
    """Publish, close or reopen a conference; compile its outcome. POST only."""

    def post(self, request, pk, action):
        conference, user = self.conference, request.user
        try:
            if action == "publish":
                services.conference_publish(conference=conference, actor=user)
                messages.success(request, _("The conference is published."))
            elif action == "close":
                services.conference_close(conference=conference, actor=user)
                messages.success(request, _("The conference is closed: it is a read-only archive now."))
            elif action == "reopen":
                services.conference_reopen(conference=conference, actor=user)
                messages.success(request, _("The conference is open again."))
            elif action == "compile":
                outcome = outcomes.outcome_compile(conference=conference, actor=user)
                messages.success(request, _("The outcome was compiled."))
                return HttpResponseRedirect(outcome.get_absolute_url())
            else:
                raise Http404
        except ValidationError as error:
            _messages_from(request, error)
        return self.back()


class ConferenceTransitionView(generic.RecordTransitionView):
    """Submit, publish, return (with a comment) or archive a conference: the workflow of every record, at
    ``conference_transition``. Publishing goes through ``conference_publish``, which the conference's
    moderators may do as well as its organization's publishers. POST only."""

    def get_object(self, action=None):
        return get_object_or_404(
            permissions.visible(Conference.objects.all(), self.request.user), pk=self.kwargs["pk"]
        )

    def post(self, request, *args, **kwargs):
        if kwargs["action"] != "publish":
            return super().post(request, *args, **kwargs)
        conference = self.get_object()
        try:
            services.conference_publish(conference=conference, actor=request.user)
        except ValidationError as error:
            _messages_from(request, error)
        else:
            messages.success(request, _("The conference is published."))
        return self.back_to(conference)

    def back_to(self, conference):
        return HttpResponseRedirect(conference.get_absolute_url())


class ObjectiveEditView(LoginRequiredMixin, ConferenceMixin, TemplateView):
    moderator_only = True
    template_name = "conferences/simple_form.html"

    def get_object(self):
        if "objective" in self.kwargs:
            return get_object_or_404(Objective, pk=self.kwargs["objective"], conference=self.conference)
        number = (
            self.conference.objectives.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        return Objective(conference=self.conference, number=number)

    def get(self, request, *args, **kwargs):
        objective = self.get_object()
        return self.render_to_response(self.get_context_data(form=ObjectiveForm(instance=objective)))

    def post(self, request, *args, **kwargs):
        form = ObjectiveForm(request.POST, instance=self.get_object())
        if form.is_valid():
            try:
                services.objective_save(objective=form.save(commit=False), actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return self.back(self.conference.get_absolute_url() + "#objectives")
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Objective")
        return context


class TopicMixin(ConferenceMixin):
    def get_topic(self):
        topic = get_object_or_404(Topic, conference=self.conference, number=self.kwargs["number"])
        topic.conference = self.conference
        return topic


class TopicEditView(LoginRequiredMixin, TopicMixin, TemplateView):
    moderator_only = True
    template_name = "conferences/simple_form.html"

    def get_object(self):
        if "number" in self.kwargs:
            return self.get_topic()
        number = (
            self.conference.topics.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        return Topic(conference=self.conference, number=number)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=TopicForm(instance=self.get_object())))

    def post(self, request, *args, **kwargs):
        form = TopicForm(request.POST, instance=self.get_object())
        if form.is_valid():
            try:
                topic = services.topic_save(topic=form.save(commit=False), actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return HttpResponseRedirect(topic.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Topic")
        return context


class TopicView(TopicMixin, TemplateView):
    """A topic: its description, documents, threads of posts, the form to post, and its conclusion."""

    template_name = "conferences/topic_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topic, user = self.get_topic(), self.request.user
        reply_to = quote = None
        if self.request.GET.get("reply", "").isdigit():
            reply_to = Post.objects.filter(topic=topic, pk=self.request.GET["reply"]).first()
        if self.request.GET.get("quote", "").isdigit():
            quote = Post.objects.filter(
                topic__conference=self.conference, pk=self.request.GET["quote"]
            ).first()
            reply_to = reply_to or (quote if quote and quote.topic_id == topic.pk else None)
        refusal = permissions.posting_refusal(user, topic, parent=reply_to)
        can_read = permissions.can_read_posts(user, self.conference)
        context.update(
            topic=topic,
            threads=selectors.thread_tree(topic, user) if can_read else [],
            can_read_posts=can_read,
            documents=topic.documents.all(),
            refusal=refusal if user.is_authenticated else None,
            form=kwargs.get("form")
            or PostForm(
                conference=self.conference,
                initial={"language": current_language()},
            ),
            reply_to=reply_to,
            quote=quote,
            conclusion_form=ConclusionForm(instance=topic) if context["is_moderator"] else None,
            flag_form=FlagForm(),
        )
        return context


class PostCreateView(LoginRequiredMixin, TopicMixin, TemplateView):
    """Write a post in a topic (a new thread, or a reply with ``parent``, quoting with ``quoted``)."""

    template_name = "conferences/topic_detail.html"

    def post(self, request, *args, **kwargs):
        topic = self.get_topic()
        form = PostForm(request.POST, request.FILES, conference=self.conference)
        parent = _post_or_none(request.POST.get("parent"), topic__conference=self.conference)
        quoted = _post_or_none(request.POST.get("quoted"), topic__conference=self.conference)
        if form.is_valid():
            try:
                post = services.post_create(
                    topic=topic,
                    actor=request.user,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    language=form.cleaned_data["language"],
                    parent=parent,
                    quoted=quoted,
                    files=form.checked_files,
                )
            except ValidationError as error:
                status = 429 if getattr(error, "code", "") == "rate_limited" else 400
                form.add_error(None, error)
                return self._again(form, status)
            if post.is_published:
                messages.success(request, _("Your message is published."))
            else:
                messages.success(
                    request, _("Thank you. Your message will appear once a moderator has approved it.")
                )
            return HttpResponseRedirect(post.get_absolute_url())
        return self._again(form, 400)

    def _again(self, form, status):
        view = TopicView()
        view.setup(self.request, *self.args, **self.kwargs)
        view.conference = self.conference
        context = view.get_context_data(form=form)
        return self.render_to_response(context, status=status)


def _post_or_none(value, **conditions):
    if value and str(value).isdigit():
        return Post.objects.filter(pk=value, **conditions).first()
    return None


class PostMixin:
    """Loads ``self.post`` (among the posts the user may see) and its conference."""

    def dispatch(self, request, *args, **kwargs):
        post = get_object_or_404(
            Post.objects.select_related("topic__conference", "author"), pk=kwargs["post"]
        )
        conference = post.topic.conference
        if not permissions.can_view(request.user, conference) or not permissions.can_read_posts(
            request.user, conference
        ):
            raise Http404
        if (
            not Post.objects.filter(pk=post.pk)
            .filter(permissions.posts_filter(request.user, conference))
            .exists()
        ):
            raise Http404
        self.post_object, self.conference = post, conference
        return super().dispatch(request, *args, **kwargs)

    def back(self):
        return HttpResponseRedirect(self.post_object.get_absolute_url())


class PostEditView(LoginRequiredMixin, PostMixin, TemplateView):
    template_name = "conferences/post_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not permissions.can_edit_post(request.user, self.post_object):
            raise PermissionDenied
        post = self.post_object
        form = PostEditForm(
            conference=self.conference,
            initial={"subject": post.subject, "body": post.body, "language": post.language},
        )
        return self.render_to_response(
            self.get_context_data(form=form, post=post, conference=self.conference)
        )

    def post(self, request, *args, **kwargs):
        form = PostEditForm(request.POST, conference=self.conference)
        if form.is_valid():
            try:
                services.post_edit(
                    post=self.post_object,
                    actor=request.user,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    language=form.cleaned_data["language"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The post was edited; its previous text is kept in its history."))
                return self.back()
        context = self.get_context_data(form=form, post=self.post_object, conference=self.conference)
        return self.render_to_response(context, status=400)


class PostHistoryView(PostMixin, TemplateView):
    """A post's edit history: every previous text, who wrote it and when."""

    template_name = "conferences/post_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.post_object
        if not permissions.can_see_post_text(self.request.user, post):
            raise Http404
        context.update(
            post=post, conference=self.conference, revisions=post.revisions.select_related("written_by")
        )
        return context


class PostFlagView(LoginRequiredMixin, PostMixin, View):
    def post(self, request, *args, **kwargs):
        form = FlagForm(request.POST)
        if form.is_valid():
            try:
                services.flag_create(
                    post=self.post_object, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                _messages_from(request, error)
            else:
                messages.success(request, _("Thank you: the moderators will look at this post."))
        else:
            messages.error(request, _("Say what is wrong with this post."))
        return self.back()


class PostModerateView(LoginRequiredMixin, PostMixin, TemplateView):
    """A moderator's action on a post (approve, hide with a reason, restore, pin, close its thread, mark a
    key contribution, dismiss flags). ``hide`` shows a form for the reason on GET."""

    template_name = "conferences/post_hide.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if kwargs["action"] != "hide" or not permissions.is_moderator(request.user, self.conference):
            raise Http404
        return self.render_to_response(self.get_context_data(form=HideForm(), post=self.post_object))

    def post(self, request, *args, **kwargs):
        action = kwargs["action"]
        try:
            if action == "resolve":
                services.flags_resolve(post=self.post_object, actor=request.user)
            else:
                services.post_moderate(
                    post=self.post_object,
                    actor=request.user,
                    action=action,
                    reason=request.POST.get("reason", ""),
                )
        except ValidationError as error:
            if action == "hide":
                form = HideForm(request.POST)
                form.is_valid()
                form.add_error(None, error)
                return self.render_to_response(
                    self.get_context_data(form=form, post=self.post_object), status=400
                )
            _messages_from(request, error)
        else:
            messages.success(request, _("Done."))
        next_url = request.POST.get("next", "")
        if next_url.startswith("/") and not next_url.startswith("//"):
            return HttpResponseRedirect(next_url)
        return self.back()


class ConclusionView(LoginRequiredMixin, TopicMixin, View):
    moderator_only = True

    def post(self, request, *args, **kwargs):
        topic = self.get_topic()
        form = ConclusionForm(request.POST, instance=topic)
        if form.is_valid():
            services.topic_conclude(
                topic=topic, actor=request.user, conclusion=form.cleaned_data["conclusion"]
            )
            messages.success(request, _("The conclusion was saved."))
        else:
            messages.error(request, _("Write the conclusion in at least one language."))
        return HttpResponseRedirect(topic.get_absolute_url() + "#conclusion")


class TopicCloseView(LoginRequiredMixin, TopicMixin, View):
    moderator_only = True

    def post(self, request, *args, **kwargs):
        if kwargs["action"] not in ("close", "reopen"):
            raise Http404
        topic = self.get_topic()
        services.topic_close(topic=topic, actor=request.user, closed=kwargs["action"] == "close")
        return HttpResponseRedirect(topic.get_absolute_url())


class RegisterView(LoginRequiredMixin, ConferenceMixin, TemplateView):
    """Register in a conference with one's profile (country, organization, stakeholder type)."""

    template_name = "conferences/register.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=RegistrationForm()))

    def post(self, request, *args, **kwargs):
        form = RegistrationForm(
            request.POST, instance=Participant(conference=self.conference, user=request.user)
        )
        if form.is_valid():
            try:
                services.participant_register(participant=form.save(commit=False), actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("You are registered. A moderator will approve your registration.")
                )
                return self.back()
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_register"] = permissions.can_register(self.request.user, self.conference)
        return context


class ParticipantsView(LoginRequiredMixin, ConferenceMixin, TemplateView):
    """The participants and their registrations (moderators approve or decline here)."""

    moderator_only = True
    template_name = "conferences/participants.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["participants"] = self.conference.participants.select_related(
            "user", "country", "organization"
        )
        return context

    def post(self, request, *args, **kwargs):
        participant = get_object_or_404(
            Participant, pk=request.POST.get("participant"), conference=self.conference
        )
        services.participant_decide(
            participant=participant, approve=request.POST.get("decision") == "approve", actor=request.user
        )
        messages.success(request, _("Done."))
        return HttpResponseRedirect(reverse("conferences:participants", kwargs={"pk": self.conference.pk}))


class ModerationView(LoginRequiredMixin, ConferenceMixin, TemplateView):
    """The moderators' queue (registrations, posts to approve, flags) and the moderation log."""

    moderator_only = True
    template_name = "conferences/moderation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            queue=selectors.moderation_queue(self.conference),
            events=self.conference.events.select_related("actor", "post")[:200],
            hide_form=HideForm(),
        )
        return context


class ModeratorsView(LoginRequiredMixin, ConferenceMixin, TemplateView):
    moderator_only = True
    template_name = "conferences/moderators.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            moderators=self.conference.moderators.select_related("user"),
            form=kwargs.get("form") or ModeratorForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        from capacityhub.accounts.models import User

        if request.POST.get("remove"):
            user = get_object_or_404(User, pk=request.POST["remove"])
            try:
                services.moderator_remove(conference=self.conference, user=user, actor=request.user)
            except ValidationError as error:
                _messages_from(request, error)
            return HttpResponseRedirect(request.path)
        form = ModeratorForm(request.POST)
        if form.is_valid():
            services.moderator_add(
                conference=self.conference, user=form.cleaned_data["username"], actor=request.user
            )
            messages.success(request, _("The moderator was added."))
            return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DocumentAddView(LoginRequiredMixin, ConferenceMixin, TemplateView):
    moderator_only = True
    template_name = "conferences/simple_form.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(form=BackgroundDocumentForm(conference=self.conference))
        )

    def post(self, request, *args, **kwargs):
        form = BackgroundDocumentForm(
            request.POST,
            request.FILES,
            conference=self.conference,
            instance=BackgroundDocument(conference=self.conference),
        )
        if form.is_valid():
            services.document_add(document=form.save(commit=False), actor=request.user, checked=form.checked)
            messages.success(request, _("The document was added."))
            return self.back()
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(heading=_("Background document"), multipart=True)
        return context


def _serve(field_file, content_type, name):
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=content_type or "application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def document_file(request, pk, document):
    conference = get_object_or_404(permissions.visible(Conference.objects.all(), request.user), pk=pk)
    item = get_object_or_404(BackgroundDocument, pk=document, conference=conference)
    if not item.file:
        raise Http404
    return _serve(item.file, item.content_type, item.filename)


def attachment_file(request, pk):
    """A post's attachment, to those who may read the post's text."""
    item = get_object_or_404(Attachment.objects.select_related("post__topic__conference"), pk=pk)
    post, user = item.post, request.user
    conference = post.topic.conference
    visible = Post.objects.filter(pk=post.pk).filter(permissions.posts_filter(user, conference)).exists()
    if not (
        permissions.can_read_posts(user, conference) and visible and permissions.can_see_post_text(user, post)
    ):
        raise Http404
    return _serve(item.file, item.content_type, item.filename)


class OutcomeView(ConferenceMixin, TemplateView):
    """The compiled outcome: the background-paper draft as a page, with its PDF and DOCX."""

    template_name = "conferences/outcome.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        outcome = getattr(self.conference, "outcome", None)
        if outcome is None:
            raise Http404
        context.update(outcome=outcome, data=outcome.data)
        return context


def outcome_file(request, pk, fmt):
    conference = get_object_or_404(permissions.visible(Conference.objects.all(), request.user), pk=pk)
    outcome = getattr(conference, "outcome", None)
    if outcome is None or fmt not in ("pdf", "docx"):
        raise Http404
    field = getattr(outcome, fmt)
    content_type = "application/pdf" if fmt == "pdf" else outcomes.DOCX_TYPE
    return _serve(field, content_type, field.name.rsplit("/", 1)[-1])


def conference_calendar(request):
    """``/<lang>/conferences/calendar.ics``: conference windows, with the list's filters."""
    with translation.override(request_language(request)):
        events = list(conference_events(request, list_params(request)))
        return ics_response(events, _("CapacityHub online conferences"))


class RemoveView(LoginRequiredMixin, ConferenceMixin, TemplateView):
    """Remove an objective, a topic (without posts) or a background document: GET asks for confirmation,
    POST removes (moderators only, through the services, which keep what was removed in the conference's
    history and moderation log)."""

    moderator_only = True
    template_name = "conferences/confirm_remove.html"
    kind = None  # "objective", "topic" or "document"

    def get_target(self):
        conference = self.conference
        if self.kind == "objective":
            target = get_object_or_404(Objective, conference=conference, pk=self.kwargs["objective"])
        elif self.kind == "topic":
            target = get_object_or_404(Topic, conference=conference, number=self.kwargs["number"])
        else:
            target = get_object_or_404(BackgroundDocument, conference=conference, pk=self.kwargs["document"])
        target.conference = conference
        return target

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(target=self.get_target()))

    def post(self, request, *args, **kwargs):
        target = self.get_target()
        remove = {
            "objective": lambda: services.objective_remove(objective=target, actor=request.user),
            "topic": lambda: services.topic_remove(topic=target, actor=request.user),
            "document": lambda: services.document_remove(document=target, actor=request.user),
        }[self.kind]
        try:
            remove()
        except ValidationError as error:
            context = self.get_context_data(target=target, errors=error.messages)
            return self.render_to_response(context, status=400)
        messages.success(request, _("Removed: {}. The conference's history keeps it.").format(target))
        anchor = {"objective": "#objectives", "topic": "#topics", "document": "#documents"}[self.kind]
        return self.back(self.conference.get_absolute_url() + anchor)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels = {
            "objective": _("Remove this objective?"),
            "topic": _("Remove this topic?"),
            "document": _("Remove this background document?"),
        }
        context.update(heading=labels[self.kind], kind=self.kind)
        return context
