"""Initiatives as BCH capacity-building initiative documents (``capacityBuildingInitiative``), with the
organization and contact documents they refer to, as one JSON array written incrementally."""

import json

from capacityhub.reference.choices import Vocabularies
from capacityhub.reference.models import Contact, Organization
from capacityhub.registry.choices import GeographicScope
from capacityhub.registry.models import Initiative

from .common import (
    GEOGRAPHIC_SCOPE,
    SCHEMA_CONTACT,
    SCHEMA_INITIATIVE,
    SCHEMA_ORGANIZATION,
    Identifiers,
    Terms,
    other_identifier,
)

ROLE_FIELDS = {
    "implementing": "implementingAgencies",
    "executing": "executingAgencies",
    "collaborating": "collaboratingPartners",
    "funding": "coreFundingSources",
    "co-funding": "coFinancingSources",
}
ROLE_FLAGS = {
    "implementingAgencies": "isImplementedByAgencies",
    "executingAgencies": "isExecutededByAgencies",
    "collaboratingPartners": "isCollaboratededByPartners",
}
TERM_FIELDS = (
    ("categories", Vocabularies.ACTIVITY_CATEGORIES, "categories"),
    ("target_groups", Vocabularies.TARGET_GROUPS, "targetGroups"),
    ("thematic_areas", Vocabularies.THEMATIC_AREAS, "cpbThematicAreas"),
    ("funding_source_types", Vocabularies.FUNDING_SOURCE_TYPES, "fundingSourceTypes"),
)
#: Activity statuses whose end date is the actual one (the others: planned).
ENDED = ("finalisation", "closed", "cancelled")


def start_date(initiative):
    if initiative.activity_status.code == "pipeline":
        return initiative.planned_start or initiative.actual_start
    return initiative.actual_start or initiative.planned_start


def end_date(initiative):
    if initiative.activity_status.code in ENDED:
        return initiative.actual_end or initiative.planned_end
    return initiative.planned_end or initiative.actual_end


def _languages(*values):
    found = set()
    for value in values:
        found.update(code for code, text in (value or {}).items() if text)
    return sorted(found) or ["en"]


class BchExport:
    def __init__(self):
        self.terms = Terms()
        self.initiatives = Identifiers(Initiative, "initiative")
        self.organizations = Identifiers(Organization, "organization")
        self.contacts = Identifiers(Contact, "contact")
        self.organization_ids = set()
        self.contact_ids = set()

    def _ref(self, identifiers, pk):
        return {"identifier": identifiers.of(pk)}

    def initiative(self, initiative):
        lang = initiative.original_language
        terms = self.terms
        document = {
            "header": {
                "identifier": self.initiatives.of(initiative.pk),
                "schema": SCHEMA_INITIATIVE,
                "languages": _languages(initiative.title),
            },
            "title": initiative.title,
            "status": terms.term(
                Vocabularies.ACTIVITY_STATUS,
                initiative.activity_status.code,
                initiative.activity_status.label,
            ),
            "geographicScope": terms.term(
                GEOGRAPHIC_SCOPE,
                initiative.geographic_scope,
                {"en": str(GeographicScope(initiative.geographic_scope).label)},
            ),
        }
        if initiative.project_number:
            document["projectNumber"] = {lang: initiative.project_number}
        if initiative.links:
            document["projectDocument"] = [
                {"url": link["url"], "name": link.get("name", ""), "language": lang}
                for link in initiative.links
            ]
        contacts = list(initiative.contacts.all())
        self.contact_ids.update(contact.pk for contact in contacts)
        document["contacts"] = [self._ref(self.contacts, contact.pk) for contact in contacts]
        regions = [{"identifier": share.country.iso2.lower()} for share in initiative.country_shares.all()]
        for share in initiative.region_shares.all():
            region = share.region
            regions.append(
                {"identifier": region.identifier.upper()}
                if region.identifier
                else {"identifier": other_identifier(), "customValue": region.name}
            )
        if regions:
            document["countryRegions"] = regions
        for key, value in (("startDate", start_date(initiative)), ("endDate", end_date(initiative))):
            if value:
                document[key] = value.isoformat()
        document["isProjectProgramme"] = bool(initiative.part_of_id)
        if initiative.part_of_id:
            document["broaderProjects"] = [self._ref(self.initiatives, initiative.part_of_id)]
            document["projectProgrammeName"] = initiative.part_of.title
        by_field = {}
        for participation in initiative.participations.all():
            field = ROLE_FIELDS.get(participation.role.code)
            if field:
                self.organization_ids.add(participation.organization_id)
                by_field.setdefault(field, []).append(
                    self._ref(self.organizations, participation.organization_id)
                )
        for field in ROLE_FIELDS.values():
            if field in ROLE_FLAGS:
                document[ROLE_FLAGS[field]] = field in by_field
            if field in by_field:
                document[field] = by_field[field]
        if initiative.description:
            document["description"] = initiative.description
        for attribute, vocabulary, field in TERM_FIELDS:
            items = [
                terms.term(vocabulary, term.code, term.label) for term in getattr(initiative, attribute).all()
            ]
            if items:
                document[field] = items
        if initiative.budget is not None:
            amount = "{:f}".format(initiative.budget)
            document["totalBudget"] = (
                amount if initiative.currency == "USD" else "{} {}".format(amount, initiative.currency)
            )
        if initiative.outcomes:
            document["resultsAchievements"] = initiative.outcomes
        if initiative.lessons_learned:
            document["bestPractices"] = initiative.lessons_learned
        return document

    def organization(self, organization):
        document = {
            "header": {
                "identifier": self.organizations.of(organization.pk),
                "schema": SCHEMA_ORGANIZATION,
                "languages": _languages(organization.name),
            },
            "name": organization.name,
        }
        if organization.acronym:
            document["acronym"] = {organization.original_language: organization.acronym}
        if organization.country_id:
            document["country"] = {"identifier": organization.country.iso2.lower()}
        if organization.org_type_id:
            document["organizationType"] = self.terms.term(
                Vocabularies.ORGANIZATION_TYPES, organization.org_type.code, organization.org_type.label
            )
        if organization.website:
            document["websites"] = [{"url": organization.website}]
        if organization.email:
            document["emails"] = [organization.email]
        return document

    def contact(self, contact):
        name = contact.text("name", contact.original_language)
        first, _sep, last = name.rpartition(" ")
        document = {
            "header": {
                "identifier": self.contacts.of(contact.pk),
                "schema": SCHEMA_CONTACT,
                "languages": _languages(contact.name),
            },
            "type": "person",
            "firstName": first,
            "lastName": last,
        }
        if contact.position:
            document["designation"] = contact.position
        if contact.organization_id:
            self.organization_ids.add(contact.organization_id)
            document["organization"] = contact.organization.name
            document["contactOrganization"] = self._ref(self.organizations, contact.organization_id)
        if contact.country_id:
            document["country"] = {"identifier": contact.country.iso2.lower()}
        if contact.email:
            document["emails"] = [contact.email]
        if contact.phone:
            document["phones"] = [contact.phone]
        return document


def write_bch(queryset, output):
    """Write the initiatives of ``queryset`` and the organizations and contacts they refer to as a JSON array
    of BCH documents to the text file ``output``. Returns the number of initiatives."""
    export = BchExport()
    queryset = (
        queryset.select_related("activity_status", "part_of")
        .prefetch_related(
            "country_shares__country",
            "region_shares__region",
            "participations__role",
            "contacts",
            "categories",
            "target_groups",
            "thematic_areas",
            "funding_source_types",
        )
        .order_by("pk")
    )
    count = 0
    output.write("[\n")
    separator = ""
    for initiative in queryset.iterator(chunk_size=500):
        output.write(separator + json.dumps(export.initiative(initiative), ensure_ascii=False))
        separator = ",\n"
        count += 1
    contacts = Contact.objects.filter(pk__in=export.contact_ids).select_related("organization", "country")
    for contact in contacts.order_by("pk"):
        output.write(separator + json.dumps(export.contact(contact), ensure_ascii=False))
        separator = ",\n"
    organizations = Organization.objects.filter(pk__in=export.organization_ids).select_related(
        "country", "org_type"
    )
    for organization in organizations.order_by("pk"):
        output.write(separator + json.dumps(export.organization(organization), ensure_ascii=False))
        separator = ",\n"
    output.write("\n]\n")
    return count
