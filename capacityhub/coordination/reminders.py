"""The periodic reminder to publishers: the records of their organizations to update (stale or incomplete),
one e-mail per person, in their language. Run by ``manage.py send_quality_reminders`` or the task."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from capacityhub.accounts.choices import Role
from capacityhub.accounts.models import User

from .quality_summary import records_to_update


def send_quality_reminders(*, base_url="", dry_run=False):
    """E-mail every organization publisher whose records need updating. Returns the number of e-mails."""
    sent = 0
    users = (
        User.objects.filter(is_active=True, role_assignments__role=Role.ORG_PUBLISHER)
        .exclude(email="")
        .distinct()
    )
    for user in users:
        records = records_to_update(user, 50)
        if not records:
            continue
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            body = render_to_string(
                "coordination/email/quality_reminder.txt",
                {"user": user, "records": records, "base_url": base_url},
            )
            subject = render_to_string(
                "coordination/email/quality_reminder_subject.txt", {"count": len(records)}
            ).strip()
        if not dry_run:
            send_mail(subject, body, None, [user.email])
        sent += 1
    return sent
