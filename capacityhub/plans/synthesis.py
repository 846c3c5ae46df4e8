"""The synthesis report of a cycle: who reported, progress per area and element of the plan (or, for a
questionnaire without a plan, the answers per section), good practices and lessons learned quoted with their
sources, and the comparison with the previous cycle. One structure, rendered as a web page, a PDF
(WeasyPrint) and a DOCX (python-docx); every figure comes from :mod:`capacityhub.plans.analysis`."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .analysis import analyse
from .choices import QuestionRole, QuestionType
from .selectors import plan_tree, reporting_units

MAX_QUOTES = 40


@dataclass
class UnitSynthesis:
    area: object
    element: object = None
    status: object = None  # QuestionFigures of the status question
    indicators: list = field(default_factory=list)
    results: list = field(default_factory=list)  # TextAnswer
    good_practices: list = field(default_factory=list)
    lessons: list = field(default_factory=list)

    @property
    def node(self):
        return self.element or self.area

    @property
    def anchor(self):
        return "unit-{}".format("".join(c if c.isalnum() else "-" for c in self.node.number))


@dataclass
class Reception:
    total: int = 0
    national: int = 0
    organizations: int = 0
    late: int = 0
    by_group: list = field(default_factory=list)  # analysis.Group


@dataclass
class Synthesis:
    cycle: object
    analysis: object
    generated_at: object
    reception: Reception
    plan: object = None
    areas: list = field(default_factory=list)  # [(area, [UnitSynthesis])]
    sections: list = field(default_factory=list)  # [(section, [QuestionFigures])] without a plan

    @property
    def previous_cycle(self):
        return self.analysis.previous_cycle

    @property
    def chapters(self):
        """The report's sections, for the table of contents and the tests."""
        names = [_("Submissions received")]
        if self.plan is not None:
            names += [_("Progress by area and element"), _("Good practices and lessons learned")]
        else:
            names.append(_("Answers by section"))
        names.append(_("List of submissions"))
        return names


def build_synthesis(cycle, progress=None):
    """The synthesis of ``cycle``; ``progress(percent, message)`` is told how far it got."""
    progress = progress or (lambda percent, message: None)
    progress(5, _("Counting the answers"))
    analysis = analyse(cycle, group_by="cbd_group")
    progress(40, _("Arranging the figures"))
    reception = Reception(
        total=analysis.total,
        national=sum(1 for s in analysis.submissions if s.country_id),
        organizations=sum(1 for s in analysis.submissions if s.organization_id),
        late=sum(1 for s in analysis.submissions if s.is_late),
        by_group=analysis.groups,
    )
    synthesis = Synthesis(
        cycle=cycle, analysis=analysis, generated_at=timezone.now(), reception=reception, plan=cycle.plan
    )
    definition = analysis.definition
    if synthesis.plan is not None:
        tree = plan_tree(synthesis.plan)
        units = reporting_units(synthesis.plan, tree)
        by_unit = {}
        for question in definition.answerable:
            if not question.role or question.plan_area_id is None:
                continue
            by_unit.setdefault((question.plan_area_id, question.plan_element_id), []).append(question)
        for area in tree:
            rows = []
            for unit in [u for u in units if u.area.pk == area.pk]:
                row = UnitSynthesis(area=unit.area, element=unit.element)
                for question in by_unit.get((area.pk, unit.element.pk if unit.element else None), []):
                    figure = analysis.figures.get(question.key)
                    if figure is None:
                        continue
                    if question.role == QuestionRole.STATUS:
                        row.status = figure
                    elif question.role == QuestionRole.INDICATOR:
                        row.indicators.append(figure)
                    elif question.role == QuestionRole.RESULTS:
                        row.results = figure.texts[:MAX_QUOTES]
                    elif question.role == QuestionRole.GOOD_PRACTICES:
                        row.good_practices = figure.texts[:MAX_QUOTES]
                    elif question.role == QuestionRole.LESSONS:
                        row.lessons = figure.texts[:MAX_QUOTES]
                rows.append(row)
            synthesis.areas.append((area, rows))
    else:
        for section in definition.sections:
            figures = [
                analysis.figures[q.key]
                for q in definition.section_questions(section.key)
                if q.key in analysis.figures and (q.has_options or q.type == QuestionType.NUMBER)
            ]
            if figures:
                synthesis.sections.append((section, figures))
    progress(60, _("Synthesis ready"))
    return synthesis
