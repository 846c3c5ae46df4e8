"""Imports in the exports' layout: round trips change nothing, changes are exact and versioned, invalid files
write nothing, the permission gate applies to every row; the pages, the background job and the command."""

import csv
import datetime
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from capacityhub.core import exports, services
from capacityhub.core.choices import Status
from capacityhub.core.models import Version
from capacityhub.core.registry import registry
from capacityhub.core.testing.cases import CASES
from capacityhub.core.testing.factories import make_record, term
from capacityhub.interop import imports
from capacityhub.interop.models import ImportJob
from capacityhub.reference.models import Country
from capacityhub.registry.models import Initiative, InitiativeCountry, Need


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English; a request in another language must not leak into the next test."""
    with translation.override("en"):
        yield


def export_bytes(key, user, format="csv", layout="wide", **params):
    output = io.BytesIO()
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query[name] = value
    exports.write(registry[key], query, output, user=user, format=format, layout=layout)
    return output.getvalue()


def run(key, data, actor, *, dry_run=False, name="file.csv", format=None):
    return imports.import_records(
        record_type=registry[key],
        fileobj=io.BytesIO(data),
        name=name,
        format=format,
        actor=actor,
        dry_run=dry_run,
    )


def versions(model=Initiative):
    return Version.objects.filter(content_type=ContentType.objects.get_for_model(model)).count()


def csv_rows(data):
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def csv_bytes(rows, delimiter=",", encoding="utf-8"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def initiative(roles, **extra):
    """A published initiative of organization X in Kenya (60 %) and Colombia (40 %)."""
    record = make_record("initiative", organization=roles.org_x, actor=roles.publisher_x, **extra)

    def shares(saved):
        InitiativeCountry.objects.filter(initiative=saved).delete()
        InitiativeCountry.objects.create(initiative=saved, country=roles.country_a, percentage=60)
        InitiativeCountry.objects.create(initiative=saved, country=roles.country_b, percentage=40)

    services.record_save(record=record, actor=None, save_related=shares)
    return Initiative.objects.get(pk=record.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(CASES))
def test_export_then_import_changes_nothing(roles, key):
    case = CASES[key]
    member, _publisher, _outsider = case.members(roles)
    make_record(key, status=Status.PUBLISHED, actor=member, **case.scope_kwargs(roles))
    make_record(key, status=Status.DRAFT, actor=member, **case.scope_kwargs(roles))
    model = registry[key].model
    before = versions(model)
    for format in ("csv", "json") if key != "initiative" else exports.FORMATS:
        data = export_bytes(key, roles.admin, format)
        result = run(key, data, roles.admin, name="export." + format)
        assert result.valid, result.errors
        assert result.created == result.updated == 0, (format, result)
        assert result.unchanged == model.objects.count() >= 1
    assert versions(model) == before


@pytest.mark.django_db
def test_round_trip_keeps_every_language_and_formula_like_text(roles):
    record = initiative(roles, title="=HYPERLINK(1)")
    record.title = {"en": "=HYPERLINK(1)", "ar": "مبادرة", "zh": "倡议"}
    record.budget = Decimal("1234.50")
    record.save()
    data = export_bytes("initiative", roles.admin)
    row = csv_rows(data)[0]
    assert row["title_en"] == "'=HYPERLINK(1)" and row["title_ar"] == "مبادرة"
    for format in exports.FORMATS:
        result = run(
            "initiative", export_bytes("initiative", roles.admin, format), roles.admin, name="f." + format
        )
        assert result.valid and result.unchanged == 1, (format, result.errors, result.rows)


@pytest.mark.django_db
def test_a_changed_cell_updates_that_field_and_writes_one_version(roles):
    record = initiative(roles)
    rows = csv_rows(export_bytes("initiative", roles.publisher_x))
    rows[0]["title_en"] = "Renamed initiative"
    before = versions()
    result = run("initiative", csv_bytes(rows), roles.publisher_x)
    assert result.valid and result.updated == 1, result.errors
    assert result.rows[0]["changes"] == [
        {"column": "title_en", "before": record.title["en"], "after": "Renamed initiative"}
    ]
    assert versions() == before + 1
    version = Version.objects.filter(object_id=record.pk, content_type__model="initiative").first()
    assert (
        version.changes == ["title"] and version.actor == roles.publisher_x and version.action == "imported"
    )
    assert Initiative.objects.get(pk=record.pk).title["en"] == "Renamed initiative"


@pytest.mark.django_db
def test_related_rows_change_by_natural_key(roles):
    record = initiative(roles)
    rows = csv_rows(export_bytes("initiative", roles.admin))
    rows[0]["countries"] = "ke:50;UG:50"
    rows[0]["organizations"] = "{}:funding;Organization Y:implementing".format(roles.org_x.pk)
    rows[0]["thematic_areas"] = "risk-assessment;risk-management"
    result = run("initiative", csv_bytes(rows), roles.admin)
    assert result.valid, result.errors
    record.refresh_from_db()
    shares = {s.country.iso2: s.percentage for s in record.country_shares.all()}
    assert shares == {"KE": Decimal("50.00"), "UG": Decimal("50.00")}
    assert {(p.organization_id, p.role.code) for p in record.participations.all()} == {
        (roles.org_x.pk, "funding"),
        (roles.org_y.pk, "implementing"),
    }
    assert {t.code for t in record.thematic_areas.all()} == {"risk-assessment", "risk-management"}
    assert set(
        Version.objects.get(
            object_id=record.pk, content_type__model="initiative", number=record.revision
        ).changes
    ) == {
        "countries",
        "organizations",
        "thematic_areas",
    }


@pytest.mark.django_db
def test_a_row_without_id_creates_a_draft_and_a_partial_file_keeps_other_fields(roles):
    record = initiative(roles, budget=Decimal("500"))
    rows = [
        {
            "id": "",
            "title_en": "Brand new",
            "publisher": roles.org_x.iati_identifier or str(roles.org_x.pk),
            "activity_status": "pipeline",
            "thematic_areas": "risk-assessment",
            "countries": "KE",
            "organizations": "Organization X:implementing",
            "planned_start": "2025-01-01",
        },
        {
            "id": str(record.pk),
            "title_en": "Only the title",
            "publisher": "",
            "activity_status": "",
            "thematic_areas": "",
            "countries": "",
            "organizations": "",
            "planned_start": "",
        },
    ]
    rows[1] = {"id": str(record.pk), "title_en": "Only the title"}
    result = run("initiative", csv_bytes(rows[:1]), roles.registered)
    assert result.valid and result.created == 1, result.errors
    created = Initiative.objects.get(sort_title="brand new")
    assert created.status == Status.DRAFT and created.created_by == roles.registered
    assert created.planned_start == datetime.date(2025, 1, 1)
    result = run("initiative", csv_bytes(rows[1:]), roles.publisher_x)
    assert result.valid and result.updated == 1, result.errors
    record.refresh_from_db()
    assert record.title == {"en": "Only the title"} and record.budget == Decimal("500")
    assert record.country_shares.count() == 2


@pytest.mark.django_db
def test_dry_run_previews_and_writes_nothing(roles):
    record = initiative(roles)
    rows = csv_rows(export_bytes("initiative", roles.publisher_x))
    rows[0]["budget"] = "2500"
    rows.append({**rows[0], "id": "", "title_en": "Another"})
    before = (versions(), Initiative.objects.count())
    result = run("initiative", csv_bytes(rows), roles.publisher_x, dry_run=True)
    assert result.valid and (result.updated, result.created) == (1, 1)
    assert result.rows[0]["changes"] == [{"column": "budget", "before": "", "after": "2500"}]
    assert result.rows[1]["action"] == "create" and result.rows[1]["title"] == "Another"
    assert (versions(), Initiative.objects.count()) == before
    assert Initiative.objects.get(pk=record.pk).budget is None


@pytest.mark.django_db
def test_invalid_rows_are_reported_by_row_and_column_and_nothing_is_written(roles):
    initiative(roles)
    rows = csv_rows(export_bytes("initiative", roles.admin))
    good = {**rows[0], "id": "", "title_en": "Valid new row"}
    rows[0]["planned_end"] = "2020-01-01"  # before the planned start
    bad_shares = {**rows[0], "id": "", "planned_end": "", "countries": "KE:60;CO:30"}
    bad_country = {**rows[0], "id": "", "planned_end": "", "countries": "XX"}
    bad_bool_and_date = {**rows[0], "id": "", "planned_end": "", "planned_start": "not a date"}
    before = (versions(), Initiative.objects.count())
    result = run(
        "initiative", csv_bytes([rows[0], good, bad_shares, bad_country, bad_bool_and_date]), roles.admin
    )
    assert not result.valid
    found = {(e["row"], e["column"]) for e in result.errors}
    assert (2, "planned_end") in found
    assert (4, "countries") in found
    assert (5, "countries") in found
    assert (6, "planned_start") in found
    assert 3 not in {e["row"] for e in result.errors}
    messages = {(e["row"], e["column"]): e["message"] for e in result.errors}
    assert "before the planned start" in messages[(2, "planned_end")]
    assert "add up to 90" in messages[(4, "countries")]
    assert "XX" in messages[(5, "countries")]
    assert (versions(), Initiative.objects.count()) == before


@pytest.mark.django_db
def test_errors_are_in_the_users_language(roles):
    initiative(roles)
    rows = csv_rows(export_bytes("initiative", roles.admin))
    rows[0]["countries"] = "XX"
    with translation.override("fr"):
        result = run("initiative", csv_bytes(rows), roles.admin)
    assert result.errors[0]["column"] == "countries"
    assert result.errors[0]["message"] != "Unknown country: XX."


@pytest.mark.django_db
def test_file_level_problems_are_clear_errors(roles, settings):
    initiative(roles)
    rows = csv_rows(export_bytes("initiative", roles.admin))
    cases = {
        "unknown column": (csv_bytes([{**rows[0], "colour": "red"}]), "colour"),
        "empty": (b"", "empty"),
        "header only": (b"id,title_en\r\n", "no rows"),
        "duplicate id": (csv_bytes([rows[0], rows[0]]), "also in row 2"),
        "bad json": (b"[{]", "not valid JSON"),
        "json not a list": (b'{"id": 1}', "array"),
        "binary": (b"\x00\x01\x02garbage", "not text"),
        "bad xlsx": (b"PK\x03\x04 not really a zip", "XLSX"),
        "long layout": (export_bytes("initiative", roles.admin, layout="long"), "long layout"),
    }
    for label, (data, expected) in cases.items():
        name = {"bad json": "f.json", "json not a list": "f.json", "bad xlsx": "f.xlsx"}.get(label, "f.csv")
        result = run("initiative", data, roles.admin, name=name)
        assert not result.valid, label
        assert any(expected.lower() in e["message"].lower() for e in result.errors), (label, result.errors)
    settings.IMPORT_MAX_ROWS = 1
    result = run("initiative", csv_bytes([rows[0], {**rows[0], "id": ""}]), roles.admin)
    assert "more than 1 rows" in result.errors[0]["message"]


@pytest.mark.django_db
def test_semicolons_and_windows_1252_are_read_with_a_notice(roles):
    record = make_record("need", country=roles.country_a, actor=roles.author_a, status=Status.DRAFT)
    rows = csv_rows(export_bytes("need", roles.author_a))
    rows[0]["title_fr"] = "Évaluation des risques — formation"
    rows[0]["title_en"] = "Risk assessment training"
    data = csv_bytes(rows, delimiter=";", encoding="cp1252")
    result = run("need", data, roles.author_a)
    assert result.valid, result.errors
    assert result.notices and "Windows-1252" in result.notices[0]
    record.refresh_from_db()
    assert record.title["fr"] == "Évaluation des risques — formation"
    # Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated.
    rows[0]["title_fr"], rows[0]["revision"] = "Évaluation, deuxième édition", str(record.revision)
    result = run("need", csv_bytes(rows, delimiter="\t", encoding="utf-16"), roles.author_a, name="needs.txt")
    assert result.valid and not result.notices, result.errors
    record.refresh_from_db()
    assert record.title["fr"] == "Évaluation, deuxième édition"


@pytest.mark.django_db
def test_an_xlsx_bomb_is_refused_before_it_is_opened(roles):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (5 * 1024 * 1024))
    result = run("initiative", packed.getvalue(), roles.admin, name="bomb.xlsx")
    assert not result.valid and "expands" in result.errors[0]["message"]


@pytest.mark.django_db
def test_a_huge_xlsx_is_refused_by_its_row_count(roles, settings):
    settings.IMPORT_MAX_ROWS = 3
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id", "title_en"])
    for n in range(5):
        sheet.append(["", "Row {}".format(n)])
    data = io.BytesIO()
    workbook.save(data)
    result = run("initiative", data.getvalue(), roles.admin, name="big.xlsx")
    assert "more than 3 rows" in result.errors[0]["message"]


@pytest.mark.django_db
def test_out_of_scope_rows_are_refused(roles):
    record = initiative(roles)
    rows = csv_rows(export_bytes("initiative", roles.publisher_y))
    rows[0]["title_en"] = "Taken over"
    result = run("initiative", csv_bytes(rows), roles.publisher_y)
    assert not result.valid
    assert result.errors[0]["row"] == 2 and result.errors[0]["column"] == "id"
    assert str(record.pk) in result.errors[0]["message"]
    # A national user creates records for their own country only.
    need_rows = [{"id": "", "title_en": "Not mine", "country": "CO", "thematic_areas": "risk-assessment"}]
    result = run("need", csv_bytes(need_rows), roles.author_a)
    assert [(e["row"], e["column"]) for e in result.errors] == [(2, "country")]
    assert not Need.objects.filter(sort_title="not mine").exists()
    # Unchanged rows of records the user may not edit are fine: an exported list imports cleanly.
    assert run("initiative", export_bytes("initiative", roles.publisher_y), roles.publisher_y).valid


@pytest.mark.django_db
def test_a_row_changed_by_someone_else_since_the_export_is_a_conflict(roles):
    record = initiative(roles)
    rows = csv_rows(export_bytes("initiative", roles.publisher_x))
    record.title = {"en": "Changed meanwhile"}
    services.record_save(record=record, actor=roles.publisher_x)
    rows[0]["budget"] = "99"
    result = run("initiative", csv_bytes(rows), roles.publisher_x)
    assert [e["column"] for e in result.errors] == ["revision"]


@pytest.mark.django_db
def test_import_pages_check_then_apply(client, roles):
    initiative(roles)
    url = reverse("imports:initiative_import")
    assert client.get(url).status_code == 302
    client.force_login(roles.registered)
    assert client.get(reverse("imports:need_import")).status_code == 403  # no country to add needs for
    client.force_login(roles.publisher_x)
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("registry:initiative_list")).content.decode()
    rows = csv_rows(export_bytes("initiative", roles.publisher_x))
    rows[0]["title_en"] = "Renamed on the page"
    upload = SimpleUploadedFile("initiatives.csv", csv_bytes(rows), content_type="text/csv")
    response = client.post(url, {"file": upload, "dry_run": "on"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:job", args=[job.pk])
    assert job.status == ImportJob.Status.CHECKED and job.updated_count == 1
    page = client.get(response["Location"]).content.decode()
    assert "Renamed on the page" in page and 'http-equiv="refresh"' not in page
    assert not Initiative.objects.filter(sort_title="renamed on the page").exists()
    client.post(reverse("imports:job_apply", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTED and not job.file
    assert Initiative.objects.filter(sort_title="renamed on the page").exists()
    client.force_login(roles.publisher_y)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_bad_upload_is_an_error_on_the_form(client, roles):
    client.force_login(roles.publisher_x)
    upload = SimpleUploadedFile("x.csv", b"id,colour\r\n1,red\r\n")
    response = client.post(reverse("imports:initiative_import"), {"file": upload, "dry_run": "on"})
    assert response.status_code == 400 and "colour" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_long_imports_run_as_background_tasks(client, roles, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_INLINE_ROWS = 0
    initiative(roles)
    rows = csv_rows(export_bytes("initiative", roles.publisher_x))
    rows[0]["title_en"] = "Renamed in the background"
    client.force_login(roles.publisher_x)
    upload = SimpleUploadedFile("initiatives.csv", csv_bytes(rows))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:initiative_import"), {"file": upload})  # dry run unchecked
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.IMPORTED and job.rows_done == job.rows_total == 1
    assert Initiative.objects.filter(sort_title="renamed in the background").exists()


@pytest.mark.django_db
def test_progress_page_refreshes_itself_while_the_job_runs(client, roles):
    job = ImportJob.objects.create(
        record_type="initiative", user=roles.publisher_x, filename="f.csv", rows_total=10, rows_done=4
    )
    client.force_login(roles.publisher_x)
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress id="import-progress" max="10" value="4">' in page


@pytest.mark.django_db
def test_import_command(roles, tmp_path):
    record = initiative(roles)
    rows = csv_rows(export_bytes("initiative", None))
    rows[0]["title_en"] = "Renamed by command"
    path = tmp_path / "initiatives.csv"
    path.write_bytes(csv_bytes(rows))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_records", "initiative", str(path), "--dry-run", stdout=out, stderr=err)
    assert "1 updated" in out.getvalue() and "100%" in err.getvalue()
    assert Initiative.objects.get(pk=record.pk).title["en"] != "Renamed by command"
    call_command("import_records", "initiative", str(path), "--format", "csv", stdout=out, stderr=err)
    assert Initiative.objects.get(pk=record.pk).title["en"] == "Renamed by command"
    rows[0]["countries"] = "XX"
    path.write_bytes(csv_bytes(rows))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_records", "initiative", str(path), "--user", "publisher_y", stdout=out, stderr=err
        )
    assert "row 2, column countries" in err.getvalue()


@pytest.mark.django_db
def test_json_import_accepts_lists_for_multiple_values(roles):
    data = json.dumps(
        [
            {
                "title_en": "From JSON",
                "country": "KE",
                "thematic_areas": ["risk-assessment", "risk-management"],
                "priority": "HIGH",
            }
        ]
    ).encode()
    result = run("need", data, roles.author_a, name="needs.json")
    assert result.valid, result.errors
    need = Need.objects.get(sort_title="from json")
    assert need.priority == "high" and need.country == Country.objects.get(iso2="KE")
    assert {t.code for t in need.thematic_areas.all()} == {"risk-assessment", "risk-management"}
    assert term("thematic-areas", "risk-management")


@pytest.mark.django_db
def test_cells_rewritten_by_a_spreadsheet_change_nothing(roles):
    initiative(roles, budget=Decimal("1000"))
    rows = csv_rows(export_bytes("initiative", roles.publisher_x))
    rows[0].update(currency="usd", planned_start="01/01/2024", budget="1000.0", geographic_scope="NATIONAL")
    before = versions()
    result = run("initiative", csv_bytes(rows), roles.publisher_x)
    assert result.valid and result.unchanged == 1, (result.errors, result.rows)
    assert versions() == before


@pytest.mark.django_db
def test_an_unexpected_failure_marks_the_job_failed_instead_of_crashing(roles):
    job = ImportJob.objects.create(
        record_type="initiative", user=roles.admin, filename="gone.csv", rows_total=1
    )
    imports.import_job_run(job_id=job.pk)  # its file is missing
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "nothing was written" in job.errors[0]["message"]
    imports.import_job_run(job_id=job.pk)  # a job runs once
    assert ImportJob.objects.get(pk=job.pk).finished_at == job.finished_at
