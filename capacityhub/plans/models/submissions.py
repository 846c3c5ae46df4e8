"""Reporting cycles, submissions (the answers of a country or an organization), their answer rows for the
analysis, and synthesis report files."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacityhub.core.choices import Scope
from capacityhub.core.models import Record, TimeStampedModel
from capacityhub.core.multilingual import MultilingualField, resolve

from ..choices import ReportFormat, ReportState, Respondents


def _fingerprint(answers, explanations):
    return json.dumps([answers, explanations], sort_keys=True, default=str)


def parse_reminder_days(text):
    """``"30, 7"`` → ``[30, 7]``; None when the text is not a list of whole numbers of days (0 to 365)."""
    days = []
    for part in str(text).replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) > 365:
            return None
        days.append(int(part))
    return days


REMINDER_DAYS_ERROR = _("Enter whole numbers of days (0 to 365) separated by commas, e.g. 30, 7.")
INCOMPLETE = _("{count} mandatory questions are not answered yet ({questions}). Answer them, then try again.")


class ReportingCycle(TimeStampedModel):
    """A call for submissions on one questionnaire, with a reporting period and a deadline.

    Submissions received after the deadline are accepted and flagged late."""

    title = MultilingualField(_("title"), max_length=300)
    description = MultilingualField(_("description"), blank=True, textarea=True)
    questionnaire = models.ForeignKey(
        "plans.Questionnaire",
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    respondents = models.CharField(
        _("who reports"), max_length=16, choices=Respondents.choices, default=Respondents.ALL
    )
    period_start = models.DateField(_("reporting period from"), null=True, blank=True)
    period_end = models.DateField(_("reporting period to"), null=True, blank=True)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    deadline = models.DateField(_("deadline"))
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous cycle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_cycles",
        help_text=_("The cycle the analysis and the synthesis compare with."),
    )
    decision = models.CharField(
        _("requested by decision"), max_length=60, blank=True, help_text=_("For example BS-VI/3.")
    )
    reminder_days = models.CharField(
        _("reminders (days before the deadline)"),
        max_length=60,
        blank=True,
        help_text=_(
            "Comma-separated numbers of days before the deadline on which those who have not submitted are "
            "reminded, e.g. 30, 7. Empty: the default of the platform (setting PLANS_REMINDER_DAYS)."
        ),
    )
    is_demo = models.BooleanField(_("demo cycle"), default=False)

    class Meta:
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")
        ordering = ["-deadline", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="plans_reportingcycle_period_in_order",
                violation_error_message=_("The reporting period ends before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(deadline__gte=F("opens_on")),
                name="plans_reportingcycle_deadline_after_opening",
                violation_error_message=_("The deadline is before the opening date."),
            ),
        ]

    def __str__(self):
        return resolve(self.title)[0] or "#{}".format(self.pk)

    def get_absolute_url(self):
        return reverse("plans:cycle", kwargs={"pk": self.pk})

    @property
    def plan(self):
        return self.questionnaire.plan

    @property
    def is_open(self):
        today = timezone.localdate()
        return self.opens_on is None or self.opens_on <= today

    @property
    def deadline_passed(self):
        return timezone.localdate() > self.deadline

    def clean(self):
        if self.pk and self.previous_id == self.pk:
            raise ValidationError({"previous": _("A cycle cannot be its own previous cycle.")})
        if self.reminder_days and parse_reminder_days(self.reminder_days) is None:
            raise ValidationError({"reminder_days": REMINDER_DAYS_ERROR})

    def reminder_schedule(self):
        """The numbers of days before the deadline on which reminders go out, largest first."""
        days = parse_reminder_days(self.reminder_days) if self.reminder_days else None
        if days is None:
            days = list(getattr(settings, "PLANS_REMINDER_DAYS", (14, 3)))
        return sorted(set(days), reverse=True)

    def accepts(self, kind):
        return self.respondents == Respondents.ALL or (
            (kind == "country") == (self.respondents == Respondents.COUNTRIES)
        )


class Submission(Record):
    """The answers of a country (a Party or another government) or of an organization for a reporting cycle.

    A national submission is drafted by the country's authorized users and focal points and published by a
    focal point. An organization's submission is drafted by a publisher of that organization, who submits it;
    the Secretariat publishes it. Both go through the permission gate as national records: an organization's
    submission has no country, so its organization's publishers edit and submit it (the gate's second
    scope, ``co_member_scope``) and only the Secretariat publishes it.
    Submissions are received when published (national) or submitted (organizations); after the cycle's
    deadline they are flagged late. Submit and publish need every enabled mandatory question answered."""

    scope_kind = Scope.COUNTRY
    scope_field = "country"
    #: Every publisher of the organization may edit (and submit) an organization's submission; only the
    #: Secretariat publishes it (see ``core.permissions``).
    co_member_scope = ("organization", Scope.ORGANIZATION)
    title_field = "title"

    cycle = models.ForeignKey(
        ReportingCycle,
        verbose_name=_("reporting cycle"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    country = models.ForeignKey(
        "reference.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_submissions",
    )
    organization = models.ForeignKey(
        "reference.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_submissions",
    )
    title = MultilingualField(
        _("title"), blank=True, max_length=300, help_text=_("Left empty, it is the respondent and the cycle.")
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True, editable=False)
    explanations = models.JSONField(_("explanations"), default=dict, blank=True, editable=False)
    received_at = models.DateTimeField(_("received"), null=True, blank=True, editable=False)
    is_late = models.BooleanField(_("late"), default=False, editable=False)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__isnull=False, organization__isnull=True)
                | Q(country__isnull=True, organization__isnull=False),
                name="plans_submission_one_respondent",
                violation_error_message=_(
                    "A submission is made by a country or by an organization, not both."
                ),
            ),
            models.UniqueConstraint(
                fields=["cycle", "country"],
                condition=Q(country__isnull=False),
                name="plans_submission_unique_country",
                violation_error_message=_("This country has a submission for this cycle already."),
            ),
            models.UniqueConstraint(
                fields=["cycle", "organization"],
                condition=Q(organization__isnull=False),
                name="plans_submission_unique_organization",
                violation_error_message=_("This organization has a submission for this cycle already."),
            ),
        ]
        indexes = [models.Index(fields=["cycle", "status"], name="plans_submission_cycle_status")]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_answers = _fingerprint(
            instance.__dict__.get("answers"), instance.__dict__.get("explanations")
        )
        return instance

    @property
    def respondent(self):
        return self.country or self.organization

    @property
    def respondent_kind(self):
        return "country" if self.country_id else "organization"

    def respondent_name(self, language=None):
        if self.country_id:
            return self.country.localized_name(language) if language else self.country.name
        return self.organization.display_title(language) if self.organization_id else ""

    def display_title(self, language=None):
        title = self.text("title", language)
        if title:
            return title
        if self.cycle_id:
            return "{} — {}".format(self.respondent_name(language), resolve(self.cycle.title, language)[0])
        return "#{}".format(self.pk)

    def clean(self):
        if self.country_id and self.organization_id:
            raise ValidationError(_("A submission is made by a country or by an organization, not both."))
        if not self.country_id and not self.organization_id:
            raise ValidationError(_("Choose the country or the organization that reports."))

    def save(self, *args, **kwargs):
        fingerprint = _fingerprint(self.answers, self.explanations)
        changed = self._state.adding or getattr(self, "_loaded_answers", None) != fingerprint
        super().save(*args, **kwargs)
        if changed:
            from ..selectors import rebuild_answer_values

            rebuild_answer_values(self)
            self._loaded_answers = fingerprint

    def on_transition(self, action):
        """Called by ``record_transition``: submitting and publishing need the mandatory answers; the first
        reception (publication, or submission for an organization) sets the date received and the late
        flag."""
        from capacityhub.core import permissions

        from ..engine import missing_answers

        if action in (permissions.SUBMIT, permissions.PUBLISH):
            missing = missing_answers(self.cycle.questionnaire.definition(), self.answers)
            if missing:
                numbers = ", ".join(q.number or q.key for q in missing[:8]) + (
                    "…" if len(missing) > 8 else ""
                )
                raise ValidationError(INCOMPLETE.format(count=len(missing), questions=numbers))
        received = action == permissions.PUBLISH or (action == permissions.SUBMIT and self.organization_id)
        if received and self.received_at is None:
            self.received_at = timezone.now()
            self.is_late = timezone.localdate(self.received_at) > self.cycle.deadline

    def search_texts(self):
        texts = super().search_texts()
        if self.country_id:
            texts += [(None, self.country.localized_name(code)) for code, _n in settings.LANGUAGES]
        if self.organization_id:
            texts += [(lang, text) for lang, text in self.organization.name.items()]
            if self.organization.acronym:
                texts.append((None, self.organization.acronym))
        if self.cycle_id:
            texts += [(lang, text) for lang, text in self.cycle.title.items()]
        texts += [
            (self.original_language, value)
            for value in self.answers.values()
            if isinstance(value, str) and len(value) > 20
        ]
        return texts

    def snapshot_related(self):
        return {"answers": self.answers, "explanations": self.explanations}


class OrganizationSubmission(Submission):
    """The same submission, seen as an organization record: used to create an organization's submission, so
    that the permission gate asks whether an organization record may be added (see :class:`Submission`)."""

    scope_kind = Scope.ORGANIZATION
    scope_field = "organization"
    co_member_scope = None

    class Meta:
        proxy = True
        verbose_name = _("organization submission")
        verbose_name_plural = _("organization submissions")


class AnswerValue(models.Model):
    """One answer of a submission as a row (one per option chosen), so that the analysis counts with SQL.

    Rebuilt from ``Submission.answers`` whenever the answers change."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="values"
    )
    question = models.ForeignKey(
        "plans.Question", verbose_name=_("question"), on_delete=models.CASCADE, related_name="values"
    )
    value = models.CharField(_("value"), max_length=255, blank=True)
    number = models.BigIntegerField(_("number"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer value")
        verbose_name_plural = _("answer values")
        ordering = ["submission", "question__position", "pk"]
        indexes = [models.Index(fields=["question", "value"], name="plans_answervalue_question")]

    def __str__(self):
        return "{} {}={}".format(
            self.submission_id, self.question_id, self.value or self.number or self.text[:30]
        )


class SynthesisReport(models.Model):
    """A synthesis report file (PDF or DOCX) for a cycle, built by a background task that reports progress."""

    cycle = models.ForeignKey(
        ReportingCycle, verbose_name=_("reporting cycle"), on_delete=models.CASCADE, related_name="reports"
    )
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="plans/synthesis/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("synthesis report")
        verbose_name_plural = _("synthesis reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="plans_synthesisreport_progress_max_100",
                violation_error_message=_("Progress is a percentage."),
            )
        ]

    def __str__(self):
        return "{} ({})".format(self.cycle, self.get_format_display())

    def get_absolute_url(self):
        return reverse("plans:report", kwargs={"pk": self.pk})

    @property
    def finished(self):
        return self.state in (ReportState.DONE, ReportState.FAILED)


class CycleReminder(models.Model):
    """A deadline reminder sent for a cycle to a country or an organization that had not submitted, so that
    the same reminder is never sent twice (one row per respondent and number of days before the deadline)."""

    cycle = models.ForeignKey(
        ReportingCycle, verbose_name=_("reporting cycle"), on_delete=models.CASCADE, related_name="reminders"
    )
    country = models.ForeignKey(
        "reference.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    organization = models.ForeignKey(
        "reference.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    recipients = models.TextField(_("recipients"), blank=True)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__isnull=False, organization__isnull=True)
                | Q(country__isnull=True, organization__isnull=False),
                name="plans_cyclereminder_one_respondent",
                violation_error_message=_("A reminder goes to a country or to an organization."),
            ),
            models.UniqueConstraint(
                fields=["cycle", "country", "days_before"],
                condition=Q(country__isnull=False),
                name="plans_cyclereminder_unique_country",
                violation_error_message=_("This reminder was sent to this country already."),
            ),
            models.UniqueConstraint(
                fields=["cycle", "organization", "days_before"],
                condition=Q(organization__isnull=False),
                name="plans_cyclereminder_unique_organization",
                violation_error_message=_("This reminder was sent to this organization already."),
            ),
        ]

    def __str__(self):
        return "{} — {} ({})".format(self.cycle, self.country or self.organization, self.days_before)
