"""Reads of the plans app: plan trees and their reporting units, questionnaire definitions, the submissions
a user
may see or act on, and the answer rows of a submission."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from capacityhub.core import permissions
from capacityhub.core.choices import Status

from . import engine
from .models import (
    AnswerValue,
    Plan,
    PlanArea,
    PlanElement,
    Question,
    Questionnaire,
    ReportingCycle,
    Submission,
)


# -- plans -----------------------------------------------------------------------------------------------
def plans():
    return Plan.objects.annotate(
        area_count=Count("areas", distinct=True), element_count=Count("elements", distinct=True)
    ).order_by(*Plan._meta.ordering)


def plan_tree(plan):
    """The plan's areas with their elements, activities and indicators (four queries)."""
    return list(
        plan.areas.select_related("thematic_area").prefetch_related(
            Prefetch(
                "elements",
                queryset=PlanElement.objects.order_by("position", "number").prefetch_related(
                    "activities", "indicators"
                ),
            )
        )
    )


@dataclass
class Unit:
    """What a plan is reported on: an element, or an area that has no elements (as the 2006 key areas)."""

    area: PlanArea
    element: PlanElement = None

    @property
    def node(self):
        return self.element or self.area

    @property
    def number(self):
        return self.node.number

    @property
    def title(self):
        return self.node.title

    @property
    def slug(self):
        """The prefix of the unit's question keys."""
        return "el-{}".format(self.element.number) if self.element else "area-{}".format(self.area.number)


def reporting_units(plan, tree=None):
    units = []
    for area in tree if tree is not None else plan_tree(plan):
        elements = list(area.elements.all())
        if elements:
            units += [Unit(area, element) for element in elements]
        else:
            units.append(Unit(area))
    return units


def plan_gaps(plan, tree=None):
    """Where the plan is still to be completed, as ``[(where, what)]`` messages for the Secretariat."""
    from django.utils.translation import gettext as _

    from capacityhub.core.multilingual import resolve

    tree = tree if tree is not None else plan_tree(plan)
    gaps = []
    if not tree:
        gaps.append((str(plan), _("No area has been entered.")))
    languages = ("en", "es", "fr")
    mixed = any(area.elements.all() for area in tree) and any(not area.elements.all() for area in tree)
    for area in tree:
        where = _("Area {number}").format(number=area.number)
        missing = [code for code in languages if not resolve(area.title, code, None)[1] == code]
        if missing:
            gaps.append((where, _("Title missing in: {languages}.").format(languages=", ".join(missing))))
        elements = list(area.elements.all())
        if not elements and mixed:
            gaps.append((where, _("No element (expected result, outcome or goal) has been entered.")))
        for element in elements:
            where = _("Element {number}").format(number=element.number)
            if not element.activities.all():
                gaps.append((where, _("No indicative activity has been entered.")))
            if not element.indicators.all():
                gaps.append((where, _("No indicator has been entered.")))
    return gaps


def is_reportable(plan, tree=None):
    """A plan can be reported on when it has areas and is consistent: either every area has elements, or
    none has (the areas are then the reporting units)."""
    tree = tree if tree is not None else plan_tree(plan)
    if not tree:
        return False
    with_elements = [bool(area.elements.all()) for area in tree]
    return all(with_elements) or not any(with_elements)


# -- questionnaires --------------------------------------------------------------------------------------
def questionnaire_definition(questionnaire):
    """The engine's definition of ``questionnaire`` (two queries)."""
    sections = [
        engine.Section(key=s.key, title=s.title, description=s.description, footnote=s.footnote)
        for s in questionnaire.sections.order_by("position")
    ]
    by_pk = {}
    rows = list(
        Question.objects.filter(questionnaire=questionnaire)
        .select_related("section", "vocabulary")
        .order_by("position", "pk")
    )
    parents = {row.pk: row.key for row in rows}
    questions = []
    for row in rows:
        question = engine.QuestionDef(
            key=row.key,
            type=row.type,
            title=row.title,
            number=row.number,
            section=row.section.key,
            parent=parents.get(row.parent_id, ""),
            mandatory=row.mandatory,
            options=[engine.option_from_data(o) for o in row.options or []],
            enabled_when=list(row.enabled_when or []),
            hidden_when_disabled=row.hidden_when_disabled,
            placeholder=row.placeholder,
            help=row.help,
            footnote=row.footnote,
            pk=row.pk,
            role=row.role,
            plan_area_id=row.plan_area_id,
            plan_element_id=row.plan_element_id,
            plan_indicator_id=row.plan_indicator_id,
            vocabulary_code=row.vocabulary.code if row.vocabulary_id else "",
        )
        by_pk[row.pk] = question
        questions.append(question)
    return engine.Definition(sections, questions)


def questionnaires():
    return (
        Questionnaire.objects.select_related("plan")
        .annotate(
            question_count=Count(
                "questions", filter=~Q(questions__type__in=["group", "legend"]), distinct=True
            ),
            cycle_count=Count("cycles", distinct=True),
        )
        .order_by(*Questionnaire._meta.ordering)
    )


# -- cycles and submissions ------------------------------------------------------------------------------
def cycles():
    return (
        ReportingCycle.objects.select_related("questionnaire", "questionnaire__plan")
        .annotate(
            published_count=Count(
                "submissions", filter=Q(submissions__status=Status.PUBLISHED), distinct=True
            )
        )
        .order_by(*ReportingCycle._meta.ordering)
    )


def latest_cycle():
    return ReportingCycle.objects.order_by("-deadline", "-pk").first()


def visible_submissions(user, action=permissions.VIEW):
    """The submissions ``user`` may ``action``, through the permission gate."""
    return permissions.restrict(Submission.objects.all(), user, action)


def published_submissions(cycle):
    return (
        Submission.objects.filter(cycle=cycle, status=Status.PUBLISHED)
        .select_related("country", "organization")
        .order_by("country__name_en", "sort_title")
    )


def own_submissions(user, cycle):
    """The submissions of ``cycle`` that ``user`` may change (their country's, or their own drafts)."""
    if not user.is_authenticated:
        return Submission.objects.none()
    return (
        visible_submissions(user, permissions.CHANGE)
        .filter(cycle=cycle)
        .select_related("country", "organization")
    )


def rebuild_answer_values(submission):
    """Write the answer rows of ``submission`` from its answers: one row per option chosen (with its
    explanation), per number and per text."""
    AnswerValue.objects.filter(submission=submission).delete()
    definition = submission.cycle.questionnaire.definition()
    rows = []
    for key, value in (submission.answers or {}).items():
        question = definition.by_key.get(key)
        if question is None or question.pk is None or not engine.is_answered(value):
            continue
        details = (submission.explanations or {}).get(key, {})
        if question.has_options:
            for option_value in value if isinstance(value, list) else [value]:
                extra = details.get(option_value)
                rows.append(
                    AnswerValue(
                        submission=submission,
                        question_id=question.pk,
                        value=str(option_value)[:255],
                        number=extra if isinstance(extra, int) else None,
                        text=extra if isinstance(extra, str) else "",
                    )
                )
        elif isinstance(value, int):
            rows.append(AnswerValue(submission=submission, question_id=question.pk, number=value))
        else:
            rows.append(AnswerValue(submission=submission, question_id=question.pk, text=str(value)))
    AnswerValue.objects.bulk_create(rows, batch_size=500)
