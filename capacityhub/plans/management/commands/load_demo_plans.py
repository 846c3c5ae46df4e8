"""``manage.py load_demo_plans``: the plans app's demo data (cycles, submissions, a demo plan); idempotent."""

from django.core.management.base import BaseCommand

from capacityhub.plans.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo reporting cycles, submissions and demonstration plan (marked as demo)."

    def handle(self, *args, **options):
        load_demo(stdout=self.stdout if options["verbosity"] else None)
