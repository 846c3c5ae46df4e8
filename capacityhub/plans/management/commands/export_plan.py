"""``manage.py export_plan KEY [--output FILE]``: write a plan file (the shape ``import_plan`` reads)."""

import json

from django.core.management.base import BaseCommand, CommandError

from capacityhub.plans import planfiles
from capacityhub.plans.models import Plan


class Command(BaseCommand):
    help = "Export a plan as a plan file (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("key", help="The plan's key, e.g. cpb-cb-action-plan-2006.")
        parser.add_argument("--output", help="File to write (default: standard output).")

    def handle(self, *args, **options):
        plan = Plan.objects.filter(key=options["key"]).first()
        if plan is None:
            raise CommandError("No plan has the key {}.".format(options["key"]))
        text = json.dumps(planfiles.export_plan(plan), ensure_ascii=False, indent=1)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)
