"""The reference-data steps of the plans app, run by ``manage.py load_reference`` (idempotent):

1. :func:`load_plans`: the plan files of ``data/plans/`` (see ``data/README.md``);
2. :func:`load_questionnaires`: the national-report questionnaires of ``data/questionnaires/`` (the fourth
   and the fifth, with the mapping of the fifth's questions to the fourth's), and the status-of-implementation
   questionnaire of each plan that can be reported on (see
   :func:`~capacityhub.plans.selectors.is_reportable`).
"""

import json
from pathlib import Path

from capacityhub.reference.loaders import LoadResult, ReferenceDataError

from . import definitions, generator, planfiles
from .models import Plan
from .selectors import is_reportable

PLAN_DIR = Path(__file__).resolve().parent / "data" / "plans"


def _add(totals, results):
    for result in results:
        total = totals.setdefault(result.kind, LoadResult(result.kind))
        for name in ("created", "updated", "unchanged", "removed"):
            setattr(total, name, getattr(total, name) + getattr(result, name))


def load_plans(*, directory=PLAN_DIR):
    """Every plan file of ``directory``, matched by key."""
    totals = {}
    for path in sorted(directory.glob("*.json")):
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        try:
            _plan, results = planfiles.import_plan(data, source="data/plans/{}".format(path.name))
        except planfiles.PlanFileError as error:
            raise ReferenceDataError("{}: {}".format(path.name, "; ".join(error.messages))) from error
        _add(totals, results)
    return list(totals.values())


def load_questionnaires():
    totals = {}
    _add(totals, definitions.load_national_reports())
    for plan in Plan.objects.filter(is_demo=False):
        if is_reportable(plan):
            _questionnaire, results = generator.generate_status_questionnaire(plan)
            _add(totals, results)
    return list(totals.values())
