"""The status-of-implementation questionnaire of a plan, generated from its tree: per reporting unit (an
element, or an area without elements) a status, a summary of results, good practices, lessons learned and the
values of its indicators; and a general section. See ``docs/plans.md``."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from capacityhub.reference.models import Term

from . import engine
from .choices import ImplementationStatus, IndicatorValueType, QuestionnaireKind, QuestionRole, QuestionType
from .definitions import default_buckets, export_definition, load_definition, ml_gettext, structure
from .models import Questionnaire

STATUS_TITLE = gettext_lazy("Status of implementation: {plan}")
STATUS_DESCRIPTION = gettext_lazy(
    "For each part of the plan: the status of implementation, a summary of the results of the activities "
    "undertaken, good practices and lessons learned, and the values of its indicators."
)


def _format_ml(template, **values):
    """``template`` (a lazy translatable message with named fields) formatted in each interface language;
    multilingual ``values`` are resolved in the same language."""
    from capacityhub.core.multilingual import resolve

    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolved = {k: resolve(v, code)[0] if isinstance(v, dict) else v for k, v in values.items()}
            texts[code] = str(template).format(**resolved)
    return {code: text for code, text in texts.items() if code == "en" or text != texts["en"]}


def status_definition(plan):
    """The definition of ``plan``'s status-of-implementation questionnaire: per reporting unit (an element, or
    an area without elements) a status, a summary of results, good practices, lessons learned and the values
    of its indicators; and a general section."""
    from .selectors import plan_tree, reporting_units

    tree = plan_tree(plan)
    units = reporting_units(plan, tree)
    status_options = [
        {"value": value, "title": ml_gettext(label)} for value, label in ImplementationStatus.choices
    ]
    sections = []
    for area in tree:
        area_units = [u for u in units if u.area.pk == area.pk]
        items = []
        for unit in area_units:
            prefix = unit.slug
            plan_ref = {"plan_area": area.number}
            if unit.element:
                plan_ref["plan_element"] = unit.element.number
            status_key = "{}-status".format(prefix)
            questions = [
                {
                    "key": status_key,
                    "type": QuestionType.SINGLE,
                    "title": ml_gettext(gettext_lazy("Status of implementation")),
                    "mandatory": True,
                    "options": status_options,
                    "role": QuestionRole.STATUS,
                    **plan_ref,
                },
                {
                    "key": "{}-results".format(prefix),
                    "type": QuestionType.RICHTEXT,
                    "title": ml_gettext(gettext_lazy("Summary of results of the activities undertaken")),
                    "enabled_when": [
                        {
                            "question": status_key,
                            "op": engine.ANY_OF,
                            "values": [ImplementationStatus.IN_PROGRESS, ImplementationStatus.ACHIEVED],
                        }
                    ],
                    "role": QuestionRole.RESULTS,
                    **plan_ref,
                },
                {
                    "key": "{}-good-practices".format(prefix),
                    "type": QuestionType.TEXT,
                    "title": ml_gettext(gettext_lazy("Good practices")),
                    "role": QuestionRole.GOOD_PRACTICES,
                    **plan_ref,
                },
                {
                    "key": "{}-lessons".format(prefix),
                    "type": QuestionType.TEXT,
                    "title": ml_gettext(gettext_lazy("Lessons learned")),
                    "role": QuestionRole.LESSONS,
                    **plan_ref,
                },
            ]
            if unit.element:
                for indicator in unit.element.indicators.all():
                    questions.append(
                        {
                            "key": "{}-indicator-{}".format(prefix, indicator.number),
                            "number": indicator.number,
                            "type": QuestionType.NUMBER
                            if indicator.value_type == IndicatorValueType.NUMBER
                            else QuestionType.TEXT,
                            "title": _format_ml(
                                gettext_lazy("Indicator: {indicator}"), indicator=indicator.title
                            ),
                            "role": QuestionRole.INDICATOR,
                            "plan_indicator": indicator.number,
                            **plan_ref,
                        }
                    )
                items.append(
                    {
                        "key": prefix,
                        "number": unit.element.number,
                        "type": QuestionType.GROUP,
                        "title": unit.element.title,
                        **plan_ref,
                        "questions": questions,
                    }
                )
            else:
                items += questions
        sections.append(
            {
                "key": "area-{}".format(area.number),
                "title": _format_ml(gettext_lazy("({number}) {title}"), number=area.number, title=area.title),
                "questions": items,
            }
        )
    sections.append(
        {
            "key": "general",
            "title": ml_gettext(gettext_lazy("General")),
            "questions": [
                {
                    "key": "general-areas",
                    "type": QuestionType.TERMS,
                    "title": ml_gettext(
                        gettext_lazy(
                            "In which capacity-building areas were activities undertaken "
                            "in the reporting period?"
                        )
                    ),
                    "vocabulary": "thematic-areas",
                    "options": [
                        {"value": t.code, "title": t.label, "identifier": t.identifier, "term": t.code}
                        for t in Term.objects.of("thematic-areas")
                    ],
                },
                {
                    "key": "general-activities",
                    "type": QuestionType.BUCKET,
                    "title": ml_gettext(
                        gettext_lazy(
                            "How many capacity-building activities were undertaken in the reporting period?"
                        )
                    ),
                    "options": default_buckets(),
                },
                {
                    "key": "general-other",
                    "type": QuestionType.RICHTEXT,
                    "title": ml_gettext(gettext_lazy("Other information on the implementation of the plan")),
                },
            ],
        }
    )
    return {
        "key": "status-{}".format(plan.key)[:80],
        "version": 1,
        "kind": QuestionnaireKind.STATUS,
        "title": _format_ml(STATUS_TITLE, plan=plan.short_title or plan.title),
        "description": ml_gettext(STATUS_DESCRIPTION),
        "source": _("Generated from the plan {key}.").format(key=plan.key),
        "sections": sections,
    }


def generate_status_questionnaire(plan):
    """Create or refresh ``plan``'s status-of-implementation questionnaire. A version that has submissions is
    refreshed only if its questions keep their keys, types and options; otherwise a new version is made.
    Returns ``(questionnaire, [LoadResult])``."""
    data = status_definition(plan)
    latest = Questionnaire.objects.filter(key=data["key"]).order_by("-version").first()
    if latest is not None:
        data["version"] = latest.version
        in_use = latest.cycles.filter(submissions__isnull=False).exists()
        if in_use and structure(export_definition(latest)) != structure(data):
            data["version"] = latest.version + 1
    return load_definition(data, plan=plan, is_demo=plan.is_demo)
