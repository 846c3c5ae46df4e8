"""``manage.py send_cycle_reminders [--base-url URL] [--dry-run] [--today YYYY-MM-DD]``: e-mail the focal
points (and organization publishers) who have not submitted, N days before each cycle's deadline (see
:mod:`capacityhub.plans.reminders`). Run it once a day from cron; it never sends the same reminder twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Send the deadline reminders of the reporting cycles to those who have not submitted."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="Site address put before links, e.g. https://…")
        parser.add_argument("--dry-run", action="store_true", help="List the reminders due; send nothing.")
        parser.add_argument("--today", help="The date to act as today (YYYY-MM-DD).")

    def handle(self, *args, **options):
        from capacityhub.plans.reminders import send_cycle_reminders

        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("--today: a date as YYYY-MM-DD.") from error
        reminders = send_cycle_reminders(
            today=today, base_url=options["base_url"].rstrip("/"), dry_run=options["dry_run"]
        )
        for reminder in reminders:
            self.stdout.write(
                "{} — {} ({} days left): {}".format(
                    reminder.cycle,
                    reminder.respondent,
                    reminder.days_left,
                    ", ".join(user.email for user in reminder.recipients),
                )
            )
        self.stdout.write(
            "{} reminder(s) {}.".format(len(reminders), "due" if options["dry_run"] else "sent")
        )
