"""The questionnaire engine: a questionnaire's definition as data, read, checked and analysed without a
form class.

A definition is a list of questions in document order, grouped in sections; a question may sit in a group
(a sub-section) and may carry skip logic: ``enabled_when``, a list of conditions of which one must hold
(``{"question": key, "op": "any_of" | "other_than" | "answered", "values": [...]}``). A question is enabled
when its group is enabled and, if it has conditions, one of them holds on the *kept* answers (answers of
disabled questions are dropped first, so skip logic is transitive).

Answers are plain JSON: ``answers = {key: value}`` where a value is a string (single option, count bucket,
short or rich text, a date as ``YYYY-MM-DD``), a list of strings (multiple options, vocabulary terms) or an
integer (whole number); and
``explanations = {key: {option value: text or number}}`` for options that ask for a free-text explanation or
a number (``"input": "text" | "number"``).

The engine does four things, the same for the pages and the API:

- :func:`parse_form` reads a posted form (no JavaScript needed) into answers, with errors per question;
- :func:`check_values` checks typed answers (the API's JSON): unknown questions and option values are refused;
- :func:`apply_skip_logic` drops the answers of disabled questions;
- :func:`missing_answers` lists the enabled mandatory questions still unanswered.
"""

import datetime
import random
import re
from dataclasses import dataclass, field

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from capacityhub.core.multilingual import resolve

from .choices import OPTION_TYPES, STRUCTURAL_TYPES, TEXT_TYPES, QuestionType

MAX_TEXT = 20000
MAX_NUMBER = 10**12
ANY_OF, OTHER_THAN, ANSWERED = "any_of", "other_than", "answered"
CONDITION_OPS = (ANY_OF, OTHER_THAN, ANSWERED)


@dataclass
class Option:
    value: str
    title: dict
    input: str = ""  # "text" or "number": the option asks for an explanation or a figure
    exclusive: bool = False
    identifier: str = ""
    term: str = ""
    caption: dict = field(default_factory=dict)  # label of the explanation's input

    def label(self, language=None):
        return resolve(self.title, language)[0] or self.value


@dataclass
class QuestionDef:
    """One question of a definition (a read-only copy of a :class:`~capacityhub.plans.models.Question`)."""

    key: str
    type: str
    title: dict
    number: str = ""
    section: str = ""
    parent: str = ""
    mandatory: bool = False
    options: list = field(default_factory=list)
    enabled_when: list = field(default_factory=list)
    hidden_when_disabled: bool = False
    placeholder: str = ""
    help: dict = field(default_factory=dict)
    footnote: dict = field(default_factory=dict)
    pk: int = None
    role: str = ""
    plan_area_id: int = None
    plan_element_id: int = None
    plan_indicator_id: int = None
    vocabulary_code: str = ""
    children: list = field(default_factory=list)

    @property
    def answerable(self):
        return self.type not in STRUCTURAL_TYPES

    @property
    def is_multiple(self):
        return self.type in (QuestionType.MULTIPLE, QuestionType.TERMS)

    @property
    def has_options(self):
        return self.type in OPTION_TYPES

    @property
    def is_text(self):
        return self.type in TEXT_TYPES

    def option(self, value):
        for option in self.options:
            if option.value == value:
                return option
        return None

    def label(self, language=None):
        """The question's number and title as plain text, e.g. ``"26. In the current reporting period…"``."""
        title = strip_tags(resolve(self.title, language)[0])
        return "{}. {}".format(self.number, title) if self.number else title


@dataclass
class Section:
    key: str
    title: dict
    description: dict = field(default_factory=dict)
    footnote: dict = field(default_factory=dict)
    questions: list = field(default_factory=list)  # top-level questions (groups hold their children)


class Definition:
    """A questionnaire's questions, in document order, with their sections and groups."""

    def __init__(self, sections, questions):
        self.sections = sections
        self.questions = questions
        self.by_key = {q.key: q for q in questions}
        self.section_of = {q.key: q.section for q in questions}
        for question in questions:
            question.children = [q for q in questions if q.parent == question.key]
        for section in sections:
            section.questions = [q for q in questions if q.section == section.key and not q.parent]

    def __iter__(self):
        return iter(self.questions)

    def __getitem__(self, key):
        return self.by_key[key]

    def __contains__(self, key):
        return key in self.by_key

    @property
    def answerable(self):
        return [q for q in self.questions if q.answerable]

    def section(self, key):
        for section in self.sections:
            if section.key == key:
                return section
        return None

    def section_questions(self, key):
        """Every question of a section, groups' children included, in document order."""
        return [q for q in self.questions if q.section == key]

    @classmethod
    def from_data(cls, data):
        """A definition from the JSON shape of :meth:`Questionnaire.definition_data` (import files, tests)."""
        sections, questions = [], []
        for section in data["sections"]:
            sections.append(
                Section(
                    key=section["key"],
                    title=section.get("title", {}),
                    description=section.get("description", {}),
                    footnote=section.get("footnote", {}),
                )
            )

            def walk(items, section_key, parent=""):
                for item in items:
                    questions.append(question_from_data(item, section=section_key, parent=parent))
                    walk(item.get("questions", []), section_key, parent=item["key"])

            walk(section.get("questions", []), section["key"])
        return cls(sections, questions)


def question_from_data(item, *, section, parent=""):
    return QuestionDef(
        key=item["key"],
        type=item["type"],
        title=item.get("title", {}),
        number=item.get("number", ""),
        section=section,
        parent=parent,
        mandatory=bool(item.get("mandatory")),
        options=[option_from_data(o) for o in item.get("options", [])],
        enabled_when=list(item.get("enabled_when", [])),
        hidden_when_disabled=bool(item.get("hidden_when_disabled")),
        placeholder=item.get("placeholder", ""),
        help=item.get("help", {}),
        footnote=item.get("footnote", {}),
        vocabulary_code=item.get("vocabulary", ""),
    )


def option_from_data(data):
    return Option(
        value=str(data["value"]),
        title=data.get("title", {}),
        input=data.get("input", "") or "",
        exclusive=bool(data.get("exclusive")),
        identifier=data.get("identifier", ""),
        term=data.get("term", ""),
        caption=data.get("caption", {}) or {},
    )


# -- answers ---------------------------------------------------------------------------------------------
def is_answered(value):
    return value not in (None, "", [], {})


def _as_set(value):
    if value is None:
        return set()
    if isinstance(value, list):
        return {str(v) for v in value}
    return {str(value)}


def condition_holds(condition, answers):
    given = _as_set(answers.get(condition["question"]))
    values = {str(v) for v in condition.get("values", [])}
    op = condition.get("op", ANY_OF)
    if op == ANSWERED or (op == ANY_OF and not values):
        return bool(given)
    if op == ANY_OF:
        return bool(given & values)
    if op == OTHER_THAN:
        return bool(given - values)
    return False


def enabled_keys(definition, answers):
    """The keys of the questions enabled by ``answers`` (answers of disabled questions do not count)."""
    kept = dict(answers)
    enabled = set()
    # Conditions refer to questions before them in the forms we know; iterate until stable in any case.
    for _round in range(5):
        enabled = set()
        for question in definition.questions:
            if question.parent and question.parent not in enabled:
                continue
            if question.enabled_when and not any(condition_holds(c, kept) for c in question.enabled_when):
                continue
            enabled.add(question.key)
        pruned = {key: value for key, value in kept.items() if key in enabled}
        if pruned == kept:
            break
        kept = pruned
    return enabled


def apply_skip_logic(definition, answers, explanations=None):
    """``(answers, explanations, dropped keys)``: only answers of enabled, answerable questions are kept, and
    only explanations of options that are chosen."""
    explanations = explanations or {}
    enabled = enabled_keys(definition, answers)
    kept, dropped = {}, []
    for key, value in answers.items():
        question = definition.by_key.get(key)
        if question is None or not question.answerable or key not in enabled:
            dropped.append(key)
            continue
        if is_answered(value):
            kept[key] = value
    kept_explanations = {}
    for key, details in explanations.items():
        if key not in kept or not isinstance(details, dict):
            continue
        chosen = _as_set(kept[key])
        question = definition.by_key[key]
        details = {
            value: text
            for value, text in details.items()
            if value in chosen
            and (question.option(value) and question.option(value).input)
            and is_answered(text)
        }
        if details:
            kept_explanations[key] = details
    return kept, kept_explanations, sorted(dropped)


def missing_answers(definition, answers):
    """The enabled mandatory questions without an answer, in document order."""
    enabled = enabled_keys(definition, answers)
    return [
        q
        for q in definition.questions
        if q.answerable and q.mandatory and q.key in enabled and not is_answered(answers.get(q.key))
    ]


# -- checking values -------------------------------------------------------------------------------------
def _check_one(question, value, errors):
    """The value of ``question`` checked and normalized, or None with a message added to ``errors``."""
    key = question.key
    if not is_answered(value):
        return None
    if question.type == QuestionType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | str):
            errors.setdefault(key, []).append(_("Enter a whole number."))
            return None
        text = str(value).strip().replace(" ", "").replace("\u202f", "").replace("\xa0", "")
        if not re.fullmatch(r"\d+", text):
            errors.setdefault(key, []).append(_("Enter a whole number (0 or more)."))
            return None
        number = int(text)
        if number > MAX_NUMBER:
            errors.setdefault(key, []).append(_("This number is too large."))
            return None
        return number
    if question.type == QuestionType.DATE:
        try:
            return datetime.date.fromisoformat(str(value).strip()[:10]).isoformat()
        except ValueError:
            errors.setdefault(key, []).append(_("Enter a date as YYYY-MM-DD."))
            return None
    if question.is_text:
        if not isinstance(value, str):
            errors.setdefault(key, []).append(_("Enter a text."))
            return None
        value = value.strip()
        if len(value) > MAX_TEXT:
            errors.setdefault(key, []).append(
                _("Shorten this text to {limit} characters or fewer.").format(limit=MAX_TEXT)
            )
            return None
        return value or None
    if question.has_options:
        values = value if isinstance(value, list) else [value]
        if not question.is_multiple and len(values) > 1:
            errors.setdefault(key, []).append(_("Choose only one option."))
            return None
        values = [str(v) for v in values if is_answered(v)]
        unknown = [v for v in values if question.option(v) is None]
        if unknown:
            errors.setdefault(key, []).append(
                _("Unknown option: {values}. Choose among the options listed.").format(
                    values=", ".join(unknown)
                )
            )
            return None
        if question.is_multiple:
            exclusive = [v for v in values if question.option(v).exclusive]
            if exclusive and len(set(values)) > 1:
                errors.setdefault(key, []).append(
                    _("“{option}” cannot be combined with other options.").format(
                        option=question.option(exclusive[0]).label()
                    )
                )
                return None
            ordered = [o.value for o in question.options if o.value in set(values)]
            return ordered or None
        return values[0] if values else None
    errors.setdefault(key, []).append(_("This item takes no answer."))
    return None


def _check_explanation(question, option, raw, errors):
    if option.input == "number":
        text = str(raw).strip()
        if not re.fullmatch(r"\d+", text):
            errors.setdefault(question.key, []).append(
                _("Enter a whole number for “{option}”.").format(option=option.label())
            )
            return None
        number = int(text)
        if question.placeholder == "%" and number > 100:
            errors.setdefault(question.key, []).append(
                _("Enter a percentage between 0 and 100 for “{option}”.").format(option=option.label())
            )
            return None
        return number
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        errors.setdefault(question.key, []).append(
            _("Shorten this text to {limit} characters or fewer.").format(limit=MAX_TEXT)
        )
        return None
    return text or None


def check_values(definition, answers, explanations=None, *, keys=None):
    """Check typed answers (the API's JSON). Returns ``(answers, explanations, errors)``; ``errors`` maps
    question keys (or ``"answers"``) to messages. Only the questions in ``keys`` are read, if given."""
    errors = {}
    cleaned, cleaned_explanations = {}, {}
    if not isinstance(answers, dict):
        return {}, {}, {"answers": [_("Answers are an object of answers by question key.")]}
    explanations = explanations or {}
    if not isinstance(explanations, dict):
        return {}, {}, {"explanations": [_("Explanations are an object by question key, then option value.")]}
    for key in list(answers) + [k for k in explanations if k not in answers]:
        if key not in definition:
            errors.setdefault(key, []).append(_("Unknown question: {key}.").format(key=key))
    for key, value in answers.items():
        question = definition.by_key.get(key)
        if question is None or (keys is not None and key not in keys):
            continue
        value = _check_one(question, value, errors)
        if value is not None:
            cleaned[key] = value
    for key, details in explanations.items():
        question = definition.by_key.get(key)
        if question is None or (keys is not None and key not in keys):
            continue
        if not isinstance(details, dict):
            errors.setdefault(key, []).append(_("Explanations are an object by option value."))
            continue
        for value, raw in details.items():
            option = question.option(str(value))
            if option is None or not option.input:
                errors.setdefault(key, []).append(
                    _("Option {value} of this question takes no explanation.").format(value=value)
                )
                continue
            if str(value) not in _as_set(cleaned.get(key)) or not is_answered(raw):
                continue
            checked = _check_explanation(question, option, raw, errors)
            if checked is not None:
                cleaned_explanations.setdefault(key, {})[str(value)] = checked
    _check_periods(definition, cleaned, errors)
    return cleaned, cleaned_explanations, errors


def _check_periods(definition, answers, errors):
    """Two date questions ``<name>_start`` and ``<name>_end`` (a period, such as question 4 of the fifth
    national report) must be in order."""
    for key, value in answers.items():
        if not key.endswith("_end") or definition.by_key[key].type != QuestionType.DATE:
            continue
        start = answers.get(key[: -len("_end")] + "_start")
        if isinstance(start, str) and start > value:
            errors.setdefault(key, []).append(_("The end of the period is before its start."))


# -- forms -----------------------------------------------------------------------------------------------
def field_name(key):
    return "q:{}".format(key)


def explanation_name(key, value):
    return "x:{}:{}".format(key, value)


def parse_form(definition, data, keys):
    """Read the answers to the questions ``keys`` from posted form ``data`` (a QueryDict).

    Returns ``(answers, explanations, errors)`` for those questions only; an empty input is no answer."""
    answers, explanations = {}, {}
    for key in keys:
        question = definition.by_key[key]
        if not question.answerable:
            continue
        name = field_name(key)
        if question.is_multiple:
            value = [v for v in data.getlist(name) if v != ""]
        else:
            value = data.get(name, "")
        answers[key] = value
        for option in question.options:
            if option.input:
                raw = data.get(explanation_name(key, option.value), "")
                if raw.strip():
                    explanations.setdefault(key, {})[option.value] = raw
    return check_values(definition, answers, explanations)


def describe_condition(definition, question, language=None):
    """The skip logic of ``question`` in words, e.g. “Answer if question 26 is answered: Yes.”"""
    parts = []
    for condition in question.enabled_when:
        source = definition.by_key.get(condition["question"])
        if source is None:
            continue
        reference = source.number or source.key
        if source.parent and source.number and definition.by_key.get(source.parent):
            reference = "{}({})".format(definition.by_key[source.parent].number, source.number)
        titles = [
            source.option(v).label(language) if source.option(v) else v for v in condition.get("values", [])
        ]
        op = condition.get("op", ANY_OF)
        if op == ANSWERED or not titles:
            parts.append(_("question {number} is answered").format(number=reference))
        elif op == ANY_OF:
            parts.append(
                _("the answer to question {number} is “{options}”").format(
                    number=reference, options="” or “".join(titles)
                )
            )
        else:
            parts.append(
                _("the answer to question {number} is other than “{options}”").format(
                    number=reference, options="” or “".join(titles)
                )
            )
    if not parts:
        return ""
    return _("Applies if {conditions}.").format(conditions=_(", or if ").join(parts))


# -- generated answers (demo data, tests) ----------------------------------------------------------------
SAMPLE_TEXTS = (
    "A national workshop trained staff of the competent authority and the customs service.",
    "Guidelines were drafted with the national biosafety committee and are under review.",
    "Regional cooperation helped to share laboratory capacity for the detection of LMOs.",
    "Funding remained the main constraint; activities depended on a GEF-funded project.",
    "Public awareness campaigns reached schools and farmers' associations in three provinces.",
    "Staff turnover slowed progress; a training-of-trainers approach helped to keep expertise.",
    "Information was shared through the Biosafety Clearing-House and a national website.",
)


def random_answers(definition, rng=None, *, fill=0.7, texts=SAMPLE_TEXTS, weights=None):
    """Valid answers to ``definition`` drawn at random: every enabled mandatory question is answered and the
    others with probability ``fill``; options are chosen with ``weights[key][value]`` when given.
    Returns ``(answers, explanations)``, already consistent with the skip logic."""
    rng = rng or random.Random(0)
    weights = weights or {}
    answers, explanations, enabled = {}, {}, set()
    for question in definition.questions:
        if question.parent and question.parent not in enabled:
            continue
        if question.enabled_when and not any(condition_holds(c, answers) for c in question.enabled_when):
            continue
        enabled.add(question.key)
        if not question.answerable:
            continue
        if not question.mandatory and rng.random() > fill:
            continue
        if question.has_options and question.options:
            options = question.options
            w = [weights.get(question.key, {}).get(o.value, 1.0) for o in options]
            if question.is_multiple:
                chosen = [
                    o
                    for o, wt in zip(options, w, strict=True)
                    if not o.exclusive and rng.random() < 0.35 * wt
                ]
                if not chosen:
                    chosen = [rng.choices(options, weights=w)[0]]
                value = [o.value for o in options if o in chosen]
            else:
                chosen = [rng.choices(options, weights=w)[0]]
                value = chosen[0].value
            answers[question.key] = value
            for option in chosen:
                if option.input == "number":
                    explanations.setdefault(question.key, {})[option.value] = rng.randint(0, 100)
                elif option.input == "text":
                    explanations.setdefault(question.key, {})[option.value] = rng.choice(texts)
        elif question.type == QuestionType.NUMBER:
            answers[question.key] = rng.randint(0, 40)
        elif question.type == QuestionType.DATE:
            day = datetime.date(2018, 1, 1) + datetime.timedelta(days=rng.randint(0, 1500))
            answers[question.key] = day.isoformat()
        elif question.is_text:
            answers[question.key] = rng.choice(texts)
    for key in [k for k in answers if k.endswith("_end")]:  # periods in order
        start_key = key[: -len("_end")] + "_start"
        if isinstance(answers.get(start_key), str) and answers[start_key] > answers[key]:
            answers[start_key], answers[key] = answers[key], answers[start_key]
    answers, explanations, _dropped = apply_skip_logic(definition, answers, explanations)
    return answers, explanations
