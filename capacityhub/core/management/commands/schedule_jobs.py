"""Make sure every periodic job (digests, reminders, nightly analysis) has its next run queued."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from capacityhub.core import schedule


class Command(BaseCommand):
    help = "Queue the next run of every periodic job that has none pending (run by `make run`)."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="only print the jobs and their pending runs")

    def handle(self, *args, **options):
        if not schedule.can_schedule():
            raise CommandError(
                "The task backend cannot defer tasks; use the database backend (TASKS setting) or cron."
            )
        if not options["list"]:
            for name, when in schedule.ensure_scheduled().items():
                self.stdout.write(f"queued {name} for {timezone.localtime(when):%Y-%m-%d %H:%M}")
        for name, runs in sorted(schedule.pending_runs().items()):
            for when in sorted(runs):
                self.stdout.write(f"pending {name}: {timezone.localtime(when):%Y-%m-%d %H:%M}")
