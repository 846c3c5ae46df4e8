"""The calculation layer of submissions: counts and shares of answers per question, by region or group, with
the previous cycle beside them, numbers summarized, and free-text answers gathered with their authors.

The analyzer page, its XLSX export, the synthesis report, the plan element pages and the API all read their
figures from :func:`analyse`, so they never disagree. Only published submissions count. Counts are SQL
aggregates over :class:`~capacityhub.plans.models.AnswerValue` rows.

A share is the count of an option divided by the number of submissions that answered the question (so the
shares of a multiple-choice question may add up to more than 100 %).
"""

import statistics
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Min, Q, Sum
from django.utils.translation import gettext as _

from capacityhub.core.choices import Status
from capacityhub.reference.models import Region

from .choices import QuestionType
from .models import AnswerValue, Submission

ORGANIZATIONS = "organizations"


@dataclass
class Group:
    code: str
    label: str
    respondents: int = 0


@dataclass
class OptionFigure:
    value: str
    label: str
    count: int = 0
    share: float = None
    by_group: dict = field(default_factory=dict)  # group code -> (count, share)
    previous_count: int = None
    previous_share: float = None

    @property
    def change(self):
        if self.share is None or self.previous_share is None:
            return None
        return self.share - self.previous_share


@dataclass
class TextAnswer:
    submission: Submission
    text: str
    option: str = ""  # the option the text explains, if any

    @property
    def author(self):
        return self.submission.respondent_name()


@dataclass
class QuestionFigures:
    question: object  # engine.QuestionDef
    respondents: int = 0
    by_group: dict = field(default_factory=dict)  # group code -> respondents
    options: list = field(default_factory=list)
    numbers: dict = None
    texts: list = field(default_factory=list)
    previous_key: str = ""
    previous_respondents: int = None

    @property
    def key(self):
        return self.question.key


@dataclass
class Analysis:
    cycle: object
    definition: object
    submissions: list
    groups: list
    figures: dict  # question key -> QuestionFigures
    previous_cycle: object = None
    previous_submissions: int = 0

    @property
    def total(self):
        return len(self.submissions)

    def section_figures(self, section_key):
        return [
            self.figures[q.key]
            for q in self.definition.section_questions(section_key)
            if q.key in self.figures
        ]

    def __getitem__(self, key):
        return self.figures[key]


def _share(count, total):
    return count / total if total else None


def selected_submissions(cycle, *, countries=(), regions=(), statuses=(Status.PUBLISHED,)):
    """The submissions of ``cycle`` the analysis counts: published; of the chosen countries and of the
    countries of the chosen regions when any is chosen (organizations are counted only when none is)."""
    queryset = Submission.objects.filter(cycle=cycle, status__in=statuses)
    if countries or regions:
        condition = Q()
        if countries:
            condition |= Q(country__iso2__in=list(countries))
        if regions:
            condition |= Q(country__regions__code__in=list(regions))
        queryset = queryset.filter(pk__in=Submission.objects.filter(condition).values("pk"))
    return queryset.select_related("country", "organization").order_by("country__name_en", "sort_title")


def _groups(group_by, submissions):
    """The columns: the regions of kind ``group_by`` with members among the submissions, and organizations."""
    country_ids = [s.country_id for s in submissions if s.country_id]
    regions = (
        Region.objects.filter(kind=group_by, countries__in=country_ids)
        .annotate(n=Count("countries", filter=Q(countries__in=country_ids), distinct=True))
        .order_by("position", "code")
    )
    groups = [Group(r.code, str(r), r.n) for r in regions]
    organizations = sum(1 for s in submissions if s.organization_id)
    if organizations:
        groups.append(Group(ORGANIZATIONS, _("Organizations"), organizations))
    return groups


def _counts(values, group_by):
    """``(totals, by_group, respondents, respondents_by_group)`` of ``values`` (AnswerValue rows), as dicts
    keyed by question id (and value, and group code). Six aggregate queries."""
    totals = {
        (row["question_id"], row["value"]): row["n"]
        for row in values.exclude(value="")
        .values("question_id", "value")
        .annotate(n=Count("submission_id", distinct=True))
    }
    respondents = {
        row["question_id"]: row["n"]
        for row in values.values("question_id").annotate(n=Count("submission_id", distinct=True))
    }
    by_group, respondents_by_group = {}, {}
    if group_by:
        regional = values.filter(submission__country__regions__kind=group_by)
        for row in (
            regional.exclude(value="")
            .values("question_id", "value", "submission__country__regions__code")
            .annotate(n=Count("submission_id", distinct=True))
        ):
            by_group[(row["question_id"], row["value"], row["submission__country__regions__code"])] = row["n"]
        for row in regional.values("question_id", "submission__country__regions__code").annotate(
            n=Count("submission_id", distinct=True)
        ):
            respondents_by_group[(row["question_id"], row["submission__country__regions__code"])] = row["n"]
        organizations = values.filter(submission__organization__isnull=False)
        for row in (
            organizations.exclude(value="")
            .values("question_id", "value")
            .annotate(n=Count("submission_id", distinct=True))
        ):
            by_group[(row["question_id"], row["value"], ORGANIZATIONS)] = row["n"]
        for row in organizations.values("question_id").annotate(n=Count("submission_id", distinct=True)):
            respondents_by_group[(row["question_id"], ORGANIZATIONS)] = row["n"]
    return totals, by_group, respondents, respondents_by_group


def previous_mapping(cycle):
    """``(previous cycle, {question key: previous question key})`` or ``(None, {})``."""
    previous = cycle.previous
    if previous is None:
        return None, {}
    if previous.questionnaire_id == cycle.questionnaire_id:
        keys = [q.key for q in cycle.questionnaire.definition().answerable]
        return previous, {key: key for key in keys}
    if cycle.questionnaire.previous_id == previous.questionnaire_id:
        return previous, dict(cycle.questionnaire.previous_mapping or {})
    return previous, {}


def analyse(cycle, *, countries=(), regions=(), group_by="cbd_group", keys=None, texts=True):
    """The figures of ``cycle`` (see the module's docstring); ``keys`` limits them to some questions."""
    definition = cycle.questionnaire.definition()
    submissions = list(selected_submissions(cycle, countries=countries, regions=regions))
    by_id = {s.pk: s for s in submissions}
    groups = _groups(group_by, submissions) if group_by else []
    questions = [q for q in definition.answerable if keys is None or q.key in keys]
    pks = [q.pk for q in questions]
    values = AnswerValue.objects.filter(submission__in=[s.pk for s in submissions], question__in=pks)
    totals, by_group, respondents, respondents_by_group = _counts(values, group_by)
    numbers = {
        row["question_id"]: row
        for row in values.filter(question__type=QuestionType.NUMBER, number__isnull=False)
        .values("question_id")
        .annotate(
            n=Count("pk"), total=Sum("number"), mean=Avg("number"), low=Min("number"), high=Max("number")
        )
    }
    medians = {}
    for question_id, number in values.filter(
        question__type=QuestionType.NUMBER, number__isnull=False
    ).values_list("question_id", "number"):
        medians.setdefault(question_id, []).append(number)
    text_rows = {}
    if texts:
        for question_id, submission_id, value, text in values.exclude(text="").values_list(
            "question_id", "submission_id", "value", "text"
        ):
            text_rows.setdefault(question_id, []).append(TextAnswer(by_id[submission_id], text, value))
    previous_cycle, mapping = previous_mapping(cycle)
    previous_counts, previous_respondents, previous_total = {}, {}, 0
    if previous_cycle is not None and mapping:
        previous_definition = previous_cycle.questionnaire.definition()
        prev_submissions = selected_submissions(previous_cycle, countries=countries, regions=regions)
        previous_total = prev_submissions.count()
        prev_pks = {q.key: q.pk for q in previous_definition.answerable}
        wanted = [prev_pks[mapping[q.key]] for q in questions if mapping.get(q.key) in prev_pks]
        prev_values = AnswerValue.objects.filter(
            submission__in=prev_submissions.values("pk"), question__in=wanted
        )
        prev_totals, _g, prev_resp, _rg = _counts(prev_values, None)
        previous_counts, previous_respondents = prev_totals, prev_resp
    figures = {}
    for question in questions:
        answered = respondents.get(question.pk, 0)
        figure = QuestionFigures(question=question, respondents=answered)
        figure.by_group = {g.code: respondents_by_group.get((question.pk, g.code), 0) for g in groups}
        previous_pk = None
        if mapping.get(question.key):
            figure.previous_key = mapping[question.key]
            previous_pk = previous_cycle.questionnaire.definition().by_key.get(figure.previous_key)
            previous_pk = previous_pk.pk if previous_pk else None
            figure.previous_respondents = previous_respondents.get(previous_pk, 0) if previous_pk else None
        if question.has_options:
            for option in question.options:
                count = totals.get((question.pk, option.value), 0)
                option_figure = OptionFigure(
                    value=option.value, label=option.label(), count=count, share=_share(count, answered)
                )
                for group in groups:
                    n = by_group.get((question.pk, option.value, group.code), 0)
                    option_figure.by_group[group.code] = (n, _share(n, figure.by_group[group.code]))
                if previous_pk:
                    n = previous_counts.get((previous_pk, option.value), 0)
                    option_figure.previous_count = n
                    option_figure.previous_share = _share(n, figure.previous_respondents)
                figure.options.append(option_figure)
        if question.pk in numbers:
            row = numbers[question.pk]
            figure.numbers = {
                "count": row["n"],
                "sum": row["total"],
                "mean": row["mean"],
                "min": row["low"],
                "max": row["high"],
                "median": statistics.median(medians[question.pk]),
            }
        figure.texts = sorted(text_rows.get(question.pk, []), key=lambda t: t.author)
        figures[question.key] = figure
    return Analysis(
        cycle=cycle,
        definition=definition,
        submissions=submissions,
        groups=groups,
        figures=figures,
        previous_cycle=previous_cycle if mapping else None,
        previous_submissions=previous_total,
    )


def status_summary(cycle, element=None, area=None):
    """For a plan's area or element: the figures of its status question and its quotes, in ``cycle``."""
    definition = cycle.questionnaire.definition()
    keys = [
        q.key
        for q in definition.answerable
        if (element is not None and q.plan_element_id == element.pk)
        or (element is None and area is not None and q.plan_area_id == area.pk and q.plan_element_id is None)
    ]
    if not keys:
        return None
    return analyse(cycle, keys=keys, group_by=None)


@dataclass
class Mention:
    """What the published submissions of one cycle say about a plan part through one question and option:
    how many chose it, of how many that answered, and which (with links)."""

    cycle: object
    question: object  # engine.QuestionDef
    option: str
    option_label: str
    count: int
    respondents: int
    submissions: list

    @property
    def share(self):
        return _share(self.count, self.respondents)


def _chosen_by(cycle, question_pk, value):
    rows = (
        AnswerValue.objects.filter(
            question_id=question_pk, submission__cycle=cycle, submission__status=Status.PUBLISHED
        )
        .filter(value=value)
        .select_related("submission__country", "submission__organization")
        .order_by("submission__country__name_en", "submission__sort_title")
    )
    return [row.submission for row in rows]


def plan_part_mentions(area, element=None):
    """For an area (or element) of a plan: per cycle of each questionnaire with questions about it
    (:class:`~capacityhub.plans.models.QuestionPlanLink`, e.g. the national reports' “in which areas…”
    questions), the published submissions that chose the option naming it. Counts come from
    :func:`analyse`."""
    from .models import QuestionPlanLink, ReportingCycle

    links = QuestionPlanLink.objects.filter(plan_area=area, plan_element=element).select_related(
        "question__questionnaire"
    )
    by_questionnaire = {}
    for link in links:
        by_questionnaire.setdefault(link.question.questionnaire, []).append(link)
    mentions = []
    for questionnaire, qlinks in sorted(by_questionnaire.items(), key=lambda item: item[0].key, reverse=True):
        keys = sorted({link.question.key for link in qlinks})
        for cycle in ReportingCycle.objects.filter(questionnaire=questionnaire).order_by("-deadline", "-pk"):
            analysis = analyse(cycle, keys=keys, group_by=None, texts=False)
            if not analysis.total:
                continue
            for link in sorted(qlinks, key=lambda item: (item.question.position, item.option)):
                figure = analysis.figures.get(link.question.key)
                if figure is None:
                    continue
                option = next((o for o in figure.options if o.value == link.option), None)
                count = option.count if option else figure.respondents
                mentions.append(
                    Mention(
                        cycle=cycle,
                        question=figure.question,
                        option=link.option,
                        option_label=option.label if option else "",
                        count=count,
                        respondents=figure.respondents,
                        submissions=_chosen_by(cycle, link.question_id, link.option) if link.option else [],
                    )
                )
    return mentions


def status_answers(cycle, summary):
    """For the status question of a plan part in ``summary`` (see :func:`status_summary`): the published
    submissions by the status they reported, ``[(option label, [submission])]``."""
    from .choices import QuestionRole

    for figure in summary.figures.values():
        question = figure.question
        if question.role != QuestionRole.STATUS:
            continue
        return [
            (option.label, _chosen_by(cycle, question.pk, option.value))
            for option in figure.options
            if option.count
        ]
    return []
