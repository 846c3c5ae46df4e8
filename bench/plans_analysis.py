"""Benchmark of the analysis of submissions: time to write N published fifth-national-report submissions
(answers drawn at random, skip logic applied, answer rows rebuilt), then time and query count of the analyzer
(all questions, by CBD group, with free texts), of one analyzer page (one section), of the XLSX export and of
the synthesis report (DOCX and PDF).

    .venv/bin/python bench/plans_analysis.py                  # 200 submissions
    .venv/bin/python bench/plans_analysis.py --sizes 50 400   # several sizes

Each size gets a throwaway SQLite database (migrated, reference data loaded). Figures are printed, not
asserted. Not part of the test suite.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(db):
    os.environ["DATABASE_URL"] = "sqlite:///{}".format(db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DEBUG", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)


def timed(label, function, results):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        value = function()
        elapsed = time.perf_counter() - started
    results.append((label, elapsed, len(queries.captured_queries)))
    return value


def run(size, seed=1):
    from django.db import transaction

    from capacityhub.core import services as core_services
    from capacityhub.plans.analysis import analyse
    from capacityhub.plans.documents import render_docx, render_pdf
    from capacityhub.plans.engine import random_answers
    from capacityhub.plans.exports import analysis_workbook
    from capacityhub.plans.models import Questionnaire, Submission
    from capacityhub.plans.synthesis import build_synthesis
    from capacityhub.plans.testing import make_cycle
    from capacityhub.reference.models import Country

    questionnaire = Questionnaire.objects.get(key="cpb-nr5")
    definition = questionnaire.definition()
    cycle = make_cycle(questionnaire)
    countries = list(Country.objects.order_by("iso2")[:size])
    rng = random.Random(seed)
    results = []

    def write():
        for country in countries:
            answers, explanations = random_answers(definition, rng)
            with transaction.atomic():
                record = core_services.record_save(
                    record=Submission(
                        cycle=cycle, country=country, answers=answers, explanations=explanations
                    ),
                    actor=None,
                )
                core_services.record_transition(record=record, action="publish", actor=None)

    timed("write {} submissions".format(len(countries)), write, results)
    analysis = timed("analyse (all questions)", lambda: analyse(cycle), results)
    section = [q.key for q in definition.section_questions("Article22")]
    timed("analyse (one section)", lambda: analyse(cycle, keys=section), results)
    timed("XLSX export", lambda: analysis_workbook(analysis), results)
    synthesis = timed("synthesis", lambda: build_synthesis(cycle), results)
    timed("DOCX", lambda: render_docx(synthesis), results)
    timed("PDF", lambda: render_pdf(synthesis), results)
    answered = sum(len(s.answers) for s in analysis.submissions)
    print("\n{} submissions, {} answers".format(len(countries), answered))
    for label, elapsed, queries in results:
        print("  {:<28} {:8.2f} s  {:5d} queries".format(label, elapsed, queries))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200])
    args = parser.parse_args()
    if len(args.sizes) > 1:
        import subprocess

        for size in args.sizes:
            subprocess.run([sys.executable, __file__, "--sizes", str(size)], check=True)
        return
    with tempfile.TemporaryDirectory() as directory:
        setup(Path(directory) / "bench.sqlite3")
        run(min(args.sizes[0], 249))


if __name__ == "__main__":
    main()
