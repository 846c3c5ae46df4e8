"""Questionnaire definitions as files: the platform's JSON shape, the BCH national-report format read into it,
and the idempotent loading of a definition into the database (a plan's status-of-implementation questionnaire
is generated in ``generator.py``).

The platform's shape (texts are ``{language code: text}``)::

    {"key": "cpb-nr5", "version": 1, "kind": "national_report", "title": {…}, "description": {…},
     "source": "…", "plan": "<plan key>",
     "sections": [{"key": "Article2", "title": {…}, "description": {…}, "footnote": {…},
                   "questions": [{"key": "Q007", "number": "7", "type": "single", "title": {…},
                                  "mandatory": true, "options": [{"value": "true", "title": {…},
                                  "input": "text" | "number", "exclusive": false, "caption": {…}}],
                                  "enabled_when": [{"question": "Q006", "op": "any_of", "values": ["true"]}],
                                  "hidden_when_disabled": false, "vocabulary": "thematic-areas",
                                  "questions": [… children of a group …]}]}]}

Reading the BCH format (``plans/data/questionnaires/cpbNationalReport*.json``): ``option`` questions become
single or multiple options (count buckets when every option value is a count such as ``0``, ``1+``, ``10+``),
``term`` questions vocabulary terms (mapped onto the capacity-building areas vocabulary when every option is
one of its terms), ``lstring`` short text, ``lstringRte`` rich text, ``int`` whole numbers, ``sub-section``
groups and ``legend`` headings; an option of type ``lstring`` or ``int`` asks for an explanation or a figure.
Skip logic: each ``validations`` entry of a question enables (``trigger: enable``) or shows (``visible``)
another question: ``@hasValues`` (any of the values; without values, any answer) and ``@hasAdditionalValues``
become ``any_of``, ``@hasValuesExcept`` ``other_than``, and the BCH's named functions ``&isXOrY…`` become
``any_of`` the *Yes* answers (``true`` and ``true.*``) of each source question, as their question texts say
(“If you answered Yes or Yes, to some extent to question(s) 79, 80 and/or 81”).
"""

import json
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from capacityhub.core.multilingual import clean_value
from capacityhub.reference.loaders import LoadResult
from capacityhub.reference.models import Term, Vocabulary

from . import engine
from .choices import (
    OPTION_TYPES,
    QuestionnaireKind,
    QuestionType,
)
from .models import PlanIndicator, Question, Questionnaire, Section
from .planfiles import differs

DATA_DIR = Path(__file__).resolve().parent / "data"
BUCKET_VALUE = re.compile(r"^\d+\+?$")
YES_VALUE = re.compile(r"^true(\..+)?$")
CONTENT_LANGUAGES = {code for code, _name in settings.CONTENT_LANGUAGES}


class QuestionnaireFileError(ValueError):
    def __init__(self, messages):
        super().__init__("; ".join(messages))
        self.messages = messages


def ml_gettext(message):
    """A translatable message as multilingual text: English and each interface language it is translated
    in."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(message)
    return {code: text for code, text in texts.items() if code == "en" or text != texts["en"]}


# -- the BCH national-report format ------------------------------------------------------------------------
def _en(text):
    return {"en": text.strip()} if text and text.strip() else {}


def bch_to_definition(raw, *, key, title, version=1, source="", description=None):
    """A BCH national-report questionnaire (``[{section…}]``) in the platform's shape."""
    questions = {}

    def walk(items):
        for item in items:
            questions[item["key"]] = item
            walk(item.get("questions") or [])

    for section in raw:
        walk(section.get("questions") or [])
    thematic = {
        t.identifier.upper(): t.code
        for t in Term.objects.filter(vocabulary__code="thematic-areas").exclude(identifier="")
    }
    conditions = {}
    hidden = set()
    for source_key, item in questions.items():
        for validation in item.get("validations") or []:
            target = validation["question"]
            kind = validation.get("type", "")
            values = [str(v) for v in validation.get("values") or []]
            if kind.startswith("&"):
                values = values or [
                    o["value"] for o in item.get("options") or [] if YES_VALUE.match(o["value"])
                ]
                op = engine.ANY_OF if values else engine.ANSWERED
            elif kind == "@hasValuesExcept":
                op = engine.OTHER_THAN
            elif kind in ("@hasValues", "@hasAdditionalValues"):
                op = engine.ANY_OF if values else engine.ANSWERED
            else:
                raise QuestionnaireFileError(
                    [_("Unknown kind of validation {kind} on {key}.").format(kind=kind, key=source_key)]
                )
            condition = {"question": source_key, "op": op, "values": values}
            if condition not in conditions.setdefault(target, []):
                conditions[target].append(condition)
            if validation.get("trigger") == "visible":
                hidden.add(target)

    def convert(item):
        bch_type = item["type"]
        options = item.get("options") or []
        row = {
            "key": item["key"],
            "number": item.get("number") or "",
            "title": _en(item.get("title", "")),
            "mandatory": bool(item.get("mandatory")),
        }
        if item.get("footnote"):
            row["footnote"] = _en(item["footnote"])
        if item.get("customValuePlaceholder"):
            row["placeholder"] = item["customValuePlaceholder"][:40]
        if bch_type == "option":
            if item.get("multiple"):
                row["type"] = QuestionType.MULTIPLE
            elif options and all(BUCKET_VALUE.match(o["value"]) for o in options):
                row["type"] = QuestionType.BUCKET
            else:
                row["type"] = QuestionType.SINGLE
        elif bch_type == "term":
            row["type"] = QuestionType.TERMS if item.get("multiple") else QuestionType.SINGLE
            if options and all(o["value"].upper() in thematic for o in options):
                row["vocabulary"] = "thematic-areas"
        elif bch_type == "lstring":
            row["type"] = QuestionType.TEXT
        elif bch_type == "lstringRte":
            row["type"] = QuestionType.RICHTEXT
        elif bch_type == "int":
            row["type"] = QuestionType.NUMBER
        elif bch_type == "date":
            row["type"] = QuestionType.DATE
        elif bch_type == "sub-section":
            row["type"] = QuestionType.GROUP
        elif bch_type == "legend":
            row["type"] = QuestionType.LEGEND
        else:
            raise QuestionnaireFileError(
                [_("Unknown question type {type} of {key}.").format(type=bch_type, key=item["key"])]
            )
        if options:
            row["options"] = []
            for option in options:
                converted = {"value": str(option["value"]), "title": _en(option.get("title", ""))}
                if option.get("type") == "lstring":
                    converted["input"] = "text"
                elif option.get("type") == "int":
                    converted["input"] = "number"
                if option.get("exclusive"):
                    converted["exclusive"] = True
                if option.get("caption"):
                    converted["caption"] = _en(option["caption"])
                if row.get("vocabulary"):
                    converted["identifier"] = option["value"]
                    converted["term"] = thematic[option["value"].upper()]
                row["options"].append(converted)
        if item["key"] in conditions:
            row["enabled_when"] = conditions[item["key"]]
        if item["key"] in hidden:
            row["hidden_when_disabled"] = True
        if item.get("questions"):
            row["questions"] = [convert(child) for child in item["questions"]]
        return row

    return {
        "key": key,
        "version": version,
        "kind": QuestionnaireKind.NATIONAL_REPORT,
        "title": title,
        "description": description or {},
        "source": source,
        "sections": [
            {
                "key": section["key"],
                "title": _en(section.get("title", "")),
                "description": _en(section.get("description", "")),
                "footnote": _en(section.get("footnote", "")),
                "questions": [convert(item) for item in section.get("questions") or []],
            }
            for section in raw
        ],
    }


# -- checking a definition ---------------------------------------------------------------------------------
def _walk(items, section, parent=""):
    for item in items:
        yield item, section, parent
        yield from _walk(item.get("questions") or [], section, item.get("key", ""))


def check_definition(data):
    """Check a definition in the platform's shape; :class:`QuestionnaireFileError` lists every problem."""
    errors = []
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise QuestionnaireFileError([_("A questionnaire file is a JSON object with a list of sections.")])
    if not data.get("key") or not re.fullmatch(r"[-a-zA-Z0-9_]{1,80}", str(data["key"])):
        errors.append(_("key: letters, digits and hyphens, at most 80 characters, are required."))
    if data.get("kind") not in QuestionnaireKind.values:
        errors.append(_("kind: one of {kinds}.").format(kinds=", ".join(QuestionnaireKind.values)))
    seen_sections, seen, order = set(), set(), {}
    for section in data["sections"]:
        if not section.get("key") or section["key"] in seen_sections:
            errors.append(_("Each section needs a key of its own."))
        seen_sections.add(section.get("key"))
        for item, _section, _parent in _walk(section.get("questions") or [], section.get("key")):
            key = item.get("key")
            if not key or len(key) > 80 or key in seen:
                errors.append(_("Each question needs a key of its own ({key}).").format(key=key))
                continue
            seen.add(key)
            order[key] = len(order)
            qtype = item.get("type")
            if qtype not in QuestionType.values:
                errors.append(_("{key}: unknown type {type}.").format(key=key, type=qtype))
                continue
            options = item.get("options") or []
            if qtype in OPTION_TYPES and not options and qtype != QuestionType.BUCKET:
                errors.append(_("{key}: a question with options needs options.").format(key=key))
            values = [str(o.get("value", "")) for o in options]
            if len(values) != len(set(values)) or any(not v or len(v) > 255 for v in values):
                errors.append(_("{key}: option values must be distinct and not empty.").format(key=key))
            for option in options:
                if option.get("input", "") not in ("", "text", "number"):
                    errors.append(_("{key}: an option's input is text or number.").format(key=key))
    for section in data["sections"]:
        for item, _section, _parent in _walk(section.get("questions") or [], section.get("key")):
            for condition in item.get("enabled_when") or []:
                source = condition.get("question")
                if source not in order:
                    errors.append(
                        _("{key}: its condition refers to an unknown question {source}.").format(
                            key=item.get("key"), source=source
                        )
                    )
                if condition.get("op", engine.ANY_OF) not in engine.CONDITION_OPS:
                    errors.append(
                        _("{key}: unknown condition {op}.").format(
                            key=item.get("key"), op=condition.get("op")
                        )
                    )
    if errors:
        raise QuestionnaireFileError(errors)
    return data


def default_buckets():
    return [
        {"value": "0", "title": ml_gettext(gettext_lazy("None"))},
        {"value": "1+", "title": ml_gettext(gettext_lazy("1 to 4"))},
        {"value": "5+", "title": ml_gettext(gettext_lazy("5 to 9"))},
        {"value": "10+", "title": ml_gettext(gettext_lazy("10 or more"))},
    ]


# -- loading a definition ----------------------------------------------------------------------------------
def structure(data):
    """What answers depend on: keys, types and option values (texts may change without a new version)."""
    return sorted(
        (item["key"], item["type"], tuple(str(o["value"]) for o in item.get("options") or []))
        for section in data["sections"]
        for item, _s, _p in _walk(section.get("questions") or [], section["key"])
    )


@transaction.atomic
def load_definition(data, *, plan=None, is_demo=False):
    """Create or update the questionnaire version ``data`` describes (matched by key and version), with its
    sections and questions matched by key. Returns ``(questionnaire, [LoadResult])``."""
    data = check_definition(data)
    results = [LoadResult("questionnaires"), LoadResult("questionnaire sections"), LoadResult("questions")]
    q_result, s_result, question_result = results
    questionnaire = Questionnaire.objects.filter(key=data["key"], version=data.get("version", 1)).first()
    values = {
        "title": clean_value(data.get("title")),
        "description": clean_value(data.get("description")),
        "kind": data["kind"],
        "plan": plan,
        "source": str(data.get("source", ""))[:500],
        "is_demo": is_demo,
    }
    if questionnaire is None:
        questionnaire = Questionnaire.objects.create(
            key=data["key"], version=data.get("version", 1), **values
        )
        q_result.created += 1
    else:
        changed = [name for name, value in values.items() if differs(questionnaire, name, value)]
        if changed:
            for name in changed:
                setattr(questionnaire, name, values[name])
            questionnaire.save()
            q_result.updated += 1
        else:
            q_result.unchanged += 1
    sections = {s.key: s for s in questionnaire.sections.all()}
    questions = {q.key: q for q in questionnaire.questions.all()}
    vocabularies = {v.code: v for v in Vocabulary.objects.all()}
    units = _plan_parts(plan)
    position = 0
    pending_parents = []
    for s_position, section_data in enumerate(data["sections"], start=1):
        section = sections.get(section_data["key"]) or Section(
            questionnaire=questionnaire, key=section_data["key"]
        )
        _save(
            section,
            {
                "title": clean_value(section_data.get("title")),
                "description": clean_value(section_data.get("description")),
                "footnote": clean_value(section_data.get("footnote")),
                "position": s_position,
            },
            s_result,
        )
        sections[section.key] = section
        for item, _s, parent in _walk(section_data.get("questions") or [], section.key):
            position += 1
            question = questions.get(item["key"]) or Question(questionnaire=questionnaire, key=item["key"])
            area, element, indicator = units(item)
            _save(
                question,
                {
                    "section": section,
                    "number": str(item.get("number", ""))[:20],
                    "type": item["type"],
                    "title": clean_value(item.get("title")),
                    "help": clean_value(item.get("help")),
                    "footnote": clean_value(item.get("footnote")),
                    "mandatory": bool(item.get("mandatory")),
                    "options": [_option(o) for o in item.get("options") or []],
                    "vocabulary": vocabularies.get(item.get("vocabulary", "")),
                    "enabled_when": [
                        {
                            "question": c["question"],
                            "op": c.get("op", engine.ANY_OF),
                            "values": list(c.get("values", [])),
                        }
                        for c in item.get("enabled_when") or []
                    ],
                    "hidden_when_disabled": bool(item.get("hidden_when_disabled")),
                    "placeholder": str(item.get("placeholder", ""))[:40],
                    "position": position,
                    "role": item.get("role", ""),
                    "plan_area": area,
                    "plan_element": element,
                    "plan_indicator": indicator,
                },
                question_result,
            )
            questions[question.key] = question
            pending_parents.append((question, parent))
    for question, parent in pending_parents:
        parent_id = questions[parent].pk if parent else None
        if question.parent_id != parent_id:
            question.parent_id = parent_id
            question.save(update_fields=["parent"])
    wanted_questions = {q.key for q, _p in pending_parents}
    stale = questionnaire.questions.exclude(key__in=wanted_questions)
    if stale.exists():
        question_result.removed += stale.count()
        stale.update(parent=None)
        stale.delete()
    stale_sections = questionnaire.sections.exclude(key__in=[s["key"] for s in data["sections"]])
    if stale_sections.exists():
        s_result.removed += stale_sections.count()
        stale_sections.delete()
    if any(r.changed for r in results[1:]):
        questionnaire.save(update_fields=["updated_at"])
    return questionnaire, results


def _option(option):
    row = {"value": str(option["value"]), "title": clean_value(option.get("title"))}
    for name in ("input", "identifier", "term"):
        if option.get(name):
            row[name] = option[name]
    if option.get("exclusive"):
        row["exclusive"] = True
    if option.get("caption"):
        row["caption"] = clean_value(option["caption"])
    return row


def _save(instance, values, result):
    changed = [name for name, value in values.items() if differs(instance, name, value)]
    for name in changed:
        setattr(instance, name, values[name])
    if instance.pk is None:
        instance.save()
        result.created += 1
    elif changed:
        instance.save(update_fields=changed)
        result.updated += 1
    else:
        result.unchanged += 1


def _plan_parts(plan):
    """A function giving the (area, element, indicator) a question's data refers to by number."""
    if plan is None:
        return lambda item: (None, None, None)
    areas = {a.number: a for a in plan.areas.all()}
    elements = {e.number: e for e in plan.elements.all()}
    indicators = {(i.element_id, i.number): i for i in PlanIndicator.objects.filter(element__plan=plan)}

    def parts(item):
        element = elements.get(item.get("plan_element", ""))
        area = element.area if element else areas.get(item.get("plan_area", ""))
        indicator = indicators.get((element.pk, item.get("plan_indicator"))) if element else None
        return area, element, indicator

    return parts


def export_definition(questionnaire):
    """The questionnaire in the platform's shape (the shape :func:`load_definition` reads)."""
    rows = list(
        questionnaire.questions.select_related(
            "section", "vocabulary", "plan_area", "plan_element", "plan_indicator"
        )
    )
    children = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)

    def item(row):
        data = {"key": row.key, "number": row.number, "type": row.type, "title": row.title}
        for name in ("help", "footnote"):
            if getattr(row, name):
                data[name] = getattr(row, name)
        if row.mandatory:
            data["mandatory"] = True
        if row.options:
            data["options"] = row.options
        if row.vocabulary_id:
            data["vocabulary"] = row.vocabulary.code
        if row.enabled_when:
            data["enabled_when"] = row.enabled_when
        if row.hidden_when_disabled:
            data["hidden_when_disabled"] = True
        if row.placeholder:
            data["placeholder"] = row.placeholder
        if row.role:
            data["role"] = row.role
        if row.plan_area_id:
            data["plan_area"] = row.plan_area.number
        if row.plan_element_id:
            data["plan_element"] = row.plan_element.number
        if row.plan_indicator_id:
            data["plan_indicator"] = row.plan_indicator.number
        if row.pk in children:
            data["questions"] = [item(child) for child in children[row.pk]]
        return data

    return {
        "key": questionnaire.key,
        "version": questionnaire.version,
        "kind": questionnaire.kind,
        "title": questionnaire.title,
        "description": questionnaire.description,
        "source": questionnaire.source,
        "plan": questionnaire.plan.key if questionnaire.plan_id else "",
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "description": section.description,
                "footnote": section.footnote,
                "questions": [item(row) for row in children.get(None, []) if row.section_id == section.pk],
            }
            for section in questionnaire.sections.all()
        ],
    }


# -- the shipped files -------------------------------------------------------------------------------------
NATIONAL_REPORTS = [
    {
        "file": "cpbNationalReport4-questions.json",
        "key": "cpb-nr4",
        "title": {
            "en": "Fourth national report on the implementation of the Cartagena Protocol on Biosafety"
        },
    },
    {
        "file": "cpbNationalReport5-questions.json",
        "key": "cpb-nr5",
        "title": {"en": "Fifth national report on the implementation of the Cartagena Protocol on Biosafety"},
        "previous": ("cpb-nr4", "mapping-cpbNationalReport5-4.json"),
        # Questions 1 to 6 (country, stakeholders, contact, date, period, Party status), which the report
        # analyzer's file leaves out: see the file's ``_source``.
        "header": "cpbNationalReport5-header.json",
        "respondent_question": "Q001",
    },
]


def respondent_question(questionnaire):
    """The key of the question that names the reporting country (filled in when a submission starts)."""
    for spec in NATIONAL_REPORTS:
        if spec["key"] == questionnaire.key:
            return spec.get("respondent_question", "")
    return ""


NATIONAL_REPORT_SOURCE = (
    "BCH national-report questionnaire {name} (scbd/absch.cbd.int app/app-data/bch/report-analyzer), "
    "English texts"
)


def read_json(name):
    with open(DATA_DIR / "questionnaires" / name, encoding="utf-8") as handle:
        return json.load(handle)


def load_national_reports():
    """The national-report questionnaires shipped in ``data/questionnaires/``, with the mapping of the fifth
    report's questions to the fourth's."""
    totals = {}
    loaded = {}
    for spec in NATIONAL_REPORTS:
        raw = read_json(spec["file"])
        if spec.get("header"):
            raw = read_json(spec["header"])["sections"] + raw
        data = bch_to_definition(
            raw,
            key=spec["key"],
            title=spec["title"],
            source=NATIONAL_REPORT_SOURCE.format(name=spec["file"].split("-")[0]),
        )
        questionnaire, results = load_definition(data)
        loaded[spec["key"]] = questionnaire
        for result in results:
            total = totals.setdefault(result.kind, LoadResult(result.kind))
            for name in ("created", "updated", "unchanged", "removed"):
                setattr(total, name, getattr(total, name) + getattr(result, name))
    mappings = LoadResult("questionnaire mappings")
    for spec in NATIONAL_REPORTS:
        if "previous" not in spec:
            continue
        previous_key, mapping_file = spec["previous"]
        questionnaire, previous = loaded[spec["key"]], loaded[previous_key]
        ours = set(questionnaire.questions.values_list("key", flat=True))
        theirs = set(previous.questions.values_list("key", flat=True))
        mapping = {k: v for k, v in read_json(mapping_file)["mapping"].items() if k in ours and v in theirs}
        if questionnaire.previous_id != previous.pk or questionnaire.previous_mapping != mapping:
            questionnaire.previous, questionnaire.previous_mapping = previous, mapping
            questionnaire.save(update_fields=["previous", "previous_mapping", "updated_at"])
            mappings.updated += 1
        else:
            mappings.unchanged += 1
    return [*totals.values(), mappings]
