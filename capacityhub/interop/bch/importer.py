"""Import of BCH documents: capacity-building initiatives, and the organizations and contacts they refer
to when the file carries them (``organization`` and ``contact`` documents, imported first).

Every document is checked (types, required fields, known terms and references); the first error stops the
writing but not the checking, and the caller rolls the transaction back, so a file is imported whole or not
at all. An initiative is found again by its BCH identifier; one whose data did not change is not written."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from capacityhub.core import permissions, services
from capacityhub.reference.choices import Vocabularies
from capacityhub.reference.models import Contact, Organization
from capacityhub.registry.choices import GeographicScope
from capacityhub.registry.models import Initiative, InitiativeCountry, InitiativeRegion, Participation

from ..iati.writer import State
from ..references import References, content_languages, import_status, name_key
from ..reports import Problem
from .common import (
    GEOGRAPHIC_SCOPE,
    SCHEMA_CONTACT,
    SCHEMA_INITIATIVE,
    SCHEMA_ORGANIZATION,
    Identifiers,
    Terms,
    plain,
)
from .exporter import ENDED, ROLE_FIELDS, TERM_FIELDS

CENT = Decimal("0.01")
URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


class Invalid(Exception):
    """A field of a document is wrong (already reported)."""


class Document:
    """One BCH document being read: typed accessors that report problems with the field's path."""

    def __init__(self, importer, data, index):
        self.importer = importer
        self.data = data
        self.index = index
        header = data.get("header") if isinstance(data.get("header"), dict) else {}
        self.identifier = plain(header.get("identifier"))
        self.schema = header.get("schema")
        self.label = self.identifier or "#{}".format(index)
        self.failed = False

    def error(self, rule, message, field=""):
        self.failed = True
        self.importer.report.add(Problem(rule, message, activity=self.label, element=field))

    def _type(self, field, expected):
        self.error("BCH-TYPE", _("{field} must be {expected}.").format(field=field, expected=expected), field)
        raise Invalid

    def lstring(self, field, required=False):
        value = self.data.get(field)
        if value in (None, ""):
            if required:
                self.error("BCH-REQUIRED", _("{field} is required.").format(field=field), field)
            return {}
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            self._type(field, _("an object of texts by language (lstring)"))
        keep = content_languages()
        result = {k.lower(): v.strip() for k, v in value.items() if k.lower() in keep and v.strip()}
        if required and not result:
            self.error(
                "BCH-LANG",
                _("{field} has no text in a language of the platform (en, es, fr, ar, zh, ru).").format(
                    field=field
                ),
                field,
            )
        return result

    def text(self, field):
        value = self.data.get(field)
        if value in (None, ""):
            return ""
        if not isinstance(value, str):
            self._type(field, _("a text"))
        return value.strip()

    def strings(self, field):
        value = self.data.get(field) or []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self._type(field, _("a list of texts"))
        return [item.strip() for item in value if item.strip()]

    def _term(self, value, field):
        if (
            not isinstance(value, dict)
            or not isinstance(value.get("identifier"), str)
            or not value["identifier"]
        ):
            self._type(field, _("a term: an object with an identifier"))
        custom = value.get("customValue")
        if custom is not None and not isinstance(custom, dict):
            self._type(field + ".customValue", _("an object of texts by language (lstring)"))
        return value

    def term(self, field, required=False):
        value = self.data.get(field)
        if value is None:
            if required:
                self.error("BCH-REQUIRED", _("{field} is required.").format(field=field), field)
            return None
        return self._term(value, field)

    def terms(self, field):
        value = self.data.get(field) or []
        if not isinstance(value, list):
            self._type(field, _("a list of terms"))
        return [self._term(item, "{}[{}]".format(field, position)) for position, item in enumerate(value)]

    def references(self, field):
        value = self.data.get(field) or []
        if not isinstance(value, list):
            self._type(field, _("a list of references"))
        result = []
        for position, item in enumerate(value):
            if (
                not isinstance(item, dict)
                or not isinstance(item.get("identifier"), str)
                or not item["identifier"]
            ):
                self._type("{}[{}]".format(field, position), _("a reference: an object with an identifier"))
            result.append(plain(item["identifier"]))
        return result

    def links(self, field):
        value = self.data.get(field) or []
        if not isinstance(value, list):
            self._type(field, _("a list of links"))
        links = []
        for position, item in enumerate(value):
            where = "{}[{}]".format(field, position)
            if not isinstance(item, dict) or not isinstance(item.get("url"), str):
                self._type(where, _("a link: an object with a url"))
            if not URL.match(item["url"].strip()):
                self.error(
                    "BCH-URL", _("{url} is not a web address.").format(url=item["url"]), where + ".url"
                )
                continue
            name = item.get("name") if isinstance(item.get("name"), str) else ""
            links.append({"url": item["url"].strip(), "name": name.strip()})
        return links

    def date(self, field):
        value = self.data.get(field)
        if value in (None, ""):
            return None
        try:
            return datetime.date.fromisoformat(str(value)[:10])
        except ValueError:
            self.error("BCH-DATE", _("{value} is not a date (YYYY-MM-DD).").format(value=value), field)
            return None


class BchImport:
    def __init__(self, *, report, actor=None):
        self.report = report
        self.actor = actor
        self.comment = _("BCH import of {file}").format(file=report.file)

    def run(self, data):
        report = self.report
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            report.error("BCH-JSON", _("A BCH file is a JSON array of documents (objects)."))
            return
        self.refs = References()
        self.terms = Terms()
        self.ids = {
            SCHEMA_INITIATIVE: Identifiers(Initiative, "initiative"),
            SCHEMA_ORGANIZATION: Identifiers(Organization, "organization"),
            SCHEMA_CONTACT: Identifiers(Contact, "contact"),
        }
        self.in_file = {schema: {} for schema in self.ids}  # identifier -> record id (or None if not written)
        documents, seen = [], set()
        for index, item in enumerate(data, start=1):
            document = Document(self, item, index)
            if not document.identifier:
                document.error("BCH-ID", _("The document has no header.identifier."), "header.identifier")
            elif document.identifier in seen:
                document.error(
                    "BCH-ID",
                    _("The identifier {identifier} is used twice in the file.").format(
                        identifier=document.identifier
                    ),
                    "header.identifier",
                )
            seen.add(document.identifier)
            if document.schema not in self.ids:
                document.error(
                    "BCH-SCHEMA",
                    _(
                        "Unsupported schema {schema}: expected capacityBuildingInitiative, "
                        "organization or contact."
                    ).format(schema=document.schema),
                    "header.schema",
                )
            documents.append(document)
        report.activities = len(documents)
        parents = {
            plain(reference.get("identifier"))
            for document in documents
            if document.schema == SCHEMA_INITIATIVE and isinstance(document.data.get("broaderProjects"), list)
            for reference in document.data["broaderProjects"]
            if isinstance(reference, dict)
        }
        # Programmes before their components, so that references within the file resolve.
        documents.sort(key=lambda document: document.identifier not in parents)
        for schema, handle in (
            (SCHEMA_ORGANIZATION, self._organization),
            (SCHEMA_CONTACT, self._contact),
            (SCHEMA_INITIATIVE, self._initiative),
        ):
            for document in documents:
                if document.schema == schema and not document.failed:
                    try:
                        handle(document)
                    except Invalid:
                        pass
        report.in_scope = sum(1 for document in documents if document.schema == SCHEMA_INITIATIVE)
        report.organizations_created = self.refs.organizations.created

    def _save(self, document, record, **kwargs):
        try:
            services.record_save(record=record, actor=self.actor, comment=self.comment, **kwargs)
        except PermissionDenied:
            document.error("BCH-PERM", _("You may not edit the record {title}.").format(title=record))
            raise Invalid from None
        except ValidationError as error:
            document.error("BCH-INVALID", " ".join(str(message) for message in error.messages))
            raise Invalid from None

    def _reference(self, document, schema, identifier, field):
        if identifier in self.in_file[schema]:
            return self.in_file[schema][identifier]
        pk = self.ids[schema].find(identifier)
        if pk is None:
            document.error(
                "BCH-REF",
                _("{identifier} refers to no {schema} of the file or of the platform.").format(
                    identifier=identifier, schema=schema
                ),
                field,
            )
        return pk

    # -- organizations and contacts --------------------------------------------------------------------
    def _organization(self, document):
        name = document.lstring("name", required=True)
        acronym = next(iter(document.lstring("acronym").values()), "")[:40]
        country = document.term("country")
        websites = document.links("websites")
        emails = document.strings("emails")
        country_id = self._country(document, country, "country") if country else None
        type_term = document.term("organizationType")
        type_code = self.terms.code(Vocabularies.ORGANIZATION_TYPES, type_term) if type_term else None
        if document.failed or not self.report.valid:
            return
        pk = self.ids[SCHEMA_ORGANIZATION].find(document.identifier) or self.refs.organizations.find(
            "", list(name.values())
        )
        if pk is None:
            organization = Organization(
                name=name,
                acronym=acronym,
                country_id=country_id,
                website=websites[0]["url"] if websites else "",
                email=emails[0] if emails else "",
                status=import_status(self.actor, None),
                org_type_id=self.refs.term(Vocabularies.ORGANIZATION_TYPES, type_code) if type_code else None,
                original_language=next(iter(name)),
            )
            self._save(document, organization)
            pk = organization.pk
            self.refs.organizations.created += 1
            for text in name.values():
                self.refs.organizations.by_name.setdefault(name_key(text), pk)
        self.ids[SCHEMA_ORGANIZATION].remember(pk, document.identifier)
        self.in_file[SCHEMA_ORGANIZATION][document.identifier] = pk

    def _contact(self, document):
        parts = [document.text(field) for field in ("firstName", "middleName", "lastName")]
        full = " ".join(part for part in parts if part)
        if not full:
            document.error("BCH-REQUIRED", _("A contact needs a first or last name."), "lastName")
            return
        position = document.lstring("designation")
        emails, phones = document.strings("emails"), document.strings("phones")
        country = document.term("country")
        country_id = self._country(document, country, "country") if country else None
        organization_ref = document.data.get("contactOrganization")
        organization_id = None
        if isinstance(organization_ref, dict) and organization_ref.get("identifier"):
            organization_id = self._reference(
                document, SCHEMA_ORGANIZATION, plain(organization_ref["identifier"]), "contactOrganization"
            )
        elif document.lstring("organization"):
            organization_id = self.refs.organizations.find(
                "", list(document.lstring("organization").values())
            )
        if document.failed or not self.report.valid:
            return
        language = (document.data.get("header", {}).get("languages") or ["en"])[0]
        language = language if language in content_languages() else "en"
        pk = self.ids[SCHEMA_CONTACT].find(document.identifier)
        if pk is None:
            email = emails[0] if emails else ""
            pk = next(
                (
                    c.pk
                    for c in Contact.objects.filter(email=email)
                    if email and name_key(c.text("name", c.original_language)) == name_key(full)
                ),
                None,
            )
        if pk is None:
            contact = Contact(
                name={language: full},
                position=position,
                email=emails[0] if emails else "",
                phone=(phones[0] if phones else "")[:60],
                organization_id=organization_id,
                country_id=country_id,
                original_language=language,
                status=import_status(self.actor, organization_id),
            )
            self._save(document, contact)
            pk = contact.pk
        self.ids[SCHEMA_CONTACT].remember(pk, document.identifier)
        self.in_file[SCHEMA_CONTACT][document.identifier] = pk

    def _country(self, document, term, field):
        code = plain(term.get("identifier"))
        pk = self.refs.countries.get(code)
        if pk is None:
            document.error("BCH-COUNTRY", _("{code} is not a country code.").format(code=code.lower()), field)
        return pk

    # -- initiatives -----------------------------------------------------------------------------------
    def _code(self, document, vocabulary, term, field):
        code = self.terms.code(vocabulary, term)
        if code is None:
            document.error(
                "BCH-TERM",
                _("{identifier} is not a term CapacityHub knows for {field}.").format(
                    identifier=term.get("identifier"), field=field
                ),
                field,
            )
        return code

    def _initiative(self, document):
        refs = self.refs
        title = document.lstring("title", required=True)
        status_term = document.term("status", required=True)
        status = (
            self._code(document, Vocabularies.ACTIVITY_STATUS, status_term, "status") if status_term else None
        )
        scope_term = document.term("geographicScope")
        scope = self._code(document, GEOGRAPHIC_SCOPE, scope_term, "geographicScope") if scope_term else None
        start, end = document.date("startDate"), document.date("endDate")
        if start and end and end < start:
            document.error(
                "BCH-DATE-ORDER",
                _("The end date {end} is before the start date {start}.").format(end=end, start=start),
                "endDate",
            )
        countries, regions = [], []
        for position, term in enumerate(document.terms("countryRegions")):
            where = "countryRegions[{}]".format(position)
            identifier = plain(term["identifier"])
            if identifier in refs.countries:
                countries.append(refs.countries[identifier])
                continue
            region = next((pk for pk, ident in self._region_identifiers() if ident == identifier), None)
            if region is None and term.get("customValue"):
                region = next(
                    (
                        pk
                        for pk, names in self._region_names()
                        if name_key(next(iter(term["customValue"].values()), "")) in names
                    ),
                    None,
                )
            if region is None:
                document.error(
                    "BCH-TERM",
                    _("{identifier} is neither a country nor a region CapacityHub knows.").format(
                        identifier=identifier.lower()
                    ),
                    where,
                )
            else:
                regions.append(region)
        participations = []
        for role, field in ROLE_FIELDS.items():
            for identifier in document.references(field):
                pk = self._reference(document, SCHEMA_ORGANIZATION, identifier, field)
                if pk and (pk, refs.term(Vocabularies.ORGANIZATION_ROLES, role)) not in participations:
                    participations.append((pk, refs.term(Vocabularies.ORGANIZATION_ROLES, role)))
        contacts = [
            self._reference(document, SCHEMA_CONTACT, identifier, "contacts")
            for identifier in document.references("contacts")
        ]
        parents = [
            self._reference(document, SCHEMA_INITIATIVE, identifier, "broaderProjects")
            for identifier in document.references("broaderProjects")
        ]
        m2m = {}
        for attribute, vocabulary, field in TERM_FIELDS:
            codes = [self._code(document, vocabulary, term, field) for term in document.terms(field)]
            m2m[attribute] = sorted({refs.term(vocabulary, code) for code in codes if code})
        budget, currency = self._budget(document)
        values = {
            "title": title,
            "project_number": next(iter(document.lstring("projectNumber").values()), "")[:100],
            "description": document.lstring("description"),
            "outcomes": document.lstring("resultsAchievements"),
            "lessons_learned": document.lstring("bestPractices"),
            "links": document.links("projectDocument")
            + document.links("relevantDocuments")
            + document.links("resultsOutputs"),
        }
        if document.failed or not self.report.valid:
            return
        publisher = next((org for org, _role in participations), None)
        pk = self.ids[SCHEMA_INITIATIVE].find(document.identifier)
        record = Initiative.objects.select_related("activity_status").get(pk=pk) if pk else None
        if record is None and publisher is None:
            document.error(
                "BCH-NO-ORG",
                _(
                    "The initiative names no organization (implementing, executing, "
                    "funding or collaborating) to publish it."
                ),
                "implementingAgencies",
            )
            return
        if record is None:
            record = Initiative(publisher_id=publisher, status=import_status(self.actor, publisher))
            before_state, before = None, None
        else:
            if self.actor is not None and not permissions.can(self.actor, permissions.CHANGE, record):
                document.error("BCH-PERM", _("You may not edit the initiative {title}.").format(title=record))
                return
            before_state = State.of(_prefetched(record))
            before = before_state.snapshot(record)
            # Roles the BCH format has no field for (accountable) stay as they are.
            participations += [
                (org, role)
                for org, role in before_state.participations
                if refs.term_codes.get(role) not in ROLE_FIELDS
            ]
        for name, value in values.items():
            setattr(record, name, value)
        record.original_language = (
            next(iter(title)) if record.original_language not in title else record.original_language
        )
        record.activity_status_id = refs.term(Vocabularies.ACTIVITY_STATUS, status)
        record.geographic_scope = scope or record.geographic_scope or GeographicScope.NATIONAL
        record.budget, record.currency = budget, currency
        self._dates(record, status, start, end)
        record.part_of_id = parents[0] if parents else None
        m2m["contacts"] = sorted(set(contacts))
        state = State(
            [(pk, _share(before_state, "countries", pk)) for pk in sorted(set(countries))],
            [(pk, _share(before_state, "regions", pk)) for pk in sorted(set(regions))],
            sorted(participations),
            m2m,
        )
        if before is not None and state.snapshot(record) == before:
            self.report.unchanged += 1
        else:
            created = record.pk is None
            self._save(document, record, save_related=lambda saved: _write_related(saved, state))
            self.report.created += created
            self.report.updated += not created
        self.ids[SCHEMA_INITIATIVE].remember(record.pk, document.identifier)
        self.in_file[SCHEMA_INITIATIVE][document.identifier] = record.pk

    def _region_identifiers(self):
        if not hasattr(self, "_regions"):
            from capacityhub.reference.models import Region

            self._regions = [
                (pk, (ident or "").upper(), {name_key(t) for t in (name or {}).values()})
                for pk, ident, name in Region.objects.values_list("pk", "identifier", "name")
            ]
        return [(pk, ident) for pk, ident, _names in self._regions if ident]

    def _region_names(self):
        self._region_identifiers()
        return [(pk, names) for pk, _ident, names in self._regions]

    def _budget(self, document):
        value = document.data.get("totalBudget")
        if value in (None, ""):
            return None, "USD"
        text = str(value).strip().replace(",", "")
        amount, _sep, currency = text.partition(" ")
        try:
            number = Decimal(amount).quantize(CENT)
        except InvalidOperation:
            document.error(
                "BCH-TYPE",
                _("totalBudget must be an amount, not {value}.").format(value=value),
                "totalBudget",
            )
            return None, "USD"
        if number < 0 or number >= Decimal("1e14"):
            document.error(
                "BCH-TYPE", _("totalBudget {value} cannot be kept.").format(value=value), "totalBudget"
            )
        currency = currency.strip().upper() or "USD"
        return number, currency if re.fullmatch(r"[A-Z]{3}", currency) else "USD"

    @staticmethod
    def _dates(record, status, start, end):
        """BCH has one start and one end date: they go to the field the export took them from (for a new
        record: actual start unless in the pipeline, actual end once finalised, closed or cancelled)."""
        if record.pk and record.actual_start:
            record.actual_start = start
        elif record.pk and record.planned_start:
            record.planned_start = start
        elif status == "pipeline":
            record.planned_start = start
        else:
            record.actual_start = start
        if record.pk and record.actual_end:
            record.actual_end = end
        elif record.pk and record.planned_end:
            record.planned_end = end
        elif status in ENDED:
            record.actual_end = end
        else:
            record.planned_end = end


def _share(state, kind, pk):
    """Percentages are not part of the BCH format: an update keeps those the platform has."""
    if state is None:
        return None
    return dict(getattr(state, kind)).get(pk)


def _prefetched(record):
    from django.db.models import prefetch_related_objects

    from ..iati.writer import M2M_FIELDS

    prefetch_related_objects([record], "country_shares", "region_shares", "participations", *M2M_FIELDS)
    return record


def _write_related(record, state):
    InitiativeCountry.objects.filter(initiative=record).delete()
    InitiativeRegion.objects.filter(initiative=record).delete()
    Participation.objects.filter(initiative=record).delete()
    InitiativeCountry.objects.bulk_create(
        [InitiativeCountry(initiative=record, country_id=pk, percentage=pct) for pk, pct in state.countries]
    )
    InitiativeRegion.objects.bulk_create(
        [InitiativeRegion(initiative=record, region_id=pk, percentage=pct) for pk, pct in state.regions]
    )
    Participation.objects.bulk_create(
        [
            Participation(initiative=record, organization_id=org, role_id=role)
            for org, role in state.participations
        ]
    )
    for name, ids in state.m2m.items():
        getattr(record, name).set(ids)
