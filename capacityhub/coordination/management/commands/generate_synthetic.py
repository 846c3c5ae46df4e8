"""``manage.py generate_synthetic --initiatives N --needs M --seed S``: a large synthetic data set."""

import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Generate synthetic initiatives and needs (skewed, multilingual, with planted overlaps and "
        "duplicates whose truth is recorded) for benchmarks. Adds to the database; use an empty one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--initiatives", type=int, default=10000)
        parser.add_argument("--needs", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        from capacityhub.coordination.synthetic import generate

        began = time.perf_counter()
        stats = generate(
            initiatives=options["initiatives"],
            needs=options["needs"],
            seed=options["seed"],
            stdout=self.stdout if options["verbosity"] > 1 else None,
        )
        self.stdout.write(
            "{initiatives} initiatives ({overlaps} planted overlaps, {duplicates} planted duplicates) "
            "and {needs} needs in {seconds:.1f} s. Run analyze_coordination next.".format(
                seconds=time.perf_counter() - began, **stats
            )
        )
