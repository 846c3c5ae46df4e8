"""``manage.py load_reference``: load the reference data shipped with CapacityHub (idempotent)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from capacityhub.plans import loaders as plan_loaders
from capacityhub.reference import loaders

#: The loader steps, run in this order. Each is a callable taking no argument and returning a list of
#: :class:`~capacityhub.reference.loaders.LoadResult`. To load more reference data, append a step.
STEPS = [
    loaders.load_countries,
    loaders.load_regions,
    loaders.load_vocabularies,
    plan_loaders.load_plans,  # after the vocabularies: plan areas link to capacity-building areas
    plan_loaders.load_questionnaires,
]


class Command(BaseCommand):
    help = (
        "Load the reference data shipped with CapacityHub: countries, regions and groups, vocabularies and "
        "their terms. Rows are matched by code; running it again changes nothing."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            with transaction.atomic():
                results = []
                for step in STEPS:
                    for result in step():
                        results.append(result)
                        if options["verbosity"] >= 1:
                            self.stdout.write(str(result))
        except loaders.ReferenceDataError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            changed = any(result.changed for result in results)
            self.stdout.write(
                self.style.SUCCESS(
                    "Reference data {} in {:.1f} s.".format(
                        "loaded" if changed else "unchanged", time.monotonic() - started
                    )
                )
            )
