"""From an IATI :class:`~capacityhub.interop.iati.activity.Activity` to the values of an initiative: the
mapping of every IATI element the platform keeps (see ``docs/interop.md``)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from capacityhub.reference.choices import Vocabularies
from capacityhub.reference.models import Contact
from capacityhub.registry.choices import GeographicScope
from capacityhub.registry.models import Initiative

from ..references import ROLE_FROM_IATI, SCOPE_FROM_IATI, content_languages, import_status
from .activity import decimal
from .mapping import VOCABULARY_URI
from .rules import warning

CENT = Decimal("0.01")
MAX_BUDGET = Decimal("1e14")
PROJECT_NUMBER_MAX = Initiative._meta.get_field("project_number").max_length
PHONE_MAX = Contact._meta.get_field("phone").max_length
TAG_VOCABULARIES = {
    VOCABULARY_URI.format(code): code
    for code in (
        Vocabularies.ACTIVITY_CATEGORIES,
        Vocabularies.TARGET_GROUPS,
        Vocabularies.FUNDING_SOURCE_TYPES,
    )
}
TAG_FIELDS = {
    Vocabularies.ACTIVITY_CATEGORIES: "categories",
    Vocabularies.TARGET_GROUPS: "target_groups",
    Vocabularies.FUNDING_SOURCE_TYPES: "funding_source_types",
}


@dataclass
class ContactData:
    key: tuple
    name: dict
    position: dict
    email: str
    phone: str
    organization_id: int | None
    original_language: str


@dataclass
class InitiativeData:
    """Everything the writer needs to create or update one initiative."""

    identifier: str
    label: str
    line: int | None
    publisher_id: int
    status: str
    fields: dict
    countries: list
    regions: list
    participations: list
    thematic_areas: list
    extra_m2m: dict  # categories, target groups, funding source types: only when the file carries them
    contacts: list
    parent: str = ""
    record_id: int | None = None
    warnings: list = field(default_factory=list)


def multilingual(items, default, keep, join=False):
    """``{lang: text}`` from ``[(lang, text)]``, in the languages kept; the first text of each language, or
    all of them joined by a blank line."""
    result = {}
    for lang, text in items:
        lang = lang or default
        if not text or lang not in keep:
            continue
        if lang not in result:
            result[lang] = text
        elif join:
            result[lang] += "\n\n" + text
    return result


def parse_date(value):
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def percentage(value):
    number = decimal(value) if value is not None else None
    return number.quantize(CENT) if number is not None else None


def add_share(shares, key, pct):
    """Add a country or region share, merging one listed twice (percentages added up)."""
    if key in shares:
        before = shares[key]
        shares[key] = before + pct if before is not None and pct is not None else (before or pct)
    else:
        shares[key] = pct


class Converter:
    def __init__(self, *, references, actor, comment):
        self.refs = references
        self.actor = actor
        self.comment = comment
        self.languages = content_languages()

    def _organization(self, ref, names, org_type, default, status):
        names = multilingual(names, default, self.languages)
        if not ref and not names:
            return None
        type_id = self.refs.term_by_iati(Vocabularies.ORGANIZATION_TYPES, org_type) if org_type else None
        return self.refs.organizations.find_or_create(
            defer=True,
            ref=ref,
            names=names,
            original_language=default if default in self.languages else "en",
            org_type=type_id,
            status=status,
            actor=self.actor,
            comment=self.comment,
        )

    def convert(self, activity, match):
        refs = self.refs
        default = activity.default_language
        keep = self.languages
        notes = []
        title = multilingual(activity.title, default, keep)
        original = default if default in title else next(iter(title))
        publisher_names = multilingual(activity.reporting_names, default, keep)
        publisher_pk = refs.organizations.find(activity.reporting_ref, list(publisher_names.values()))
        status = import_status(self.actor, publisher_pk)
        if publisher_pk is None:
            publisher_pk = self._organization(
                activity.reporting_ref, activity.reporting_names, activity.reporting_type, default, status
            )
        descriptions = [item for kind, items in activity.descriptions if kind != "2" for item in items]
        objectives = [item for kind, items in activity.descriptions if kind == "2" for item in items]
        dates = {}
        for _where, kind, value in activity.dates:
            dates.setdefault(kind, parse_date(value))
        extension = activity.extension
        fields = {
            "iati_identifier": activity.identifier,
            "title": title,
            "original_language": original,
            "description": multilingual(descriptions, default, keep, join=True),
            "objectives": multilingual(objectives, default, keep, join=True),
            "project_number": self._project_number(activity, notes),
            "activity_status_id": refs.term_by_iati(Vocabularies.ACTIVITY_STATUS, activity.status),
            "planned_start": dates.get("1"),
            "actual_start": dates.get("2"),
            "planned_end": dates.get("3"),
            "actual_end": dates.get("4"),
            "links": self._links(activity, original, keep),
            "publisher_id": publisher_pk,
        }
        fields.update(self._budget(activity, notes))
        countries, regions = self._geography(activity, notes)
        fields["geographic_scope"] = self._scope(activity, countries, regions)
        if extension.get("present"):
            fields["outcomes"] = multilingual(extension.get("outcomes", []), default, keep)
            fields["lessons_learned"] = multilingual(extension.get("lessons-learned", []), default, keep)
            co_financing = decimal(extension.get("co-financing", ""))
            fields["co_financing"] = co_financing.quantize(CENT) if co_financing is not None else None
        thematic = [refs.term(Vocabularies.THEMATIC_AREAS, code) for code in sorted(match.areas)]
        extra = {}
        if extension.get("present"):
            extra = {name: [] for name in TAG_FIELDS.values()}
            for _where, code, _vocabulary, uri, _narratives in activity.tags:
                vocabulary = TAG_VOCABULARIES.get(uri.rstrip("/"))
                pk = refs.term(vocabulary, code) if vocabulary else None
                if pk and pk not in extra[TAG_FIELDS[vocabulary]]:
                    extra[TAG_FIELDS[vocabulary]].append(pk)
        record = extension.get("record", {}).get("id", "")
        return InitiativeData(
            identifier=activity.identifier,
            label=activity.label,
            line=activity.line,
            publisher_id=publisher_pk,
            status=status,
            fields=fields,
            countries=sorted(countries.items(), key=lambda item: item[0]),
            regions=sorted(regions.items(), key=lambda item: item[0]),
            participations=self._participations(activity, default, status, notes),
            thematic_areas=sorted({pk for pk in thematic if pk}),
            extra_m2m=extra,
            contacts=self._contacts(activity, default, original),
            parent=next((ref for kind, ref in activity.related if kind == "1" and ref), ""),
            record_id=int(record) if record.isdigit() else None,
            warnings=notes,
        )

    def _project_number(self, activity, notes):
        for ref, kind in activity.other_identifiers:
            if kind == "A1" and ref:
                if len(ref) <= PROJECT_NUMBER_MAX:
                    return ref
                notes.append(
                    warning(
                        "IATI-VALUE-RANGE",
                        _("The other-identifier {ref} is too long to be kept as the project number.").format(
                            ref=ref
                        ),
                        activity,
                        "other-identifier",
                    )
                )
        return ""

    def _links(self, activity, original, keep):
        links, seen = [], set()
        for _where, url, title, _categories, _languages in activity.documents:
            if not url or url in seen:
                continue
            seen.add(url)
            names = multilingual(title, activity.default_language, keep)
            name = names.get(original) or next(iter(names.values()), "")
            links.append({"url": url, "name": "" if name == url else name})
        return links

    def _budget(self, activity, notes):
        """Budgets (a revised budget replaces the original one of the same period), else commitments, else
        disbursements and expenditure, summed in the activity's currency."""
        periods = {}
        for where, kind, start, end, value, currency in activity.budgets:
            periods.setdefault((start, end), {}).setdefault(kind, []).append((where, value, currency))
        amounts = []
        for kinds in periods.values():
            amounts += (
                kinds.get("2") or kinds.get("1") or [item for items in kinds.values() for item in items]
            )
        if not amounts:
            for wanted in (("2",), ("11",), ("3", "4")):
                amounts = [(w, v, c) for w, kind, v, c in activity.transactions if kind in wanted]
                if amounts:
                    break
        base = (activity.default_currency or next((c for _w, _v, c in amounts if c), "") or "USD").upper()
        total = None
        for where, value, currency in amounts:
            number = decimal(value)
            if number is None:
                continue
            if currency and currency.upper() != base:
                notes.append(
                    warning(
                        "IATI-CUR-MIXED",
                        _(
                            "This amount is in {currency}, not in the activity's currency {base}: it is left "
                            "out of the budget."
                        ).format(currency=currency, base=base),
                        activity,
                        where + "/value",
                    )
                )
                continue
            total = number if total is None else total + number
        if total is not None and (total < 0 or total >= MAX_BUDGET):
            notes.append(
                warning(
                    "IATI-VALUE-NEGATIVE" if total < 0 else "IATI-VALUE-RANGE",
                    _("The budget adds up to {total}, which cannot be kept.").format(total=total),
                    activity,
                    "budget",
                )
            )
            total = None
        return {"budget": total.quantize(CENT) if total is not None else None, "currency": base}

    def _geography(self, activity, notes):
        refs = self.refs
        countries, regions = {}, {}
        for where, code, pct, stored in activity.countries:
            pk = refs.countries.get(code.upper())
            if pk is None:
                notes.append(
                    warning(
                        "IATI-MAP-COUNTRY",
                        _("The country {code} is not in the platform's list; it is left out.").format(
                            code=code
                        ),
                        activity,
                        where,
                    )
                )
                continue
            add_share(countries, pk, percentage(stored if stored is not None else pct))
        for where, code, vocabulary, uri, pct, stored in activity.regions:
            pk = None
            if vocabulary == "1":
                pk = refs.regions_by_iati.get(code)
            elif vocabulary == "2":
                pk = refs.region_m49(code)
            elif vocabulary == "99" and uri.rstrip("/") == VOCABULARY_URI.format("regions"):
                pk = refs.regions_by_code.get(code)
            if pk is None:
                notes.append(
                    warning(
                        "IATI-MAP-REGION",
                        _(
                            "The region {code} (vocabulary {vocabulary}) has no equivalent in the platform; "
                            "it is left out."
                        ).format(code=code, vocabulary=vocabulary),
                        activity,
                        where,
                    )
                )
                continue
            add_share(regions, pk, percentage(stored if stored is not None else pct))
        return countries, regions

    @staticmethod
    def _scope(activity, countries, regions):
        scope = activity.extension.get("geographic-scope", "")
        if scope in GeographicScope.values:
            return scope
        if activity.scope in SCOPE_FROM_IATI:
            return SCOPE_FROM_IATI[activity.scope]
        if activity.scope:
            return GeographicScope.NATIONAL
        if not countries and not regions:
            return GeographicScope.GLOBAL
        if regions or len(countries) > 1:
            return GeographicScope.REGIONAL
        return GeographicScope.NATIONAL

    def _participations(self, activity, default, status, notes):
        refs = self.refs
        rows = []
        for participant in activity.participants:
            org = self._organization(
                participant["ref"], participant["names"], participant["type"], default, status
            )
            if org is None:
                notes.append(
                    warning(
                        "IATI-MAP-ORG",
                        _(
                            "This participating organisation has neither an identifier nor a name; it is "
                            "left out."
                        ),
                        activity,
                        participant["where"],
                    )
                )
                continue
            role = refs.term(Vocabularies.ORGANIZATION_ROLES, participant["ext_role"]) or refs.term(
                Vocabularies.ORGANIZATION_ROLES, ROLE_FROM_IATI.get(participant["role"], "")
            )
            if role and (org, role) not in rows:
                rows.append((org, role))
        return rows  # sorted by the writer, once new organizations have an id

    def _contacts(self, activity, default, original):
        keep = self.languages
        contacts = []
        for item in activity.contacts:
            name = multilingual(item["person"], default, keep)
            organisation = multilingual(item["organisation"], default, keep)
            name = name or organisation or multilingual(item["department"], default, keep)
            email = item["email"]
            try:
                validate_email(email)
            except ValidationError:
                email = ""
            if not name and email:
                name = {original: email}
            if not name:
                continue
            key = (email.casefold(), name_text(name, original).casefold())
            contacts.append(
                ContactData(
                    key=key,
                    name=name,
                    position=multilingual(item["job_title"], default, keep),
                    email=email,
                    phone=item["telephone"][:PHONE_MAX],
                    organization_id=self.refs.organizations.find("", list(organisation.values())),
                    original_language=original if original in name else next(iter(name)),
                )
            )
        return contacts


def name_text(value, language):
    return value.get(language) or next(iter(value.values()), "")
