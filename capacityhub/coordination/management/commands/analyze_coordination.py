"""``manage.py analyze_coordination [--json] [--background]``: the full coordination analysis."""

import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Recompute coverage footprints, completeness, overlaps and duplicates of every initiative."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the run's figures as JSON.")
        parser.add_argument(
            "--background", action="store_true", help="Enqueue the analysis as a background task instead."
        )

    def handle(self, *args, **options):
        if options["background"]:
            from capacityhub.coordination.tasks import analyze_coordination

            result = analyze_coordination.enqueue()
            self.stdout.write("Enqueued: {}".format(result.id))
            return
        from capacityhub.coordination.analysis import analyze_all
        from capacityhub.coordination.coverage import bump_generation

        stats = analyze_all()
        bump_generation()
        if options["json"]:
            self.stdout.write(json.dumps(stats, indent=2, sort_keys=True))
            return
        self.stdout.write(
            "{initiatives} initiatives analysed in {total_seconds} s: {candidate_pairs} candidate pairs "
            "(naive: {naive_pairs}), {overlaps} possible overlaps, {duplicates} likely duplicates.".format(
                **stats
            )
        )
