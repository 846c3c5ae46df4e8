"""The IATI import: mapping, the two validation layers, whole-or-nothing files, updates, bad input."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from capacityhub.core.choices import Status
from capacityhub.core.models import SearchEntry, Version
from capacityhub.core.search import search_filter
from capacityhub.core.services import snapshot
from capacityhub.interop.iati.schema import IatiStream
from capacityhub.interop.models import MappingRule
from capacityhub.interop.reports import FileReport
from capacityhub.reference.models import Contact, Organization
from capacityhub.registry.models import Initiative

from .iati_samples import activity, document, rules_of, run

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "iati-samples"
pytestmark = pytest.mark.django_db


def counts():
    return (
        Initiative.objects.count(),
        Organization.objects.count(),
        Contact.objects.count(),
        Version.objects.count(),
    )


def versions_of(record):
    return Version.objects.filter(content_type__model="initiative", object_id=record.pk).count()


def test_an_activity_is_mapped_onto_an_initiative():
    report = run(document(activity()))
    assert report.valid and report.created == 1, report.errors
    record = Initiative.objects.get(iati_identifier="XM-DAC-41116-BS-1")
    assert record.title == {
        "en": "Support to the national biosafety framework of Kenya",
        "fr": "Appui au cadre national de biosécurité",
    }  # German dropped: not a content language
    assert record.original_language == "en"
    assert record.description == {
        "en": "Risk assessment of LMOs and public awareness.",
        "es": "Evaluación del riesgo de los OVM.",
    }
    assert record.objectives == {"en": "Trained regulators."}
    assert record.activity_status.code == "implementation"
    assert (
        record.planned_start.isoformat(),
        record.actual_start.isoformat(),
        record.planned_end.isoformat(),
    ) == (
        "2020-01-01",
        "2020-02-01",
        "2023-12-31",
    )
    assert record.actual_end is None
    assert record.project_number == "GEF-4444"
    # A revised budget replaces the original one of its period; the other period is added.
    assert record.budget == Decimal("150000.00") and record.currency == "USD"
    assert {(s.country.iso2, s.percentage) for s in record.country_shares.all()} == {
        ("KE", Decimal("60")),
        ("UG", Decimal("20")),
    }
    assert [(s.region.code, s.percentage) for s in record.region_shares.all()] == [("m49-014", Decimal("20"))]
    assert record.geographic_scope == "regional"
    roles = {(str(p.organization), p.role.code) for p in record.participations.all()}
    assert roles == {
        ("Global Environment Facility", "funding"),
        ("United Nations Environment Programme", "implementing"),
        ("National Biosafety Authority of Kenya", "executing"),
    }
    assert record.publisher.iati_identifier == "XM-DAC-41116"
    assert Organization.objects.get(iati_identifier="XM-DAC-47044").org_type.code == "multilateral"
    assert record.links == [{"url": "https://example.org/prodoc.pdf", "name": "Project document"}]
    contact = record.contacts.get()
    assert (contact.name, contact.position, contact.email) == (
        {"en": "Jane Doe"},
        {"en": "Task manager"},
        "jane.doe@example.org",
    )
    areas = {term.code for term in record.thematic_areas.all()}
    assert {"risk-assessment", "public-awareness", "mainstreaming", "institutional-capacity"} <= areas
    assert record.status == Status.PUBLISHED and record.published_at
    # Written as record_save would have: one version with the same snapshot, and a search entry.
    version = Version.objects.get(content_type__model="initiative", object_id=record.pk)
    assert version.action == "imported" and version.number == 1 and version.data == snapshot(record)
    # The search entry holds what the model indexes (written by the import without the ORM).
    entry = SearchEntry.objects.get(record_type="initiative", object_id=record.pk)
    expected = "\n".join(text for _lang, text in record.search_texts())
    assert sorted(entry.document.split("\n")) == sorted(expected.split("\n"))
    assert "Kenya" in entry.document and "Global Environment Facility" in entry.document
    found = search_filter(Initiative.objects.all(), "initiative", "Kenya biosécurité")  # FTS5 or tsvector
    assert list(found) == [record]


def test_reimporting_an_unchanged_file_changes_nothing_and_a_change_updates():
    data = document(activity(), activity(identifier="XM-DAC-41116-BS-2", title="Biosafety training"))
    assert run(data).created == 2
    before = counts()
    report = run(data)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert counts() == before
    changed = document(
        activity(), activity(identifier="XM-DAC-41116-BS-2", title="Biosafety training, phase 2")
    )
    report = run(changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    record = Initiative.objects.get(iati_identifier="XM-DAC-41116-BS-2")
    assert record.title["en"] == "Biosafety training, phase 2" and record.revision == 2
    latest = Version.objects.filter(content_type__model="initiative", object_id=record.pk).order_by(
        "-number"
    )[0]
    assert latest.changes == ["sort_title", "title"] or latest.changes == ["title"]
    assert latest.data == snapshot(record)
    entry = SearchEntry.objects.get(record_type="initiative", object_id=record.pk)
    assert "Biosafety training, phase 2" in entry.document


def test_activities_that_are_not_biosafety_are_skipped_and_counted():
    other = activity(identifier="XM-DAC-41116-SOLAR", title="Solar cookers").replace(
        "Risk assessment of LMOs and public awareness.", "Cooking."
    )
    other = other.replace("Evaluación del riesgo de los OVM.", "Cocina.").replace(
        "Appui au cadre national de biosécurité", "Cuisinières solaires"
    )
    report = run(document(activity(), other))
    assert (report.activities, report.in_scope, report.skipped, report.created) == (2, 1, 1, 1)


@pytest.mark.parametrize(
    "title",
    [
        "Fortalecimiento de la bioseguridad en Colombia",
        "Renforcement de la BIOSÉCURITÉ",
        "加强生物安全能力",
        "Укрепление биобезопасности",
        "Detection of GMOs at borders",
    ],
)
def test_keywords_select_activities_in_any_language(title):
    text = activity(title=title).replace("Risk assessment of LMOs and public awareness.", "Text.")
    text = text.replace("Evaluación del riesgo de los OVM.", "Texto.").replace(
        "Appui au cadre national de biosécurité", "Appui"
    )
    report = run(document(text), dry_run=True)
    assert report.in_scope == 1, title


def test_the_mapping_is_data_the_secretariat_edits():
    text = activity(title="Plant protection").replace(
        "Risk assessment of LMOs and public awareness.", "Pests."
    )
    text = text.replace("Evaluación del riesgo de los OVM.", "Plagas.").replace(
        "Appui au cadre national de biosécurité", "Appui"
    )
    text = text.replace('code="41030"', 'code="31192"')
    assert run(document(text), dry_run=True).skipped == 1
    MappingRule.objects.filter(kind="sector", code="31192").update(selects=True)
    report = run(document(text))
    assert report.created == 1
    assert {t.code for t in Initiative.objects.get().thematic_areas.all()} == {
        "risk-management",
        "mainstreaming",
    }


def test_one_bad_activity_among_good_ones_writes_nothing():
    good = [activity(identifier="XM-DAC-41116-G{}".format(n)) for n in range(3)]
    bad = activity(identifier="XM-DAC-41116-BAD", geography='<recipient-country code="KE" percentage="70"/>')
    before = counts()
    report = run(document(*good, bad, *good[:0]))
    assert not report.valid
    assert counts() == before
    assert report.created == 0
    [problem] = report.errors
    assert (problem.activity, problem.rule, problem.element) == (
        "XM-DAC-41116-BAD",
        "IATI-PCT-100",
        "/iati-activity/recipient-country",
    )
    assert "70" in str(problem.message) and problem.line


BAD_ACTIVITIES = {
    "IATI-PCT-100": {
        "geography": '<recipient-country code="KE" percentage="50"/><recipient-country code="UG" '
        'percentage="30"/>'
    },
    "IATI-PCT-MISSING": {
        "geography": '<recipient-country code="KE" percentage="100"/><recipient-country code="UG"/>'
    },
    "IATI-DATE-ORDER": {"start": "2024-01-01", "end": "2023-01-01"},
    "IATI-ID-PREFIX": {"identifier": "XX-OTHER-1"},
    "IATI-ID-CHARS": {"identifier": "XM-DAC-41116/1"},
    "IATI-ID-EMPTY": {"identifier": ""},
    "IATI-CODE-Country": {"geography": '<recipient-country code="QQ"/>'},
    "IATI-CODE-Region": {"geography": '<recipient-region code="12345" vocabulary="1"/>'},
    "IATI-CODE-ActivityStatus": {"status": "9"},
    "IATI-CODE-Sector": {"sector": "99999"},
    "IATI-CODE-Currency": {"currency": "XYZ"},
    "IATI-TITLE-LANG": {"title": ""},
}


@pytest.mark.parametrize("rule", sorted(BAD_ACTIVITIES))
def test_codelists_and_rules_are_checked(rule):
    values = BAD_ACTIVITIES[rule]
    text = activity(**values)
    if rule == "IATI-TITLE-LANG":
        text = text.replace('<narrative xml:lang="fr">Appui au cadre national de biosécurité</narrative>', "")
        text = text.replace(
            "<title><narrative></narrative>", '<title><narrative xml:lang="de">Biosicherheit</narrative>'
        )
    report = run(document(text))
    assert rule in rules_of(report), [p.as_dict() for p in report.errors]
    problem = next(p for p in report.errors if p.rule == rule)
    assert problem.activity == (values.get("identifier", "XM-DAC-41116-BS-1") or "#1")
    assert problem.element.startswith("/iati-activity")
    assert Initiative.objects.count() == 0


def test_more_rules_and_their_elements():
    duplicate = run(document(activity(), activity()))
    assert "IATI-ID-DUPLICATE" in rules_of(duplicate)
    role = run(document(activity().replace('role="3"', 'role="7"')))
    problem = next(p for p in role.errors if p.rule == "IATI-CODE-OrganisationRole")
    assert problem.element == "/iati-activity/participating-org[3]/@role"
    language = run(document(activity().replace('xml:lang="fr"', 'xml:lang="qq"')))
    problem = next(p for p in language.errors if p.rule == "IATI-CODE-Language")
    assert problem.element == "/iati-activity/title/narrative[2]/@xml:lang"
    currency = run(document(activity().replace(' default-currency="USD"', "")))
    assert "IATI-CUR-MISSING" in rules_of(currency)


def test_amounts_in_another_currency_are_left_out_with_a_warning():
    report = run(document(activity(currency="EUR")))
    assert report.valid
    assert Initiative.objects.get().budget == Decimal("120000.00")
    assert [w.rule for w in report.warnings] == ["IATI-CUR-MIXED"]
    assert report.warnings[0].element == "/iati-activity/budget[3]/value"


def test_schema_errors_name_the_activity_element_and_line():
    text = activity().replace('<activity-status code="2"/>', "")
    report = run(document(activity(identifier="XM-DAC-41116-OK"), text))
    assert not report.valid and Initiative.objects.count() == 0
    [problem] = report.errors
    assert problem.rule == "IATI-XSD" and problem.activity == "XM-DAC-41116-BS-1"
    assert "activity-date" in str(problem.message) and problem.element.startswith("/iati-activity/")
    assert problem.line > 30


@pytest.mark.parametrize(
    "data, rule, words",
    [
        (
            b'<?xml version="1.0"?>\n<iati-activities version="2.03">\n<iati-activity>\n</iati-activities>',
            "IATI-XML-MALFORMED",
            "line 4",
        ),
        (b"", "IATI-XML-MALFORMED", "not well-formed"),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
            b'<iati-activities version="2.03"><iati-activity>'
            b"<iati-identifier>&lol3;</iati-identifier></iati-activity></iati-activities>",
            "IATI-XML-DTD",
            "entities",
        ),
        (b'<?xml version="1.0"?><html><body>Not IATI</body></html>', "IATI-XML-ROOT", "<html>"),
        (
            b'<?xml version="1.0"?><iati-activities version="1.03"><iati-activity/></iati-activities>',
            "IATI-VERSION-1X",
            "1.x is not supported",
        ),
        (b"\xff\xfe<\x00", "IATI-XML-MALFORMED", "not well-formed"),
    ],
    ids=["malformed", "empty", "billion-laughs", "not-iati", "version-1", "bad-encoding"],
)
def test_bad_input_is_a_clear_error_not_a_crash(data, rule, words):
    before = counts()
    report = run(data)
    assert not report.valid
    assert report.errors[0].rule == rule
    assert words in str(report.errors[0].message)
    assert counts() == before


def test_a_real_version_1_file_is_refused_saying_so():
    with (SAMPLES / "version-1-dfid.xml").open("rb") as handle:
        report = run(handle.read())
    [problem] = report.errors
    assert problem.rule == "IATI-VERSION-1X" and "Version 1.x is not supported" in str(problem.message)


def test_the_iati_example_activity_imports_when_the_mapping_selects_it():
    MappingRule.objects.create(
        kind="keyword", vocabulary="", code="Activity title", selects=True, areas=["other"]
    )
    with (SAMPLES / "activity-standard-example-annotated.xml").open("rb") as handle:
        report = run(handle.read())
    assert report.valid and report.created == 1, [p.as_dict() for p in report.errors]
    record = Initiative.objects.get(iati_identifier="AA-AAA-123456789-ABC123")
    assert record.title["fr"] == "Titre de l'activité" and record.title["es"] == "Título de la actividad"
    assert {s.country.iso2 for s in record.country_shares.all()} == {"AF", "AG"}


def test_an_organisation_file_imports_organizations():
    with (SAMPLES / "organisation-standard-example-annotated.xml").open("rb") as handle:
        data = handle.read()
    report = run(data)
    assert report.valid and report.kind == "organisations" and report.created == 1
    organization = Organization.objects.get(iati_identifier="AA-AAA-123456789")
    assert organization.name["en"] == "Organisation name" and organization.name["fr"] == "Nom de l'organisme"
    assert organization.org_type.code == "multilateral"
    assert run(data).unchanged == 1


def test_streaming_drops_each_activity_once_read():
    """The tree never holds more than the activities of one read-ahead buffer, whatever the file's length."""
    data = document(*[activity(identifier="XM-DAC-41116-{}".format(n)) for n in range(1000)])
    stream = IatiStream(io.BytesIO(data), FileReport(file="x"))
    sizes = [len(record.element.getparent()) for record in stream]
    assert len(sizes) == 1000 and max(sizes) < 60


def test_components_find_their_parent_even_later_in_the_file():
    child = activity(identifier="XM-DAC-41116-C", extra='<related-activity ref="XM-DAC-41116-P" type="1"/>')
    report = run(document(child, activity(identifier="XM-DAC-41116-P")))
    assert report.valid
    record = Initiative.objects.get(iati_identifier="XM-DAC-41116-C")
    assert record.part_of.iati_identifier == "XM-DAC-41116-P"
    assert Version.objects.filter(
        content_type__model="initiative", object_id=record.pk
    ).get().data == snapshot(record)
    assert run(document(child, activity(identifier="XM-DAC-41116-P"))).unchanged == 2


def test_publishers_publish_their_own_data_others_make_drafts(roles):
    roles.org_x.iati_identifier = "XM-DAC-41116"
    roles.org_x.save()
    report = run(document(activity()), actor=roles.publisher_x)
    assert report.valid and Initiative.objects.get().status == Status.PUBLISHED
    report = run(document(activity(identifier="XM-DAC-41116-2")), actor=roles.publisher_y)
    assert report.valid
    draft = Initiative.objects.get(iati_identifier="XM-DAC-41116-2")
    assert draft.status == Status.DRAFT and draft.created_by == roles.publisher_y
    # Publisher Y may not update X's published initiative: the whole file is refused.
    before = counts()
    report = run(
        document(activity(title="Hijacked biosafety"), activity(identifier="XM-DAC-41116-3")),
        actor=roles.publisher_y,
    )
    assert rules_of(report) == {"IATI-PERM"} and counts() == before


def test_dry_run_writes_nothing_but_counts():
    before = counts()
    report = run(document(activity()), dry_run=True)
    assert report.valid and report.created == 1 and report.dry_run
    assert counts() == before


def test_command_reports_json_and_exits_non_zero_on_an_invalid_file(tmp_path, capsys):
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_bytes(document(activity()))
    bad.write_bytes(document(activity(status="9")))
    call_command("import_iati", "--report", "json", str(good))
    [result] = json.loads(capsys.readouterr().out)
    assert result["valid"] and result["activities"] == 1 and result["errors"] == []
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_iati", "--report", "json", "--dry-run", str(good), str(bad))
    assert exit_info.value.code == 1
    results = json.loads(capsys.readouterr().out)
    assert [r["valid"] for r in results] == [True, False]
    assert results[1]["errors"][0] == {
        "activity": "XM-DAC-41116-BS-1",
        "element": "/iati-activity/activity-status/@code",
        "rule": "IATI-CODE-ActivityStatus",
        "message": "'9' is not a code of the IATI ActivityStatus codelist.",
        "line": results[1]["errors"][0]["line"],
    }
    assert Initiative.objects.count() == 1
