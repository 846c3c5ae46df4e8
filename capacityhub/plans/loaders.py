"""The reference-data steps of the plans app, run by ``manage.py load_reference`` (idempotent):

1. :func:`load_plans`: the plan files of ``data/plans/`` (see ``data/README.md``);
2. :func:`load_questionnaires`: the national-report questionnaires of ``data/questionnaires/`` (the fourth
   and the fifth, with the mapping of the fifth's questions to the fourth's), and the status-of-implementation
   questionnaire of each plan that can be reported on (see
   :func:`~capacityhub.plans.selectors.is_reportable`); and the questions of the national reports about
   parts of a plan (``data/questionnaires/plan-links-*.json``, see :func:`load_question_links`).
"""

import json
from pathlib import Path

from capacityhub.reference.loaders import LoadResult, ReferenceDataError

from . import definitions, generator, planfiles
from .models import Plan, Question, QuestionPlanLink
from .selectors import is_reportable

PLAN_DIR = Path(__file__).resolve().parent / "data" / "plans"
LINK_DIR = Path(__file__).resolve().parent / "data" / "questionnaires"


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
    _add(totals, load_question_links())
    return list(totals.values())


def question_links(data, *, source=""):
    """The links a plan-links file describes, as unsaved :class:`QuestionPlanLink` rows (checked: every
    questionnaire, question, option and plan part must exist).

    Shape: ``{"plan": "<plan key>", "links": [{"questionnaire": "<key>", "question": "<key>",
    "option": "<value>", "area": "<number>" | "element": "<number>"} | {…, "match": "identifier"}]}``;
    ``"match": "identifier"`` links each option of the question to the area with the same BCH identifier."""
    plan = Plan.objects.filter(key=data.get("plan", "")).first()
    if plan is None:
        raise ReferenceDataError("{}: no plan has the key {}.".format(source, data.get("plan")))
    areas = {a.number: a for a in plan.areas.all()}
    by_identifier = {a.identifier.upper(): a for a in areas.values() if a.identifier}
    elements = {e.number: e for e in plan.elements.select_related("area")}
    rows = []
    for index, link in enumerate(data.get("links", [])):
        where = "{}: links[{}]".format(source, index)
        question = (
            Question.objects.filter(questionnaire__key=link.get("questionnaire"), key=link.get("question"))
            .order_by("-questionnaire__version")
            .first()
        )
        if question is None:
            raise ReferenceDataError(
                "{}: no question {} in {}.".format(where, link.get("question"), link.get("questionnaire"))
            )
        if link.get("match") == "identifier":
            for option in question.options:
                area = by_identifier.get(str(option.get("identifier") or option["value"]).upper())
                if area is not None:
                    rows.append(
                        QuestionPlanLink(
                            question=question, option=option["value"], plan_area=area, source=source
                        )
                    )
            continue
        option = str(link.get("option", "") or "")
        if option and option not in {o["value"] for o in question.options}:
            raise ReferenceDataError("{}: question {} has no option {}.".format(where, question.key, option))
        element = elements.get(str(link.get("element", "")))
        area = element.area if element else areas.get(str(link.get("area", "")))
        if area is None:
            raise ReferenceDataError(
                "{}: no part {} in plan {}.".format(where, link.get("element") or link.get("area"), plan.key)
            )
        rows.append(
            QuestionPlanLink(
                question=question, option=option, plan_area=area, plan_element=element, source=source
            )
        )
    return plan, rows


def load_question_links(*, directory=LINK_DIR):
    """Every ``plan-links-*.json`` file: the questions of the national reports about parts of a plan. The
    links a file gave before and no longer gives are removed."""
    result = LoadResult("questions about plan parts")
    for path in sorted(directory.glob("plan-links-*.json")):
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        source = "data/questionnaires/{}".format(path.name)
        _plan, rows = question_links(data, source=source)
        existing = {
            (link.question_id, link.option, link.plan_area_id, link.plan_element_id): link
            for link in QuestionPlanLink.objects.filter(source=source)
        }
        wanted = set()
        for row in rows:
            identity = (row.question_id, row.option, row.plan_area_id, row.plan_element_id)
            wanted.add(identity)
            if identity in existing:
                result.unchanged += 1
            else:
                row.save()
                result.created += 1
        for identity, link in existing.items():
            if identity not in wanted:
                link.delete()
                result.removed += 1
    return [result]
