"""BCH capacity-building initiative documents: the export's shape, the round trip, and refused input."""

import io
import json

import pytest
from django.core.management import call_command

from capacityhub.core.choices import Status
from capacityhub.core.models import Version
from capacityhub.interop.bch import write_bch
from capacityhub.interop.bch.common import other_identifier
from capacityhub.interop.models import ExternalIdentifier
from capacityhub.interop.services import bch_file_import
from capacityhub.reference.models import Organization
from capacityhub.registry.models import Initiative

from .test_iati_export import registry, state  # noqa: F401 - the same initiatives

pytestmark = pytest.mark.django_db
BCH_FIELDS = (
    "title",
    "description",
    "project_number",
    "activity_status_id",
    "geographic_scope",
    "budget",
    "currency",
    "outcomes",
    "lessons_learned",
    "links",
    "thematic_areas",
    "categories",
    "target_groups",
    "funding_source_types",
    "contacts",
    "parent",
    "publisher_id",
    "actual_start",
    "planned_end",
)


def bch_state(record):
    """What the BCH format carries: no percentages, no accountable organization."""
    values = state(record)
    data = {name: values[name] for name in BCH_FIELDS}
    data["places"] = sorted(code for code, _pct in values["countries"] + values["regions"])
    data["roles"] = [(org, role) for org, role in values["roles"] if role != "accountable"]
    return data


def export_documents():
    output = io.StringIO()
    write_bch(Initiative.objects.filter(status=Status.PUBLISHED), output)
    return json.loads(output.getvalue())


def test_the_export_has_the_bch_shape(registry):  # noqa: F811
    documents = export_documents()
    schemas = [d["header"]["schema"] for d in documents]
    assert schemas.count("capacityBuildingInitiative") == 3
    assert "organization" in schemas and "contact" in schemas
    record = next(d for d in documents if d.get("projectNumber") == {"en": "GEF-5555"})
    assert record["header"]["languages"] == ["ar", "en", "fr"]
    assert record["title"]["fr"] == "Capacités en biosécurité au Kenya"
    assert {"identifier": "7C980FF4-3C5B-4711-81F9-BA6F28C12598"} in record[
        "cpbThematicAreas"
    ]  # risk assessment
    assert {"identifier": "ke"} in record["countryRegions"]
    assert {"identifier": "D50FE62D-8A5E-4407-83F8-AFCAAF708EA4"} in record[
        "countryRegions"
    ]  # CBD African Group
    assert record["status"]["identifier"] == other_identifier() and record["status"]["customValue"]["en"]
    assert record["startDate"] == "2021-03-01" and record["endDate"] == "2024-12-31"
    assert record["totalBudget"] == "1234567.89 EUR"
    assert record["isImplementedByAgencies"] is True and len(record["coreFundingSources"]) == 1
    assert record["projectDocument"][0] == {
        "url": "https://example.org/report.pdf",
        "name": "Final report",
        "language": "en",
    }
    identifiers = {d["header"]["identifier"] for d in documents}
    for field in (
        "implementingAgencies",
        "executingAgencies",
        "coFinancingSources",
        "contacts",
        "broaderProjects",
    ):
        assert all(ref["identifier"] in identifiers for ref in record[field]), field


def test_export_then_import_changes_nothing(registry):  # noqa: F811
    documents = export_documents()
    before = Version.objects.count()
    report = bch_file_import(data=documents, name="bch.json")
    assert report.valid, [p.as_dict() for p in report.errors]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert Version.objects.count() == before


def test_export_imported_into_an_empty_registry_keeps_the_bch_fields(registry):  # noqa: F811
    documents = export_documents()
    expected = {
        item.title["en"]: bch_state(item) for item in registry.values() if item.status == Status.PUBLISHED
    }
    Initiative.objects.all().delete()
    report = bch_file_import(data=documents[::-1], name="bch.json")  # components before their programme
    assert report.valid and report.created == 3, [p.as_dict() for p in report.errors]
    for title, values in expected.items():
        assert bch_state(Initiative.objects.get(title__en=title)) == values, title
    assert bch_file_import(data=documents, name="bch.json").unchanged == 3
    assert ExternalIdentifier.objects.filter(system="bch").count() == 3  # the new records keep the BCH ids


def test_organizations_of_the_file_are_created(registry):  # noqa: F811
    documents = export_documents()
    document = next(d for d in documents if d["header"]["schema"] == "organization")
    document["header"]["identifier"] = "2C86F905-B244-8FDD-4988-5088C023BDE9"
    document["name"] = {"en": "Brand new agency"}
    initiative = next(d for d in documents if d.get("projectNumber") == {"en": "GEF-5555"})
    initiative["implementingAgencies"] = [{"identifier": "2C86F905-B244-8FDD-4988-5088C023BDE9@1"}]
    report = bch_file_import(data=documents, name="bch.json")
    assert report.valid and report.organizations_created == 1 and report.updated == 1
    assert Organization.objects.filter(name__en="Brand new agency").exists()


WRONG = [
    (lambda d: d.pop("title"), "BCH-REQUIRED", "title"),
    (lambda d: d.update(title="A title"), "BCH-TYPE", "title"),
    (lambda d: d.update(status={"identifier": "NOT-A-TERM"}), "BCH-TERM", "status"),
    (lambda d: d.update(cpbThematicAreas=[{"identifier": "UNKNOWN"}]), "BCH-TERM", "cpbThematicAreas"),
    (
        lambda d: d.update(implementingAgencies=[{"identifier": "NOBODY@1"}]),
        "BCH-REF",
        "implementingAgencies",
    ),
    (lambda d: d.update(countryRegions=[{"identifier": "zz"}]), "BCH-TERM", "countryRegions[0]"),
    (lambda d: d.update(startDate="2025-01-01", endDate="2024-01-01"), "BCH-DATE-ORDER", "endDate"),
    (
        lambda d: d.update(projectDocument=[{"url": "javascript:alert(1)"}]),
        "BCH-URL",
        "projectDocument[0].url",
    ),
    (lambda d: d.update(totalBudget="a lot"), "BCH-TYPE", "totalBudget"),
    (lambda d: d["header"].update(schema="biosafetyNews"), "BCH-SCHEMA", "header.schema"),
]


def test_a_wrong_document_is_refused_and_nothing_is_written(registry):  # noqa: F811
    """One registry for every case: each refused import is rolled back, so the next starts from the same."""
    before = (Version.objects.count(), Initiative.objects.count(), Organization.objects.count())
    for change, rule, field in WRONG:
        documents = export_documents()
        document = next(d for d in documents if d.get("projectNumber") == {"en": "GEF-5555"})
        change(document)
        report = bch_file_import(data=documents, name="bch.json")
        assert not report.valid, rule
        problem = next((p for p in report.errors if p.rule == rule), None)
        assert problem is not None, (rule, [p.as_dict() for p in report.errors])
        assert (problem.element, problem.activity) == (field, document["header"]["identifier"]), rule
        assert (Version.objects.count(), Initiative.objects.count(), Organization.objects.count()) == before


def test_commands(tmp_path, registry, capsys):  # noqa: F811
    path = tmp_path / "bch.json"
    call_command("export_bch", "--output", str(path))
    documents = json.loads(path.read_text(encoding="utf-8"))
    assert len([d for d in documents if d["header"]["schema"] == "capacityBuildingInitiative"]) == 3
    call_command("import_bch", "--report", "json", str(path))
    result = json.loads(capsys.readouterr().out)
    assert result["valid"] and result["unchanged"] == 3
    broken = tmp_path / "broken.json"
    broken.write_text('[{"header": ', encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("import_bch", str(broken))
    assert "BCH-JSON" in capsys.readouterr().out
