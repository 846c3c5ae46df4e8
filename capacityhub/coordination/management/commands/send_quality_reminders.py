"""``manage.py send_quality_reminders [--base-url URL] [--dry-run]``: remind publishers what to update."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "E-mail each organization publisher the list of their initiatives that are stale or incomplete."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="Site address put before record links.")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        from capacityhub.coordination.reminders import send_quality_reminders

        count = send_quality_reminders(base_url=options["base_url"].rstrip("/"), dry_run=options["dry_run"])
        self.stdout.write("{} reminder(s) {}.".format(count, "to send" if options["dry_run"] else "sent"))
