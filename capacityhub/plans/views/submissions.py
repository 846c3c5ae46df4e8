"""Submission pages. The list, history and workflow are the generic record views; these add starting a
submission, reading it, answering it section by section (each save keeps a draft), and checking it."""

import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from capacityhub.core import permissions
from capacityhub.core.models import Version
from capacityhub.core.services import EditConflict
from capacityhub.core.views import RecordDetailView, RecordEditView, RecordTypeMixin

from .. import engine, rendering, services
from ..models import Submission


def answers_url(submission, section=None):
    url = reverse("plans:submission_answers", kwargs={"pk": submission.pk})
    return "{}?section={}".format(url, section) if section else url


def own_revision(submission, base_revision, user):
    """The revision to check for conflicts: the one the page was opened at, moved forward over the saves made
    since by the same user (the page's background saves), so that only somebody else's save is a conflict."""
    if not base_revision or not str(base_revision).isdigit():
        return None
    base = int(base_revision)
    if base >= submission.revision:
        return base
    later = Version.objects.filter(
        content_type=ContentType.objects.get_for_model(Submission), object_id=submission.pk, number__gt=base
    )
    if later.exclude(actor=user).exists():
        return base
    return submission.revision


class SubmissionEditView(RecordEditView):
    """Without ``pk``: start a submission for a cycle — a country's (by its focal points and authorized
    users),
    an organization's (by its publishers), or any (by the Secretariat) — then on to the answers.
    With ``pk``: the submission's details (title, original language); the answers have their own pages."""

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            return super().dispatch(request, *args, **kwargs)
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not services.can_start_submission(request.user):
            raise PermissionDenied
        self.object = self.record_type.model()
        return TemplateView.dispatch(self, request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.object.pk:
            return super().post(request, *args, **kwargs)
        form, inlines = self.build_forms(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, inlines=inlines), status=400)
        data = form.cleaned_data
        try:
            submission = services.submission_start(
                cycle=data["cycle"],
                country=data.get("country"),
                organization=data.get("organization"),
                title=data.get("title"),
                original_language=data["original_language"],
                actor=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
            return self.render_to_response(self.get_context_data(form=form, inlines=inlines), status=400)
        messages.success(
            request, _("Your draft submission is ready: answer the questions, section by section.")
        )
        return HttpResponseRedirect(answers_url(submission))


class SubmissionDetailView(RecordDetailView):
    """A submission to read (and print), with what its editors still have to do."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = context["record"]
        definition = submission.cycle.questionnaire.definition()
        context.update(
            sections=rendering.read_answers(definition, submission.answers, submission.explanations),
            can_answer=permissions.can(self.request.user, permissions.CHANGE, submission),
            missing=engine.missing_answers(definition, submission.answers)
            if permissions.can(self.request.user, permissions.CHANGE, submission)
            else [],
            nav_section="plans",
        )
        return context


class SubmissionMixin(LoginRequiredMixin, RecordTypeMixin):
    def get_submission(self):
        submission = self.get_object()
        if not permissions.can(self.request.user, permissions.CHANGE, submission):
            raise PermissionDenied
        return submission


class SubmissionAnswersView(SubmissionMixin, TemplateView):
    """Answer the questions of one section. Works without JavaScript: each save stores the draft and applies
    the skip logic on the server; the page's script only enables and disables questions as you answer."""

    template_name = "plans/submission_answers.html"

    def current_section(self, definition):
        key = self.request.GET.get("section") or self.request.POST.get("section")
        if key and definition.section(key):
            return key
        return definition.sections[0].key if definition.sections else None

    def get(self, request, *args, **kwargs):
        submission = self.get_submission()
        return self.render_page(submission)

    def render_page(self, submission, *, answers=None, explanations=None, errors=None, status=200):
        definition = submission.cycle.questionnaire.definition()
        section_key = self.current_section(definition)
        answers = submission.answers if answers is None else answers
        explanations = submission.explanations if explanations is None else explanations
        keys = [s.key for s in definition.sections]
        index = keys.index(section_key) if section_key in keys else 0
        context = self.get_context_data(
            record=submission,
            definition=definition,
            section=definition.section(section_key),
            questions=rendering.bind_section(definition, section_key, answers, explanations, errors),
            progress=rendering.section_progress(definition, submission.answers),
            previous_section=keys[index - 1] if index > 0 else None,
            next_section=keys[index + 1] if index + 1 < len(keys) else None,
            errors=errors,
            saved_answers_json=json.dumps(submission.answers, separators=(",", ":")),
            nav_section="plans",
        )
        return self.render_to_response(context, status=status)

    def post(self, request, *args, **kwargs):
        submission = self.get_submission()
        definition = submission.cycle.questionnaire.definition()
        section_key = self.current_section(definition)
        keys = [q.key for q in definition.section_questions(section_key)]
        answers, explanations, errors = engine.parse_form(definition, request.POST, keys)
        autosave = request.headers.get("X-Autosave") == "1"
        if errors and autosave:
            return JsonResponse(
                {"message": _("Not saved: check the answers marked."), "errors": errors}, status=400
            )
        if errors:
            raw = dict(submission.answers)
            for key in keys:
                question = definition[key]
                if question.answerable:
                    name = engine.field_name(key)
                    raw[key] = (
                        request.POST.getlist(name) if question.is_multiple else request.POST.get(name, "")
                    )
            raw_explanations = dict(submission.explanations)
            for key, details in explanations.items():
                raw_explanations[key] = details
            messages.error(
                request, _("Some answers could not be saved: see the messages next to the questions.")
            )
            return self.render_page(
                submission, answers=raw, explanations=raw_explanations, errors=errors, status=400
            )
        try:
            submission, dropped = services.submission_save_answers(
                submission=submission,
                actor=request.user,
                answers=answers,
                explanations=explanations,
                keys=keys,
                base_revision=own_revision(submission, request.POST.get("base_revision"), request.user),
            )
        except EditConflict:
            if autosave:
                return JsonResponse(
                    {"message": _("Not saved: somebody else saved this submission. Reload the page.")},
                    status=409,
                )
            messages.error(
                request,
                _(
                    "Somebody else saved this submission while you were answering. Your answers on this page "
                    "were not saved: the page now shows the current answers; enter yours again."
                ),
            )
            submission.refresh_from_db()
            return self.render_page(submission, status=409)
        if autosave:
            return JsonResponse(
                {
                    "revision": submission.revision,
                    "time": date_format(timezone.localtime(), "TIME_FORMAT"),
                    "dropped": dropped,
                }
            )
        message = _("Your answers were saved.")
        if dropped:
            message += " " + _(
                "Answers to {count} questions that no longer apply were removed: {questions}."
            ).format(count=len(dropped), questions=", ".join(definition[k].number or k for k in dropped[:10]))
        messages.success(request, message)
        target = request.POST.get("go", "")
        if target == "check":
            return HttpResponseRedirect(reverse("plans:submission_check", kwargs={"pk": submission.pk}))
        if target.startswith("section:") and definition.section(target[8:]):
            return HttpResponseRedirect(answers_url(submission, target[8:]))
        return HttpResponseRedirect(answers_url(submission, section_key))


class SubmissionCheckView(SubmissionMixin, TemplateView):
    """What is still missing before the submission can be submitted or published, with links to the questions;
    and the workflow actions."""

    template_name = "plans/submission_check.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.get_submission()
        definition = submission.cycle.questionnaire.definition()
        context.update(
            record=submission,
            missing=rendering.missing_by_section(definition, submission.answers),
            actions=permissions.allowed_actions(self.request.user, submission),
            progress=rendering.section_progress(definition, submission.answers),
            definition=definition,
            nav_section="plans",
        )
        return context
