"""Loaders of the reference data shipped in ``data/``: countries, regions and groups, vocabularies and terms.

Every loader is idempotent. Rows are matched by their code (ISO alpha-2 for countries, ``code`` for regions
and vocabularies, vocabulary and ``code`` for terms), created when missing and updated when a field the data
file gives differs; running a loader again changes nothing. No row is ever deleted: records may point to a
country or a term, and the Secretariat may add terms of its own; only a region's country memberships follow
the data file exactly. A term's ``active`` flag is left to the Secretariat. Each loader runs inside one
transaction and returns one :class:`LoadResult` per kind of row.

The data files and their sources are described in ``data/README.md``.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .choices import RegionKind, Vocabularies
from .models import Country, Region, Term, Vocabulary

DATA_DIR = Path(__file__).resolve().parent / "data"
#: Region files, loaded in this order (a region's parent must be in the same file or an earlier one).
REGION_FILES = ("regions-un-m49.json", "regions-cbd-groups.json", "regions-special-groups.json")
VOCABULARY_DIR = DATA_DIR / "vocabularies"


class ReferenceDataError(ValueError):
    """A data file is inconsistent: an unknown country code, kind, vocabulary or parent region."""


@dataclass
class LoadResult:
    """What a loader did to one kind of row."""

    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def changed(self):
        return bool(self.created or self.updated or self.removed)

    def __str__(self):
        text = f"{self.kind}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        return text + (f", {self.removed} removed" if self.removed else "")


def read_data(name):
    """The parsed content of the JSON file ``name`` (a path relative to ``data/``, or an absolute one)."""
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


def _sync(model, rows, *, existing, result, key="code"):
    """Create or update ``model`` rows from ``rows`` (dicts of field values), matched on ``row[key]``.

    ``existing`` maps the key to the rows already in the database; only the fields given in a row are
    compared and written. Returns ``{key: instance}`` for every row, saved, and the keys of the rows created
    or updated.
    """
    instances, new, changed, changed_fields = {}, [], [], set()
    for values in rows:
        instance = existing.get(values[key])
        if instance is None:
            instance = model(**values)
            new.append(instance)
            result.created += 1
        else:
            fields = [field for field, value in values.items() if getattr(instance, field) != value]
            for field in fields:
                setattr(instance, field, values[field])
            if fields:
                changed.append(instance)
                changed_fields.update(fields)
                result.updated += 1
            else:
                result.unchanged += 1
        instances[values[key]] = instance
    if new:
        model.objects.bulk_create(new)
    if changed:
        model.objects.bulk_update(changed, sorted(changed_fields))
    return instances, {getattr(instance, key) for instance in new + changed}


@transaction.atomic
def load_countries(*, path="countries.json"):
    """Countries and territories of ISO 3166-1 (from pycountry); names are localized by CLDR at display."""
    result = LoadResult("countries")
    rows = [
        {"iso2": row["iso2"], "iso3": row["iso3"], "numeric": row["numeric"], "name_en": row["name_en"]}
        for row in read_data(path)["countries"]
    ]
    _sync(Country, rows, existing={c.iso2: c for c in Country.objects.all()}, result=result, key="iso2")
    return [result]


def _region_rows(paths):
    rows, kinds = [], set(RegionKind.values)
    for path in paths:
        for position, row in enumerate(read_data(path)["regions"], start=1):
            if row["kind"] not in kinds:
                raise ReferenceDataError(
                    "{}: region {} has an unknown kind {!r}.".format(path, row["code"], row["kind"])
                )
            rows.append(dict(row, position=position))
    return rows


@transaction.atomic
def load_regions(*, paths=REGION_FILES):
    """UN geographic regions and sub-regions, CBD regional groups and special groups, with their countries.

    A region's countries are set to those of the data file (memberships missing are added, others removed).
    """
    result = LoadResult("regions")
    memberships = LoadResult("region memberships")
    rows = _region_rows(paths)
    existing = {region.code: region for region in Region.objects.all()}
    regions, written, pending = {}, set(), rows
    # Parents first: each pass loads the regions whose parent is known.
    while pending:
        ready = [row for row in pending if not row.get("parent") or row["parent"] in regions]
        if not ready:
            raise ReferenceDataError(
                "Unknown parent regions: {}.".format(sorted({r["parent"] for r in pending}))
            )
        values = [
            {
                "code": row["code"],
                "kind": row["kind"],
                "name": row["name"],
                "identifier": row.get("identifier", ""),
                "iati_code": row.get("iati_code", ""),
                "parent_id": regions[row["parent"]].pk if row.get("parent") else None,
                "position": row["position"],
            }
            for row in ready
        ]
        instances, changed = _sync(Region, values, existing=existing, result=result)
        regions.update(instances)
        written |= changed
        pending = [row for row in pending if row["code"] not in regions]

    countries = dict(Country.objects.values_list("iso2", "pk"))
    for row in rows:
        unknown = sorted(set(row["countries"]) - countries.keys())
        if unknown:
            raise ReferenceDataError(
                "Region {}: unknown country codes {}.".format(row["code"], ", ".join(unknown))
            )
    membership = Region.countries.through
    current = defaultdict(set)
    for region_id, country_id in membership.objects.filter(region__in=regions.values()).values_list(
        "region_id", "country_id"
    ):
        current[region_id].add(country_id)
    added = []
    for row in rows:
        region = regions[row["code"]]
        wanted = {countries[iso2] for iso2 in row["countries"]}
        have = current[region.pk]
        added += [membership(region_id=region.pk, country_id=pk) for pk in sorted(wanted - have)]
        if have - wanted:
            membership.objects.filter(region_id=region.pk, country_id__in=have - wanted).delete()
        memberships.created += len(wanted - have)
        memberships.removed += len(have - wanted)
        memberships.unchanged += len(wanted & have)
        if wanted != have and region.code not in written:
            # A region already there whose only change is its membership counts as updated.
            result.updated += 1
            result.unchanged -= 1
    membership.objects.bulk_create(added)
    return [result, memberships]


def _vocabulary_files():
    return sorted(VOCABULARY_DIR.glob("*.json"))


@transaction.atomic
def load_vocabularies(*, paths=None):
    """The vocabularies of ``data/vocabularies/`` and their terms, labelled in English, Spanish and French."""
    vocabularies = LoadResult("vocabularies")
    terms = LoadResult("terms")
    documents = [read_data(path) for path in (paths or _vocabulary_files())]
    unknown = sorted({doc["code"] for doc in documents} - set(Vocabularies.values))
    if unknown:
        raise ReferenceDataError("Unknown vocabularies: {}.".format(", ".join(unknown)))
    loaded, _changed = _sync(
        Vocabulary,
        [{"code": doc["code"], "name": doc["name"], "source": doc["source"]} for doc in documents],
        existing={vocabulary.code: vocabulary for vocabulary in Vocabulary.objects.all()},
        result=vocabularies,
    )
    existing = defaultdict(dict)
    for term in Term.objects.filter(vocabulary__in=loaded.values()):
        existing[term.vocabulary_id][term.code] = term
    for doc in documents:
        vocabulary = loaded[doc["code"]]
        rows = [
            {
                "code": term["code"],
                "vocabulary_id": vocabulary.pk,
                "label": term["label"],
                "description": term.get("description", {}),
                "identifier": term.get("identifier", ""),
                "iati_code": term.get("iati_code", ""),
                "position": position,
            }
            for position, term in enumerate(doc["terms"], start=1)
        ]
        _sync(Term, rows, existing=existing[vocabulary.pk], result=terms)
    return [vocabularies, terms]
