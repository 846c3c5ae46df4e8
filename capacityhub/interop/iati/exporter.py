"""IATI 2.03 activity XML of initiatives, written incrementally (``lxml.etree.xmlfile``): one small element
tree per initiative, written and dropped, so memory stays flat whatever the number of records.

Every mapped field goes where IATI puts it; what IATI has no place for (outcomes, lessons learned,
co-financing, the exact geographic scope, percentages that are not an IATI split) goes in CapacityHub's
extension namespace, which IATI allows and other consumers ignore. Our import reads both back, so an export
imported again gives the same records."""

from decimal import Decimal

from django.db.models import F
from django.utils import timezone
from lxml import etree

from capacityhub.reference.choices import Vocabularies

from ..references import SCOPE_TO_IATI, reporting_ref
from .activity import EXT, EXT_NS
from .mapping import VOCABULARY_URI
from .schema import XML_LANG
from .writer import generated_identifier

CHUNK = 500
FLUSH_BYTES = 64 * 1024
ROLE_CODES = {"funding": "1", "accountable": "2", "executing": "3", "implementing": "4"}
TAGGED = (
    ("thematic_areas", Vocabularies.THEMATIC_AREAS),
    ("categories", Vocabularies.ACTIVITY_CATEGORIES),
    ("target_groups", Vocabularies.TARGET_GROUPS),
    ("funding_source_types", Vocabularies.FUNDING_SOURCE_TYPES),
)
SELECT_RELATED = ("activity_status", "publisher__org_type", "part_of__publisher")
PREFETCH = (
    "country_shares__country",
    "region_shares__region",
    "participations__organization__org_type",
    "participations__role",
    "thematic_areas",
    "categories",
    "target_groups",
    "funding_source_types",
    "contacts__organization",
)


def export_queryset(queryset):
    """``queryset`` ordered for export (parents before their components) with what the export reads."""
    return (
        queryset.select_related(*SELECT_RELATED)
        .prefetch_related(*PREFETCH)
        .order_by(F("part_of_id").asc(nulls_first=True), "pk")
    )


def identifier_of(initiative):
    if initiative.iati_identifier:
        return initiative.iati_identifier
    return generated_identifier(
        initiative, reporting_ref(initiative.publisher_id, initiative.publisher.iati_identifier)
    )


def _narratives(parent, value, language=None):
    """``<narrative xml:lang="…">`` children of ``parent``: a multilingual value, original language first."""
    value = value or {}
    order = sorted(value, key=lambda code: (code != language, code))
    for code in order:
        if value[code]:
            etree.SubElement(parent, "narrative", {XML_LANG: code}).text = value[code]


def _sub(parent, tag, attrib=None, value=None, language=None):
    element = etree.SubElement(parent, tag, {k: v for k, v in (attrib or {}).items() if v not in (None, "")})
    if value is not None:
        _narratives(element, value, language)
    return element


def _percent(value):
    return "{:f}".format(value.normalize()) if value is not None else None


def _iati_split(initiative):
    """True when the countries and regions have percentages that are an IATI split (all given, 100 in all)."""
    shares = [s.percentage for s in initiative.country_shares.all()] + [
        s.percentage for s in initiative.region_shares.all()
    ]
    return bool(shares) and None not in shares and abs(sum(shares) - 100) <= Decimal("0.1")


def _region_attributes(region):
    if region.iati_code:
        return {"code": region.iati_code, "vocabulary": "1"}
    if region.code.startswith("m49-") and region.code[4:].isdigit():
        return {"code": region.code[4:], "vocabulary": "2"}
    return {"code": region.code, "vocabulary": "99", "vocabulary-uri": VOCABULARY_URI.format("regions")}


def activity_element(initiative):
    """The ``<iati-activity>`` of one initiative (relations prefetched as by :func:`export_queryset`)."""
    lang = initiative.original_language
    publisher = initiative.publisher
    activity = etree.Element(
        "iati-activity",
        {
            XML_LANG: lang,
            "default-currency": initiative.currency or "USD",
            "last-updated-datetime": initiative.updated_at.replace(microsecond=0).isoformat(),
        },
        nsmap={"ch": EXT_NS},
    )
    etree.SubElement(activity, "iati-identifier").text = identifier_of(initiative)
    reporting = {"ref": reporting_ref(publisher.pk, publisher.iati_identifier)}
    if publisher.org_type and publisher.org_type.iati_code:
        reporting["type"] = publisher.org_type.iati_code
    else:
        reporting.update({"type": "90", EXT + "placeholder": "type"})
    _sub(activity, "reporting-org", reporting, publisher.name, publisher.original_language)
    _sub(activity, "title", value=initiative.title, language=lang)
    description = _sub(activity, "description", {"type": "1"}, initiative.description, lang)
    if not len(description):
        etree.SubElement(description, "narrative", {XML_LANG: lang})
    if initiative.objectives:
        _sub(activity, "description", {"type": "2"}, initiative.objectives, lang)
    participations = list(initiative.participations.all())
    for participation in sorted(participations, key=lambda p: (p.role.position, p.organization_id)):
        organization, role = participation.organization, participation.role
        code = role.iati_code or ROLE_CODES.get(role.code) or "4"
        attributes = {"ref": organization.iati_identifier, "role": code}
        if organization.org_type and organization.org_type.iati_code:
            attributes["type"] = organization.org_type.iati_code
        if ROLE_CODES.get(role.code) != code:
            attributes[EXT + "role"] = role.code
        _sub(activity, "participating-org", attributes, organization.name, organization.original_language)
    if not participations:
        _sub(
            activity,
            "participating-org",
            {"ref": reporting["ref"], "role": "2", EXT + "placeholder": "true"},
            publisher.name,
            publisher.original_language,
        )
    if initiative.project_number:
        _sub(activity, "other-identifier", {"ref": initiative.project_number, "type": "A1"})
    _sub(activity, "activity-status", {"code": initiative.activity_status.iati_code or "2"})
    dates = [
        ("1", initiative.planned_start),
        ("2", initiative.actual_start),
        ("3", initiative.planned_end),
        ("4", initiative.actual_end),
    ]
    dates = [(kind, value) for kind, value in dates if value]
    for kind, value in dates:
        _sub(activity, "activity-date", {"type": kind, "iso-date": value.isoformat()})
    if not dates:
        _sub(
            activity,
            "activity-date",
            {"type": "1", "iso-date": initiative.created_at.date().isoformat(), EXT + "placeholder": "true"},
        )
    for contact in initiative.contacts.all():
        _contact(activity, contact)
    _sub(activity, "activity-scope", {"code": SCOPE_TO_IATI.get(initiative.geographic_scope, "4")})
    split = _iati_split(initiative)
    for share in initiative.country_shares.all():
        attributes = {"code": share.country.iso2}
        if share.percentage is not None:
            attributes[EXT + "percentage"] = _percent(share.percentage)
            if split:
                attributes["percentage"] = _percent(share.percentage)
        _sub(activity, "recipient-country", attributes)
    for share in initiative.region_shares.all():
        attributes = _region_attributes(share.region)
        if share.percentage is not None:
            attributes[EXT + "percentage"] = _percent(share.percentage)
            if split:
                attributes["percentage"] = _percent(share.percentage)
        _sub(
            activity,
            "recipient-region",
            attributes,
            share.region.name if attributes["vocabulary"] == "99" else None,
        )
    for field, vocabulary in TAGGED:
        for term in getattr(initiative, field).all():
            _sub(
                activity,
                "tag",
                {"vocabulary": "99", "vocabulary-uri": VOCABULARY_URI.format(vocabulary), "code": term.code},
                term.label,
                lang,
            )
    if initiative.budget is not None:
        start = initiative.actual_start or initiative.planned_start or initiative.created_at.date()
        end = max(initiative.actual_end or initiative.planned_end or start, start)
        budget = _sub(activity, "budget", {"type": "1", "status": "1"})
        _sub(budget, "period-start", {"iso-date": start.isoformat()})
        _sub(budget, "period-end", {"iso-date": end.isoformat()})
        _sub(budget, "value", {"value-date": start.isoformat()}).text = "{:f}".format(initiative.budget)
    for link in initiative.links or []:
        document = _sub(
            activity, "document-link", {"url": link.get("url", ""), "format": _format(link.get("url", ""))}
        )
        _sub(document, "title", value={lang: link.get("name") or link.get("url", "")}, language=lang)
        _sub(document, "category", {"code": "A12"})
    if initiative.part_of_id:
        _sub(activity, "related-activity", {"ref": identifier_of(initiative.part_of), "type": "1"})
    _extension(activity, initiative, lang)
    return activity


def _format(url):
    lowered = url.lower().split("?")[0]
    for ending, mime in (
        (".pdf", "application/pdf"),
        (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (".doc", "application/msword"),
    ):
        if lowered.endswith(ending):
            return mime
    return "text/html"


def _contact(activity, contact):
    info = _sub(activity, "contact-info", {"type": "1"})
    if contact.organization_id:
        _sub(
            info,
            "organisation",
            value=contact.organization.name,
            language=contact.organization.original_language,
        )
    _sub(info, "person-name", value=contact.name, language=contact.original_language)
    if contact.position:
        _sub(info, "job-title", value=contact.position, language=contact.original_language)
    if contact.phone:
        etree.SubElement(info, "telephone").text = contact.phone
    if contact.email:
        etree.SubElement(info, "email").text = contact.email


def _extension(activity, initiative, lang):
    extension = etree.SubElement(activity, EXT + "capacityhub")
    etree.SubElement(extension, EXT + "record", {"id": str(initiative.pk)})
    etree.SubElement(extension, EXT + "geographic-scope").text = initiative.geographic_scope
    if initiative.co_financing is not None:
        etree.SubElement(extension, EXT + "co-financing").text = "{:f}".format(initiative.co_financing)
    for tag, value in (("outcomes", initiative.outcomes), ("lessons-learned", initiative.lessons_learned)):
        if value:
            _narratives(etree.SubElement(extension, EXT + tag), value, lang)


class _Sink:
    """A file-like object collecting what ``xmlfile`` writes, for streaming responses."""

    def __init__(self):
        self.parts = []
        self.size = 0

    def write(self, data):
        self.parts.append(bytes(data))
        self.size += len(data)

    def take(self):
        data = b"".join(self.parts)
        self.parts, self.size = [], 0
        return data


def iter_activities_xml(queryset, counter=None):
    """The IATI file of ``queryset``'s initiatives, as chunks of bytes (for a streaming response).
    ``counter``, a list, receives the number of activities written."""
    sink = _Sink()
    written = 0
    with etree.xmlfile(sink, encoding="utf-8") as xf:
        xf.write_declaration()
        attributes = {
            "version": "2.03",
            "generated-datetime": timezone.now().replace(microsecond=0).isoformat(),
        }
        with xf.element("iati-activities", attributes, nsmap={"ch": EXT_NS}):
            for initiative in export_queryset(queryset).iterator(chunk_size=CHUNK):
                xf.write(activity_element(initiative), pretty_print=True)
                written += 1
                if sink.size >= FLUSH_BYTES:
                    xf.flush()
                    yield sink.take()
        xf.flush()
    if counter is not None:
        counter.append(written)
    yield sink.take()


def write_activities_xml(queryset, output):
    """Write the IATI file of ``queryset``'s initiatives to the binary file ``output``; returns the count."""
    counter = []
    for chunk in iter_activities_xml(queryset, counter):
        output.write(chunk)
    return counter[0]
