"""Deadline reminders of reporting cycles: the focal points of each invited country, and the publishers of
each invited organization, whose submission has not been received are e-mailed N days before the deadline.

The days come from the cycle (``ReportingCycle.reminder_days``, e.g. ``30, 7``) or the setting
``PLANS_REMINDER_DAYS`` (default ``(14, 3)``). A reminder is due when the days left before the deadline are
at most N, and only the nearest such N is sent (a cycle opened 5 days before its deadline gets the 7-day
reminder, not also the 30-day one). Each (cycle, country or organization, N) is recorded in
:class:`~capacityhub.plans.models.CycleReminder`, so the same reminder is never sent twice, however often
this runs. Run daily by ``manage.py send_cycle_reminders`` (cron) or the task
:func:`~capacityhub.plans.tasks.send_cycle_reminders_task`.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from capacityhub.accounts.choices import Role
from capacityhub.accounts.models import RoleAssignment, User
from capacityhub.reference.models import Country, Organization

from .models import CycleReminder, ReportingCycle, Submission


@dataclass
class Reminder:
    """One reminder due: a cycle, a country or an organization that has not submitted, the days left."""

    cycle: ReportingCycle
    days_before: int
    days_left: int
    country: Country = None
    organization: Organization = None
    recipients: list = field(default_factory=list)  # users

    @property
    def respondent(self):
        return self.country or self.organization


def _due_days(cycle, days_left):
    """The reminder step due with ``days_left`` before the deadline: the smallest N ≥ days_left, or None."""
    steps = [d for d in cycle.reminder_schedule() if d >= days_left]
    return min(steps) if steps else None


def due_reminders(today=None):
    """The reminders due ``today`` that have not been sent."""
    today = today or timezone.localdate()
    cycles = ReportingCycle.objects.filter(deadline__gte=today).filter(
        Q(opens_on__isnull=True) | Q(opens_on__lte=today)
    )
    due = []
    for cycle in cycles.select_related("questionnaire"):
        days_left = (cycle.deadline - today).days
        step = _due_days(cycle, days_left)
        if step is None:
            continue
        if cycle.accepts("country"):
            due += _build(cycle, step, days_left, Country, _holders(Role.FOCAL_POINT, "country"), "country")
        if cycle.accepts("organization"):
            due += _build(
                cycle,
                step,
                days_left,
                Organization,
                _holders(Role.ORG_PUBLISHER, "organization"),
                "organization",
            )
    return due


def _holders(role, field_name):
    """``{country or organization id: {user ids}}`` of the active users with an address who hold ``role``."""
    holders = {}
    for user_id, scope_id in (
        RoleAssignment.objects.filter(role=role, user__is_active=True, **{f"{field_name}__isnull": False})
        .exclude(user__email="")
        .values_list("user_id", field_name)
    ):
        holders.setdefault(scope_id, set()).add(user_id)
    return holders


def _build(cycle, step, days_left, model, recipients_by_id, field_name):
    received = Submission.objects.filter(cycle=cycle, received_at__isnull=False)
    sent = CycleReminder.objects.filter(cycle=cycle, days_before=step)
    done = set(received.values_list(field_name, flat=True)) | set(sent.values_list(field_name, flat=True))
    wanted = {pk: users for pk, users in recipients_by_id.items() if pk not in done}
    if not wanted:
        return []
    users = {u.pk: u for u in User.objects.filter(pk__in=set().union(*wanted.values()))}
    reminders = []
    for respondent in model.objects.filter(pk__in=wanted).order_by("pk"):
        reminder = Reminder(cycle=cycle, days_before=step, days_left=days_left)
        setattr(reminder, field_name, respondent)
        reminder.recipients = sorted((users[pk] for pk in wanted[respondent.pk]), key=lambda u: u.pk)
        reminders.append(reminder)
    return reminders


def _email(reminder, user, base_url):
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "cycle": reminder.cycle,
            "respondent": reminder.respondent,
            "respondent_name": reminder.country.localized_name()
            if reminder.country
            else str(reminder.organization),
            "days_left": reminder.days_left,
            "base_url": base_url,
        }
        subject = render_to_string("plans/email/cycle_reminder_subject.txt", context).strip()
        body = render_to_string("plans/email/cycle_reminder.txt", context)
    return subject, body


def send_cycle_reminders(*, today=None, base_url="", dry_run=False):
    """Send the reminders due (see the module). Returns the list of :class:`Reminder` sent (or, with
    ``dry_run``, due); each is recorded before its e-mails go, so that it is never sent twice."""
    sent = []
    for reminder in due_reminders(today):
        if dry_run:
            sent.append(reminder)
            continue
        try:
            with transaction.atomic():
                CycleReminder.objects.create(
                    cycle=reminder.cycle,
                    country=reminder.country,
                    organization=reminder.organization,
                    days_before=reminder.days_before,
                    recipients=", ".join(user.email for user in reminder.recipients),
                )
        except IntegrityError:  # sent meanwhile by another run
            continue
        for user in reminder.recipients:
            subject, body = _email(reminder, user, base_url)
            send_mail(subject, body, None, [user.email])
        sent.append(reminder)
    return sent
