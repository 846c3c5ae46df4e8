"""``manage.py load_demo``: the demonstration data set, idempotent and reproducible.

What it contains and the demo accounts: see :mod:`capacityhub.core.demo`.
"""

import datetime
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from capacityhub.core.demo import DEFAULT_SEED, DemoError, load_demo
from capacityhub.reference.models import Country


class Command(BaseCommand):
    help = (
        "Load the demonstration data set: organizations, initiatives, needs, opportunities, resources, "
        "experts, country profiles and demo accounts, all marked as demo. Writes no record if demo records "
        "exist already."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed (default %(default)s)."
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Reference date YYYY-MM-DD for deadlines, roster expiry and ages (default: today).",
        )

    def handle(self, *args, seed, today, verbosity, **options):
        started = time.monotonic()
        if not Country.objects.exists():
            self.stdout.write("No reference data yet: running load_reference first.")
            call_command("load_reference", verbosity=verbosity)
        try:
            result = load_demo(seed=seed, today=today)
        except DemoError as error:
            raise CommandError(str(error)) from error
        if result.created:
            self.stdout.write(self.style.SUCCESS("Demo data loaded (seed {}).".format(seed)))
        else:
            self.stdout.write("Demo data are already there: no record written.")
        # The other apps' demo data build on the shared records and accounts made above.
        from capacityhub.conferences.demo import load_demo as load_conferences_demo
        from capacityhub.plans.demo import load_demo as load_plans_demo

        load_plans_demo(stdout=self.stdout)
        load_conferences_demo(stdout=self.stdout)
        for label, count in result.counts.items():
            self.stdout.write("  {:>5}  {}".format(count, label))
        self.stdout.write("Demo accounts (username / password - role):")
        for username, password, role in result.accounts:
            shown = password if password else "(existing account, password unchanged)"
            self.stdout.write("  {} / {} - {}".format(username, shown, role))
        self.stdout.write("Done in {:.1f} s.".format(time.monotonic() - started))
