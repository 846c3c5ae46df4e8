"""The crosswalk between plan versions: which areas and elements of one plan continue in another (2006 →
2012–2020 → 2021–2030), for the pages, the API and files.

A **crosswalk file** has the shape of a plan file reduced to its key and its ``crosswalk`` (no ``areas``)::

    {"key": "<plan key>", "crosswalk": [{"from": "<area or element number of this plan>",
                                         "to_plan": "<plan key>", "to": "<number in that plan>",
                                         "relation": "continues" | "partly" | "merged", "note": {…}}]}

Importing it replaces the links of the plan ``key`` to every plan named by ``to_plan`` in the file (the
links to other plans are kept); every problem is listed with its place (``crosswalk[2].to``) and then
nothing is changed. A plan file with a ``crosswalk`` replaces all the links of its plan. Only the data says
which parts continue: nothing is inferred.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from capacityhub.reference.loaders import LoadResult

from .choices import CrosswalkRelation
from .models import Crosswalk, Plan
from .planfiles import PlanFileError, _text, crosswalk_identity, save_crosswalk_link


def links_between(plan, other):
    """The crosswalk links between ``plan`` and ``other``, in both directions (one query)."""
    return list(
        Crosswalk.objects.filter(
            Q(source_area__plan=plan, target_area__plan=other)
            | Q(source_area__plan=other, target_area__plan=plan)
        ).select_related("source_area__plan", "source_element", "target_area__plan", "target_element")
    )


def related_plans(plan):
    """The other versions ``plan`` has a crosswalk with, or that it supersedes or is superseded by."""
    keys = set(
        Crosswalk.objects.filter(source_area__plan=plan).values_list("target_area__plan", flat=True)
    ) | set(Crosswalk.objects.filter(target_area__plan=plan).values_list("source_area__plan", flat=True))
    condition = Q(pk__in=keys) | Q(superseded_by=plan)
    if plan.supersedes_id:
        condition |= Q(pk=plan.supersedes_id)
    return list(Plan.objects.filter(condition).exclude(pk=plan.pk).distinct().order_by("period_start", "key"))


@dataclass
class Row:
    """One area or element of the first plan, with its counterparts in the second."""

    node: object
    is_area: bool
    links: list = field(default_factory=list)  # [(relation label, counterpart, note, direction)]


def crosswalk_table(plan, other, tree):
    """Rows for ``plan``'s areas and elements (``tree``) with their counterparts in ``other``, and the links
    of ``other`` whose source or target is not in the tree (none, as a rule)."""
    by_node = {}
    for link in links_between(plan, other):
        if link.source_area.plan_id == plan.pk:
            key = ("e", link.source_element_id) if link.source_element_id else ("a", link.source_area_id)
            by_node.setdefault(key, []).append(
                (link.get_relation_display(), link.target, link.note, "out", link)
            )
        else:
            key = ("e", link.target_element_id) if link.target_element_id else ("a", link.target_area_id)
            by_node.setdefault(key, []).append(
                (link.get_relation_display(), link.source, link.note, "in", link)
            )
    rows = []
    for area in tree:
        rows.append(Row(area, True, by_node.get(("a", area.pk), [])))
        for element in area.elements.all():
            rows.append(Row(element, False, by_node.get(("e", element.pk), [])))
    return rows


# -- files -----------------------------------------------------------------------------------------------
def is_crosswalk_file(data):
    return isinstance(data, dict) and "crosswalk" in data and "areas" not in data


def _parts(plan):
    areas = {a.number: a for a in plan.areas.all()}
    elements = {e.number: e for e in plan.elements.select_related("area")}
    return areas, elements


def check_crosswalk_data(data):
    """The crosswalk file ``data`` checked against the plans in the database: ``(plan, [link dict])`` or
    :class:`PlanFileError` listing every problem with its place."""
    errors = []
    if not isinstance(data, dict):
        raise PlanFileError([_("A crosswalk file is a JSON object with a key and a crosswalk.")])
    plan = Plan.objects.filter(key=str(data.get("key", ""))).first()
    if plan is None:
        errors.append(_("key: no plan has the key {key}.").format(key=data.get("key", "")))
    links = data.get("crosswalk")
    if not isinstance(links, list):
        errors.append(_("crosswalk: a list of links is required."))
        links = []
    parts = {plan.key: _parts(plan)} if plan else {}
    checked, seen = [], set()
    for index, link in enumerate(links):
        where = "crosswalk[{}]".format(index)
        if not isinstance(link, dict):
            errors.append(_("{where}: an object is required.").format(where=where))
            continue
        missing = [name for name in ("from", "to_plan", "to") if not str(link.get(name, "") or "").strip()]
        if missing:
            errors.append(_("{where}: {fields} required.").format(where=where, fields=", ".join(missing)))
            continue
        relation = link.get("relation", CrosswalkRelation.CONTINUES)
        if relation not in CrosswalkRelation.values:
            errors.append(
                _("{where}.relation: unknown relation {relation}; use one of {relations}.").format(
                    where=where, relation=relation, relations=", ".join(CrosswalkRelation.values)
                )
            )
        note = _text(link.get("note"), "{}.note".format(where), errors)
        source = target = None
        if plan is not None:
            areas, elements = parts[plan.key]
            number = str(link["from"])
            source = (elements[number].area, elements[number]) if number in elements else None
            if source is None and number in areas:
                source = (areas[number], None)
            if source is None:
                errors.append(
                    _("{where}.from: {number} is not a part of plan {key}.").format(
                        where="{}".format(where), number=number, key=plan.key
                    )
                )
        to_key = str(link["to_plan"])
        other = Plan.objects.filter(key=to_key).first() if to_key not in parts else None
        if to_key not in parts:
            if other is None:
                errors.append(
                    _("{where}.to_plan: no plan has the key {key}.").format(where=where, key=to_key)
                )
                continue
            parts[to_key] = _parts(other)
        if plan is not None and to_key == plan.key:
            errors.append(
                _("{where}.to_plan: a crosswalk links two different plan versions.").format(where=where)
            )
            continue
        areas, elements = parts[to_key]
        number = str(link["to"])
        target = (elements[number].area, elements[number]) if number in elements else None
        if target is None and number in areas:
            target = (areas[number], None)
        if target is None:
            errors.append(
                _("{where}.to: {number} is not a part of plan {key}.").format(
                    where=where, number=number, key=to_key
                )
            )
            continue
        if source is None:
            continue
        identity = crosswalk_identity(source, target)
        if identity in seen:
            errors.append(_("{where}: this link is listed twice.").format(where=where))
            continue
        seen.add(identity)
        checked.append(
            {"source": source, "target": target, "to_plan": to_key, "relation": relation, "note": note}
        )
    if errors:
        raise PlanFileError(errors)
    return plan, checked


@transaction.atomic
def import_crosswalk(data):
    """Replace the links of the file's plan to each plan the file names. Returns ``(plan, [LoadResult])``;
    raises :class:`PlanFileError` (nothing changed)."""
    plan, links = check_crosswalk_data(data)
    result = LoadResult("crosswalk links")
    targets = {link["to_plan"] for link in links}
    existing = {
        (c.source_area_id, c.source_element_id, c.target_area_id, c.target_element_id): c
        for c in Crosswalk.objects.filter(source_area__plan=plan, target_area__plan__key__in=targets)
    }
    keep = set()
    for link in links:
        identity = crosswalk_identity(link["source"], link["target"])
        save_crosswalk_link(existing.get(identity), link["source"], link["target"], link, result)
        keep.add(identity)
    for identity, row in existing.items():
        if identity not in keep:
            row.delete()
            result.removed += 1
    return plan, [result]


def export_crosswalk(plan, other=None):
    """The crosswalk file of ``plan`` (its links to ``other`` only, if given)."""
    links = Crosswalk.objects.filter(source_area__plan=plan).select_related(
        "source_area", "source_element", "target_area__plan", "target_element"
    )
    if other is not None:
        links = links.filter(target_area__plan=other)
    return {
        "key": plan.key,
        "crosswalk": [
            {
                "from": link.source.number,
                "to_plan": link.target_area.plan.key,
                "to": link.target.number,
                "relation": link.relation,
                "note": link.note,
            }
            for link in links
        ],
    }


def link_data(link):
    """A crosswalk link for the API."""
    return {
        "from_plan": link.source_area.plan.key,
        "from": link.source.number,
        "to_plan": link.target_area.plan.key,
        "to": link.target.number,
        "relation": link.relation,
        "relation_label": str(link.get_relation_display()),
        "note": link.note,
        "is_demo": link.source_area.plan.is_demo or link.target_area.plan.is_demo,
    }
