"""The IATI export: valid against the 2.03 schema, streamed, drafts never leak, and an export imported again
gives back every mapped field."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from lxml import etree

from capacityhub.core import services
from capacityhub.core.choices import Status
from capacityhub.core.models import Version
from capacityhub.core.testing.factories import country, organization, term
from capacityhub.interop.iati.exporter import write_activities_xml
from capacityhub.interop.iati.schema import activities_schema
from capacityhub.reference.models import Contact, Region
from capacityhub.registry.models import Initiative, InitiativeCountry, InitiativeRegion, Participation

from .iati_samples import run

pytestmark = pytest.mark.django_db

COMPARED = (
    "title",
    "description",
    "objectives",
    "original_language",
    "project_number",
    "activity_status_id",
    "planned_start",
    "actual_start",
    "planned_end",
    "actual_end",
    "geographic_scope",
    "budget",
    "co_financing",
    "currency",
    "outcomes",
    "lessons_learned",
    "links",
    "status",
    "publisher_id",
)


def initiative(title, *, publisher, status=Status.PUBLISHED, iati_identifier="", **fields):
    record = Initiative(
        title=title,
        publisher=publisher,
        status=status,
        iati_identifier=iati_identifier,
        activity_status=term("activity-status", fields.pop("activity_status", "implementation")),
        **fields,
    )
    return services.record_save(record=record, actor=None)


@pytest.fixture
def registry():
    """Initiatives using every mapped field: multilingual text, shares, roles (IATI and not), terms, contacts,
    a parent, and one without an IATI identifier."""
    unep = organization("United Nations Environment Programme", iati_identifier="XM-DAC-41116")
    unep.org_type = term("organization-types", "multilateral")
    unep.save()
    gef = organization("Global Environment Facility", iati_identifier="XM-DAC-47044")
    ministry = organization("Ministère de l'Environnement")
    university = organization("University of Nairobi")
    programme = initiative(
        {"en": "Biosafety programme for Africa"}, publisher=unep, iati_identifier="XM-DAC-41116-P"
    )
    Participation.objects.create(
        initiative=programme, organization=unep, role=term("organization-roles", "implementing")
    )
    record = initiative(
        {
            "en": "Biosafety capacity in Kenya",
            "fr": "Capacités en biosécurité au Kenya",
            "ar": "السلامة الأحيائية",
        },
        publisher=unep,
        iati_identifier="XM-DAC-41116-KE1",
        description={"en": "Regulators trained.", "es": "Reguladores formados."},
        objectives={"en": "A working biosafety system."},
        original_language="en",
        project_number="GEF-5555",
        planned_start="2021-01-01",
        actual_start="2021-03-01",
        planned_end="2024-12-31",
        geographic_scope="subregional",
        budget=Decimal("1234567.89"),
        co_financing=Decimal("250000.00"),
        currency="EUR",
        outcomes={"en": "A law adopted."},
        lessons_learned={"fr": "Impliquer les douanes tôt."},
        links=[
            {"url": "https://example.org/report.pdf", "name": "Final report"},
            {"url": "https://example.org/", "name": ""},
        ],
        part_of=programme,
    )
    InitiativeCountry.objects.create(initiative=record, country=country("KE"), percentage=Decimal("50"))
    InitiativeCountry.objects.create(initiative=record, country=country("TZ"), percentage=Decimal("25"))
    InitiativeRegion.objects.create(
        initiative=record, region=Region.objects.get(code="m49-014"), percentage=Decimal("15")
    )
    InitiativeRegion.objects.create(
        initiative=record, region=Region.objects.get(code="cbd-africa"), percentage=Decimal("10")
    )
    for org, role in (
        (gef, "funding"),
        (ministry, "co-funding"),
        (unep, "implementing"),
        (ministry, "executing"),
        (university, "collaborating"),
        (unep, "accountable"),
    ):
        Participation.objects.create(
            initiative=record, organization=org, role=term("organization-roles", role)
        )
    record.thematic_areas.set(
        [term("thematic-areas", "risk-assessment"), term("thematic-areas", "detection")]
    )
    record.categories.set([term("activity-categories", "training")])
    record.target_groups.set([term("target-groups", "regulators"), term("target-groups", "customs-officers")])
    record.funding_source_types.set([term("funding-source-types", "gef")])
    contact = services.record_save(
        record=Contact(
            name={"en": "Jane Doe"},
            position={"en": "Task manager"},
            email="jane@example.org",
            phone="+254 1",
            organization=unep,
            status=Status.PUBLISHED,
        ),
        actor=None,
    )
    record.contacts.set([contact])
    # Regions with a split of their own (the form's convention: countries 100, regions 100).
    other = initiative(
        {"en": "LMO detection laboratory network"}, publisher=ministry, geographic_scope="regional"
    )
    InitiativeCountry.objects.create(initiative=other, country=country("SN"), percentage=Decimal("100"))
    InitiativeRegion.objects.create(
        initiative=other, region=Region.objects.get(code="m49-011"), percentage=Decimal("100")
    )
    other.thematic_areas.set([term("thematic-areas", "detection")])
    Participation.objects.create(
        initiative=other, organization=ministry, role=term("organization-roles", "implementing")
    )
    draft = initiative(
        {"en": "Secret biosafety draft"},
        publisher=unep,
        status=Status.DRAFT,
        iati_identifier="XM-DAC-41116-D",
    )
    for item in (programme, record, other, draft):  # a version that includes the related rows
        services.record_save(record=Initiative.objects.get(pk=item.pk), actor=None)
    return {"programme": programme, "record": record, "other": other, "draft": draft}


def state(record):
    record = Initiative.objects.get(pk=record.pk)
    data = {name: getattr(record, name) for name in COMPARED}
    data["countries"] = sorted((s.country.iso2, s.percentage) for s in record.country_shares.all())
    data["regions"] = sorted((s.region.code, s.percentage) for s in record.region_shares.all())
    data["roles"] = sorted((p.organization_id, p.role.code) for p in record.participations.all())
    for name in ("thematic_areas", "categories", "target_groups", "funding_source_types"):
        data[name] = sorted(t.code for t in getattr(record, name).all())
    data["contacts"] = sorted(c.pk for c in record.contacts.all())
    data["parent"] = record.part_of and record.part_of.title
    return data


def export():
    output = io.BytesIO()
    queryset = Initiative.objects.filter(status=Status.PUBLISHED)
    count = write_activities_xml(queryset, output)
    return output.getvalue(), count


def test_the_export_is_valid_iati_2_03(registry):
    data, count = export()
    assert count == 3
    document = etree.fromstring(data)
    assert activities_schema().validate(document), activities_schema().error_log
    assert document.get("version") == "2.03"
    identifiers = [a.findtext("iati-identifier") for a in document.iter("iati-activity")]
    generated = "XX-CAPACITYHUB-{}-CH{}".format(registry["other"].publisher_id, registry["other"].pk)
    assert identifiers == ["XM-DAC-41116-P", generated, "XM-DAC-41116-KE1"]  # parents first
    assert b"Secret biosafety draft" not in data
    record = document.find("iati-activity[iati-identifier='XM-DAC-41116-KE1']")
    assert record.find("activity-scope").get("code") == "3"
    assert [(e.get("code"), e.get("percentage")) for e in record.findall("recipient-country")] == [
        ("KE", "50"),
        ("TZ", "25"),
    ]
    assert {e.get("vocabulary") for e in record.findall("recipient-region")} == {"1", "99"}
    roles = [(e.findtext("narrative"), e.get("role")) for e in record.findall("participating-org")]
    assert ("Global Environment Facility", "1") in roles and ("University of Nairobi", "4") in roles
    assert record.find("budget/value").text == "1234567.89" and record.get("default-currency") == "EUR"


def test_export_then_import_changes_nothing(registry):
    data, _count = export()
    before = (Version.objects.count(), [state(item) for item in registry.values()])
    report = run(data)
    assert report.valid, [p.as_dict() for p in report.errors]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert (Version.objects.count(), [state(item) for item in registry.values()]) == before


def test_export_imported_into_an_empty_registry_keeps_every_mapped_field(registry):
    data, _count = export()
    expected = {
        Initiative.objects.get(pk=item.pk).title["en"]: state(item)
        for item in registry.values()
        if item.status == Status.PUBLISHED
    }
    Initiative.objects.all().delete()
    report = run(data)
    assert report.valid and report.created == 3, [p.as_dict() for p in report.errors]
    for title, values in expected.items():
        imported = Initiative.objects.get(title__en=title)
        assert state(imported) == values, title
    assert run(data).unchanged == 3


def test_download_has_the_list_filters_and_never_leaks_drafts(client, registry, roles):
    url = reverse("interop:iati_export")
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    body = b"".join(response.streaming_content)
    assert activities_schema().validate(etree.fromstring(body))
    assert body.count(b"<iati-activity ") == 3 and b"Secret biosafety draft" not in body
    filtered = b"".join(client.get(url, {"country": "SN"}).streaming_content)
    assert filtered.count(b"<iati-activity ") == 1 and b"LMO detection laboratory network" in filtered
    client.force_login(roles.admin)
    everything = b"".join(client.get(url).streaming_content)
    assert b"Secret biosafety draft" in everything
