"""What the questionnaire templates need: each question of a section bound to its current answer, its inputs'
names, its errors, and its skip logic in words; and the answers of a submission for reading."""

import json
from dataclasses import dataclass, field

from capacityhub.core.multilingual import resolve

from . import engine
from .choices import QuestionType


@dataclass
class BoundOption:
    value: str
    title: dict
    id: str
    checked: bool = False
    input: str = ""
    exclusive: bool = False
    explanation_name: str = ""
    explanation: object = ""
    caption: dict = field(default_factory=dict)


@dataclass
class BoundQuestion:
    question: engine.QuestionDef
    id: str
    name: str
    value: object = None
    options: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    condition: str = ""
    applicable: bool = True
    missing: bool = False
    children: list = field(default_factory=list)

    @property
    def type(self):
        return self.question.type

    @property
    def widget(self):
        """The template to include for the answer: radio, checkbox, number, text, richtext, group, legend."""
        return {
            QuestionType.SINGLE: "radio",
            QuestionType.BUCKET: "radio",
            QuestionType.MULTIPLE: "checkbox",
            QuestionType.TERMS: "checkbox",
            QuestionType.NUMBER: "number",
            QuestionType.TEXT: "text",
            QuestionType.RICHTEXT: "richtext",
            QuestionType.DATE: "date",
            QuestionType.GROUP: "group",
            QuestionType.LEGEND: "legend",
        }[self.question.type]

    @property
    def logic(self):
        """The skip logic for the page's script (which only enhances: the server decides)."""
        if not self.question.enabled_when:
            return ""
        return json.dumps(
            {"when": self.question.enabled_when, "hide": self.question.hidden_when_disabled},
            separators=(",", ":"),
        )


def dom_id(key, *parts):
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in key)
    return "-".join(["q", safe, *[str(p) for p in parts]])


def bind_section(definition, section_key, answers, explanations, errors=None, missing_keys=()):
    """The questions of one section bound to ``answers`` (saved, or just posted with ``errors``)."""
    errors = errors or {}
    enabled = engine.enabled_keys(definition, answers)
    section = definition.section(section_key)

    def bind(question):
        value = answers.get(question.key)
        chosen = set(value if isinstance(value, list) else [] if value in (None, "") else [str(value)])
        details = explanations.get(question.key, {})
        bound = BoundQuestion(
            question=question,
            id=dom_id(question.key),
            name=engine.field_name(question.key),
            value="" if value is None else value,
            errors=errors.get(question.key, []),
            condition=engine.describe_condition(definition, question),
            applicable=question.key in enabled,
            missing=question.key in missing_keys,
        )
        for index, option in enumerate(question.options):
            bound.options.append(
                BoundOption(
                    value=option.value,
                    title=option.title,
                    id=dom_id(question.key, index),
                    checked=option.value in chosen,
                    input=option.input,
                    exclusive=option.exclusive,
                    explanation_name=engine.explanation_name(question.key, option.value)
                    if option.input
                    else "",
                    explanation=details.get(option.value, ""),
                    caption=option.caption,
                )
            )
        bound.children = [bind(child) for child in question.children]
        return bound

    return [bind(q) for q in section.questions] if section else []


def section_progress(definition, answers):
    """Per section: ``{key: (answered, missing mandatory)}`` with the current answers."""
    missing = {q.key for q in engine.missing_answers(definition, answers)}
    progress = {}
    for section in definition.sections:
        keys = [q.key for q in definition.section_questions(section.key) if q.answerable]
        answered = sum(1 for k in keys if engine.is_answered(answers.get(k)))
        progress[section.key] = (answered, sum(1 for k in keys if k in missing))
    return progress


@dataclass
class ReadAnswer:
    question: engine.QuestionDef
    text: str = ""  # options chosen, number or plain text
    rich: str = ""  # rich text (Markdown)
    details: list = field(default_factory=list)  # (option label, explanation)
    depth: int = 0


def read_answers(definition, answers, explanations, language=None):
    """The answered questions of a submission, section by section: ``[(section, [ReadAnswer])]``."""
    result = []
    for section in definition.sections:
        rows = []
        for question in definition.section_questions(section.key):
            depth = 1 if question.parent else 0
            if question.type == QuestionType.GROUP:
                children = [c.key for c in question.children]
                if any(engine.is_answered(answers.get(k)) for k in children):
                    rows.append(ReadAnswer(question=question, depth=depth))
                continue
            if question.type == QuestionType.LEGEND:
                continue
            value = answers.get(question.key)
            if not engine.is_answered(value):
                continue
            row = ReadAnswer(question=question, depth=depth)
            if question.has_options:
                values = value if isinstance(value, list) else [value]
                labels = [question.option(v).label(language) if question.option(v) else v for v in values]
                row.text = "; ".join(labels)
                for option_value, extra in explanations.get(question.key, {}).items():
                    option = question.option(option_value)
                    row.details.append((option.label(language) if option else option_value, extra))
            elif question.type == QuestionType.RICHTEXT:
                row.rich = value
            else:
                row.text = str(value)
            rows.append(row)
        if rows:
            result.append((section, rows))
    return result


def missing_by_section(definition, answers):
    """The enabled mandatory questions without an answer, grouped by section: ``[(section, [question])]``."""
    missing = engine.missing_answers(definition, answers)
    grouped = []
    for section in definition.sections:
        questions = [q for q in missing if q.section == section.key]
        if questions:
            grouped.append((section, questions))
    return grouped


def plain(value, language=None):
    return resolve(value, language)[0]
