"""Plan files: the JSON shape of ``plans/data/plans/*.json``, read (import, idempotent) and written (export).

Shape (every text is ``{language code: text}``; only ``key``, ``title`` and each part's ``number`` and
``title`` are required)::

    {
      "key": "cpb-cb-action-plan-2006", "title": {"en": "…"}, "short_title": {"en": "…"},
      "adopted_by": "BS-III/3", "annex": "", "period": [2006, 2012],
      "supersedes": "<plan key>", "superseded_by": "<plan key>",
      "complete": true | "what is still missing",
      "notes": {"en": "…"},
      "areas": [
        {"number": "a", "identifier": "<BCH GUID>", "title": {…}, "description": {…},
         "elements": [
           {"number": "1.1", "kind": "expected_result" | "outcome" | "goal" | "objective",
            "title": {…}, "description": {…},
            "activities": [{"number": "1.1.1", "title": {…}}],
            "indicators": [{"number": "1.1.a", "title": {…}, "value_type": "number" | "text", "unit": {…}}]}
         ]}
      ],
      "crosswalk": [{"from": "<area or element number>", "to_plan": "<plan key>", "to": "<number>",
                     "relation": "continues" | "partly" | "merged", "note": {…}}]
    }

The shipped files also carry ``follows`` and ``structure_known`` (notes on the plan's structure), read into
``notes``. Importing a plan whose key exists updates it: parts are matched by number; parts missing from the
file are removed unless a questionnaire asks about them (then the import is refused, nothing is changed).
"""

import json

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from capacityhub.core.multilingual import clean_value
from capacityhub.reference.loaders import LoadResult
from capacityhub.reference.models import Term

from .choices import CrosswalkRelation, ElementKind, IndicatorValueType
from .models import RESERVED_KEYS, Crosswalk, Plan, PlanActivity, PlanArea, PlanElement, PlanIndicator

CONTENT_LANGUAGES = {code for code, _name in settings.CONTENT_LANGUAGES}


class PlanFileError(ValueError):
    """A plan file that cannot be imported; ``messages`` says why, each with where."""

    def __init__(self, messages):
        super().__init__("; ".join(messages))
        self.messages = messages


# -- checking --------------------------------------------------------------------------------------------
def _text(value, where, errors, required=False):
    if value in (None, ""):
        value = {}
    if isinstance(value, str):
        value = {"en": value}
    if not isinstance(value, dict):
        errors.append(_("{where}: a text is an object of texts by language code.").format(where=where))
        return {}
    unknown = sorted(set(value) - CONTENT_LANGUAGES)
    if unknown:
        errors.append(
            _("{where}: unknown language codes {codes}.").format(where=where, codes=", ".join(unknown))
        )
    cleaned = clean_value(value)
    if required and not cleaned:
        errors.append(_("{where}: the title is missing.").format(where=where))
    return cleaned


def _number(value, where, errors, seen):
    number = str(value if value is not None else "").strip()
    if not number or len(number) > 20:
        errors.append(_("{where}: a number of 1 to 20 characters is required.").format(where=where))
    elif number in seen:
        errors.append(_("{where}: the number {number} is used twice.").format(where=where, number=number))
    seen.add(number)
    return number


def check_plan_data(data):
    """The plan file ``data`` checked and normalized, or :class:`PlanFileError` listing every problem."""
    errors = []
    if not isinstance(data, dict):
        raise PlanFileError([_("A plan file is a JSON object.")])
    key = str(data.get("key", "")).strip()
    if not key or len(key) > 80 or not key.replace("-", "").replace("_", "").isalnum():
        errors.append(_("key: letters, digits and hyphens, at most 80 characters, are required."))
    elif key in RESERVED_KEYS:
        errors.append(_("key: {key} is reserved; choose another one.").format(key=key))
    plan = {
        "key": key,
        "title": _text(data.get("title"), "title", errors, required=True),
        "short_title": _text(data.get("short_title"), "short_title", errors),
        "adopted_by": str(data.get("adopted_by", "") or "")[:40],
        "annex": str(data.get("annex", "") or "")[:20],
        "supersedes": str(data.get("supersedes", "") or ""),
        "superseded_by": str(data.get("superseded_by", "") or ""),
        "areas": [],
        "crosswalk": [],
    }
    period = data.get("period") or [None, None]
    if not (
        isinstance(period, list) and len(period) == 2 and all(p is None or isinstance(p, int) for p in period)
    ):
        errors.append(_("period: two years, such as [2012, 2020]."))
        period = [None, None]
    if period[0] and period[1] and period[1] < period[0]:
        errors.append(_("period: the last year is before the first year."))
    plan["period"] = period
    complete = data.get("complete", False)
    plan["is_complete"] = complete is True
    plan["completeness"] = "" if complete is True else str(complete or "")
    notes = data.get("notes")
    if notes is None:
        notes = " ".join(str(data[k]) for k in ("structure_known", "follows") if data.get(k))
    plan["notes"] = _text(notes, "notes", errors)
    area_numbers, element_numbers = set(), set()
    areas = data.get("areas", [])
    if not isinstance(areas, list):
        errors.append(_("areas: a list is required."))
        areas = []
    for i, area in enumerate(areas, start=1):
        where = _("area {index}").format(index=i)
        if not isinstance(area, dict):
            errors.append(_("{where}: an object is required.").format(where=where))
            continue
        number = _number(area.get("number"), where, errors, area_numbers)
        where = _("area {number}").format(number=number or i)
        row = {
            "number": number,
            "identifier": str(area.get("identifier", "") or "")[:64],
            "title": _text(area.get("title"), where, errors, required=True),
            "description": _text(area.get("description"), where, errors),
            "elements": [],
        }
        for j, element in enumerate(area.get("elements", []) or [], start=1):
            ewhere = _("element {index} of area {number}").format(index=j, number=number)
            if not isinstance(element, dict):
                errors.append(_("{where}: an object is required.").format(where=ewhere))
                continue
            enumber = _number(element.get("number"), ewhere, errors, element_numbers)
            ewhere = _("element {number}").format(number=enumber or j)
            kind = element.get("kind", ElementKind.EXPECTED_RESULT)
            if kind not in ElementKind.values:
                errors.append(
                    _("{where}: unknown kind {kind}; use one of {kinds}.").format(
                        where=ewhere, kind=kind, kinds=", ".join(ElementKind.values)
                    )
                )
            erow = {
                "number": enumber,
                "kind": kind,
                "title": _text(element.get("title"), ewhere, errors, required=True),
                "description": _text(element.get("description"), ewhere, errors),
                "activities": [],
                "indicators": [],
            }
            seen = set()
            for k, activity in enumerate(element.get("activities", []) or [], start=1):
                awhere = _("activity {index} of element {number}").format(index=k, number=enumber)
                erow["activities"].append(
                    {
                        "number": _number(activity.get("number"), awhere, errors, seen),
                        "title": _text(activity.get("title"), awhere, errors, required=True),
                    }
                )
            seen = set()
            for k, indicator in enumerate(element.get("indicators", []) or [], start=1):
                iwhere = _("indicator {index} of element {number}").format(index=k, number=enumber)
                value_type = indicator.get("value_type", IndicatorValueType.NUMBER)
                if value_type not in IndicatorValueType.values:
                    errors.append(
                        _("{where}: unknown type of value {type}.").format(where=iwhere, type=value_type)
                    )
                erow["indicators"].append(
                    {
                        "number": _number(indicator.get("number"), iwhere, errors, seen),
                        "title": _text(indicator.get("title"), iwhere, errors, required=True),
                        "value_type": value_type,
                        "unit": _text(indicator.get("unit"), iwhere, errors),
                    }
                )
            row["elements"].append(erow)
        plan["areas"].append(row)
    for i, link in enumerate(data.get("crosswalk", []) or [], start=1):
        where = _("crosswalk link {index}").format(index=i)
        if (
            not isinstance(link, dict)
            or not link.get("from")
            or not link.get("to")
            or not link.get("to_plan")
        ):
            errors.append(_("{where}: from, to_plan and to are required.").format(where=where))
            continue
        relation = link.get("relation", CrosswalkRelation.CONTINUES)
        if relation not in CrosswalkRelation.values:
            errors.append(_("{where}: unknown relation {relation}.").format(where=where, relation=relation))
        if str(link["from"]) not in area_numbers | element_numbers:
            errors.append(
                _("{where}: {number} is not a part of this plan.").format(where=where, number=link["from"])
            )
        plan["crosswalk"].append(
            {
                "from": str(link["from"]),
                "to_plan": str(link["to_plan"]),
                "to": str(link["to"]),
                "relation": relation,
                "note": _text(link.get("note"), where, errors),
            }
        )
    if errors:
        raise PlanFileError(errors)
    return plan


# -- importing -------------------------------------------------------------------------------------------
def differs(instance, name, value):
    """Whether ``instance.name`` differs from ``value`` (relations compared by id, without a query)."""
    field = instance._meta.get_field(name)
    if field.is_relation:
        return getattr(instance, field.attname) != (value.pk if value is not None else None)
    return getattr(instance, name) != value


def _sync_fields(instance, values, result):
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
    return instance


def _remove(queryset, result, what, errors):
    for obj in queryset:
        try:
            obj.delete()
            result.removed += 1
        except ProtectedError:
            errors.append(
                _("{what} {number} is asked about by a questionnaire and cannot be removed.").format(
                    what=what, number=obj.number
                )
            )


@transaction.atomic
def import_plan(data, *, source="", is_demo=False):
    """Create or update the plan described by ``data`` (checked first). Returns ``(plan, [LoadResult])``.

    Raises :class:`PlanFileError`; then nothing is changed."""
    plan_data = check_plan_data(data)
    results = {kind: LoadResult(kind) for kind in ("plans", "plan areas", "plan elements", "plan activities")}
    results["indicators"] = LoadResult("plan indicators")
    results["crosswalk"] = LoadResult("crosswalk links")
    errors = []
    thematic = {
        t.identifier.upper(): t
        for t in Term.objects.filter(vocabulary__code="thematic-areas").exclude(identifier="")
    }
    plan = Plan.objects.filter(key=plan_data["key"]).first() or Plan(key=plan_data["key"])
    plan = _sync_fields(
        plan,
        {
            "title": plan_data["title"],
            "short_title": plan_data["short_title"],
            "adopted_by": plan_data["adopted_by"],
            "annex": plan_data["annex"],
            "period_start": plan_data["period"][0],
            "period_end": plan_data["period"][1],
            "notes": plan_data["notes"],
            "completeness": plan_data["completeness"],
            "is_complete": plan_data["is_complete"],
            "source": source[:255],
            "is_demo": is_demo,
        },
        results["plans"],
    )
    areas = {a.number: a for a in plan.areas.all()}
    elements = {e.number: e for e in plan.elements.all()}
    for position, row in enumerate(plan_data["areas"], start=1):
        area = areas.get(row["number"]) or PlanArea(plan=plan, number=row["number"])
        area = _sync_fields(
            area,
            {
                "title": row["title"],
                "description": row["description"],
                "identifier": row["identifier"],
                "thematic_area": thematic.get(row["identifier"].upper())
                if row["identifier"]
                else area.thematic_area,
                "position": position,
            },
            results["plan areas"],
        )
        areas[row["number"]] = area
        for eposition, erow in enumerate(row["elements"], start=1):
            element = elements.get(erow["number"]) or PlanElement(plan=plan, number=erow["number"])
            element = _sync_fields(
                element,
                {
                    "area": area,
                    "kind": erow["kind"],
                    "title": erow["title"],
                    "description": erow["description"],
                    "position": eposition,
                },
                results["plan elements"],
            )
            elements[erow["number"]] = element
            _sync_children(
                element.activities,
                PlanActivity,
                element,
                erow["activities"],
                results["plan activities"],
                errors,
            )
            _sync_children(
                element.indicators, PlanIndicator, element, erow["indicators"], results["indicators"], errors
            )
    wanted_elements = {e["number"] for a in plan_data["areas"] for e in a["elements"]}
    wanted_areas = {a["number"] for a in plan_data["areas"]}
    _remove(plan.elements.exclude(number__in=wanted_elements), results["plan elements"], _("Element"), errors)
    _remove(plan.areas.exclude(number__in=wanted_areas), results["plan areas"], _("Area"), errors)
    _link_plans(plan, plan_data)
    _sync_crosswalk(plan, plan_data["crosswalk"], areas, elements, results["crosswalk"], errors)
    if errors:
        raise PlanFileError(errors)  # inside the transaction: nothing is changed
    return plan, list(results.values())


def _sync_children(manager, model, element, rows, result, errors):
    existing = {child.number: child for child in manager.all()}
    for position, row in enumerate(rows, start=1):
        child = existing.get(row["number"]) or model(element=element, number=row["number"])
        values = {"title": row["title"], "position": position}
        if model is PlanIndicator:
            values.update(value_type=row["value_type"], unit=row["unit"])
        _sync_fields(child, values, result)
    _remove(
        manager.exclude(number__in=[row["number"] for row in rows]), result, model._meta.verbose_name, errors
    )


def _link_plans(plan, plan_data):
    if plan_data["supersedes"]:
        previous = Plan.objects.filter(key=plan_data["supersedes"]).first()
        if previous and plan.supersedes_id != previous.pk:
            plan.supersedes = previous
            plan.save(update_fields=["supersedes"])
    if plan_data["superseded_by"]:  # the successor may have been loaded first
        Plan.objects.filter(key=plan_data["superseded_by"], supersedes__isnull=True).update(supersedes=plan)


def _unit(plan_areas, plan_elements, number):
    if number in plan_elements:
        element = plan_elements[number]
        return element.area, element
    if number in plan_areas:
        return plan_areas[number], None
    return None, None


def save_crosswalk_link(row, source, target, link, result):
    """Create the crosswalk link ``source`` → ``target`` (each ``(area, element or None)``), or bring the
    existing ``row`` up to date with ``link``'s relation and note; count it in ``result``. Returns the row."""
    if row is None:
        result.created += 1
        return Crosswalk.objects.create(
            source_area=source[0],
            source_element=source[1],
            target_area=target[0],
            target_element=target[1],
            relation=link["relation"],
            note=link["note"],
        )
    if row.relation != link["relation"] or row.note != link["note"]:
        row.relation, row.note = link["relation"], link["note"]
        row.save(update_fields=["relation", "note"])
        result.updated += 1
    else:
        result.unchanged += 1
    return row


def crosswalk_identity(source, target):
    """The key of a link between two ``(area, element or None)`` pairs: their four ids."""
    return (source[0].pk, getattr(source[1], "pk", None), target[0].pk, getattr(target[1], "pk", None))


def _sync_crosswalk(plan, links, areas, elements, result, errors):
    existing = {
        (c.source_area_id, c.source_element_id, c.target_area_id, c.target_element_id): c
        for c in Crosswalk.objects.filter(source_area__plan=plan)
    }
    targets = {}  # plan key -> (areas, elements) by number, read once per plan
    for target_plan in Plan.objects.filter(key__in={link["to_plan"] for link in links}):
        targets[target_plan.key] = (
            {a.number: a for a in target_plan.areas.all()},
            {e.number: e for e in target_plan.elements.select_related("area")},
        )
    keep = set()
    for link in links:
        if link["to_plan"] not in targets:
            continue  # linked when that plan is loaded: the crosswalk is imported again then
        source = _unit(areas, elements, link["from"])
        target = _unit(*targets[link["to_plan"]], link["to"])
        if target[0] is None:
            errors.append(
                _("Crosswalk: {number} is not a part of plan {key}.").format(
                    number=link["to"], key=link["to_plan"]
                )
            )
            continue
        identity = crosswalk_identity(source, target)
        existing[identity] = save_crosswalk_link(existing.get(identity), source, target, link, result)
        keep.add(identity)
    stale = [row.pk for identity, row in existing.items() if identity not in keep]
    if stale:
        result.removed += Crosswalk.objects.filter(pk__in=stale).delete()[0]


def read_plan_file(handle):
    """Parse an uploaded or opened plan file; :class:`PlanFileError` if it is not JSON."""
    try:
        raw = handle.read()
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8-sig")
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PlanFileError([_("The file is not valid JSON: {error}").format(error=error)]) from error


# -- exporting -------------------------------------------------------------------------------------------
def export_plan(plan):
    """The plan as a plan file (the shape read by :func:`import_plan`)."""
    from .selectors import plan_tree

    successor = plan.superseded_by.order_by("period_start").first()
    data = {
        "key": plan.key,
        "title": plan.title,
        "short_title": plan.short_title,
        "adopted_by": plan.adopted_by,
        "annex": plan.annex,
        "period": [plan.period_start, plan.period_end],
        "supersedes": plan.supersedes.key if plan.supersedes_id else "",
        "superseded_by": successor.key if successor else "",
        "complete": True if plan.is_complete else plan.completeness,
        "notes": plan.notes,
        "areas": [],
        "crosswalk": [],
    }
    for area in plan_tree(plan):
        row = {"number": area.number, "identifier": area.identifier, "title": area.title}
        if area.description:
            row["description"] = area.description
        row["elements"] = [
            {
                "number": element.number,
                "kind": element.kind,
                "title": element.title,
                "description": element.description,
                "activities": [{"number": a.number, "title": a.title} for a in element.activities.all()],
                "indicators": [
                    {"number": i.number, "title": i.title, "value_type": i.value_type, "unit": i.unit}
                    for i in element.indicators.all()
                ],
            }
            for element in area.elements.all()
        ]
        data["areas"].append(row)
    for link in Crosswalk.objects.filter(source_area__plan=plan).select_related(
        "source_area", "source_element", "target_area__plan", "target_element"
    ):
        data["crosswalk"].append(
            {
                "from": link.source.number,
                "to_plan": link.target_area.plan.key,
                "to": link.target.number,
                "relation": link.relation,
                "note": link.note,
            }
        )
    return data
