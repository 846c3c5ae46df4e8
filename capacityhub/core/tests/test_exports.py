"""List exports: the column convention, filters and visibility as on the page, every record type in every
format, the long layout's budget split, and the export command."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from capacityhub.core import exports, services
from capacityhub.core.choices import Status
from capacityhub.core.registry import registry
from capacityhub.core.testing.cases import CASES
from capacityhub.core.testing.factories import make_record, term
from capacityhub.reference.models import Country
from capacityhub.registry.models import Initiative, InitiativeCountry, Participation


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English; a request in another language must not leak into the next test."""
    with translation.override("en"):
        yield


def url(key, format, **query):
    rt = registry[key]
    address = reverse(rt.url_name("export"), kwargs={"format": format})
    return address + ("?" + "&".join("{}={}".format(k, v) for k, v in query.items()) if query else "")


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows_of(response, format):
    data = body(response)
    if format == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    if format == "json":
        return json.loads(data)
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=False)) for row in values[1:]]


def initiative(
    roles, countries, areas=("risk-assessment",), budget=None, title=None, status=Status.PUBLISHED
):
    """An initiative of organization X with ``countries`` = {iso2: percentage or None}."""
    record = make_record("initiative", organization=roles.org_x, title=title, status=status, budget=budget)

    def related(saved):
        InitiativeCountry.objects.filter(initiative=saved).delete()
        for iso2, percentage in countries.items():
            InitiativeCountry.objects.create(
                initiative=saved, country=Country.objects.get(iso2=iso2), percentage=percentage
            )
        saved.thematic_areas.set([term("thematic-areas", code) for code in areas])

    return services.record_save(record=record, actor=None, save_related=related)


@pytest.mark.django_db
def test_columns_codes_and_labels_in_the_users_language(client, roles):
    record = initiative(roles, {"KE": 60, "CO": 40}, areas=("risk-assessment", "risk-management"))
    Participation.objects.create(
        initiative=record, organization=roles.org_y, role=term("organization-roles", "funding")
    )
    response = client.get("/es" + url("initiative", "csv")[3:])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="initiatives-' in response["Content-Disposition"]
    [row] = rows_of(response, "csv")
    cols = list(row)
    assert cols[0] == "id" and cols[-5:] == list(exports.READ_ONLY_COLUMNS)
    assert {"title_en", "title_es", "title_fr", "title_ar", "title_zh", "title_ru"} <= set(cols)
    assert cols.index("countries_label") == cols.index("countries") + 1
    assert row["id"] == str(record.pk) and row["title_en"] == record.title["en"]
    assert row["countries"] == "CO:40;KE:60" and row["countries_label"] == "Colombia;Kenia"
    assert row["thematic_areas"] == "risk-assessment;risk-management"
    assert row["organizations"] == "{}:implementing;{}:funding".format(roles.org_x.pk, roles.org_y.pk)
    assert row["activity_status"] == "implementation" and row["activity_status_label"] != "Implementation"
    assert row["planned_start"] == "2024-01-01" and row["status"] == "published"
    assert row["publisher"] == str(roles.org_x.pk) and row["publisher_label"] == "Organization X"


@pytest.mark.django_db
@pytest.mark.parametrize("format", exports.FORMATS)
def test_exports_are_filtered_like_the_list_and_never_leak_drafts(client, roles, format):
    kenya = initiative(roles, {"KE": None}, title="Kenyan published")
    initiative(roles, {"CO": None}, title="Colombian published")
    draft = make_record("initiative", organization=roles.org_x, status=Status.DRAFT, title="Draft of X")
    for user, sees_draft in [(None, False), (roles.publisher_y, False), (roles.publisher_x, True)]:
        client.logout()
        if user:
            client.force_login(user)
        titles = {row["title_en"] for row in rows_of(client.get(url("initiative", format)), format)}
        assert {"Kenyan published", "Colombian published"} <= titles
        assert ("Draft of X" in titles) is sees_draft, user
    client.logout()
    filtered = rows_of(client.get(url("initiative", format, country="KE", sort="title")), format)
    assert [row["id"] for row in filtered] in ([kenya.pk], [str(kenya.pk)])
    assert draft.pk not in {
        row["id"] for row in rows_of(client.get(url("initiative", format, workflow="draft")), format)
    }


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(CASES))
def test_every_record_type_exports_in_every_format(client, roles, key):
    case = CASES[key]
    record = make_record(key, status=Status.PUBLISHED, **case.scope_kwargs(roles))
    for format in exports.FORMATS:
        response = client.get(url(key, format))
        assert response.status_code == 200 and response["Content-Type"] == exports.CONTENT_TYPES[format]
        rows = rows_of(response, format)
        assert str(record.pk) in {str(row["id"]) for row in rows}
        assert list(rows[0]) == exports.columns(registry[key], AnonymousUser())


@pytest.mark.django_db
def test_exports_do_not_query_per_record(client, roles):
    initiative(roles, {"KE": 50, "CO": 50})

    def count():
        with CaptureQueriesContext(connection) as queries:
            body(client.get(url("initiative", "csv")))
        return len(queries)

    few = count()
    for n in range(4):
        initiative(roles, {"KE": 50, "UG": 50}, title="More {}".format(n))
    assert count() == few


@pytest.mark.django_db
def test_private_columns_only_for_signed_in_users(client, roles):
    make_record("expert", country=roles.country_a, email="expert@example.org")
    anonymous = rows_of(client.get(url("expert", "csv")), "csv")
    assert "email" not in anonymous[0]
    client.force_login(roles.registered)
    assert rows_of(client.get(url("expert", "csv")), "csv")[0]["email"] == "expert@example.org"


@pytest.mark.django_db
def test_xlsx_cells_are_typed_and_formulas_stay_text(client, roles):
    initiative(roles, {"KE": None}, budget=Decimal("1500.25"), title="=1+1")
    data = body(client.get(url("initiative", "xlsx")))
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=False)}
    assert row["title_en"].value == "=1+1" and row["title_en"].data_type == "s"
    assert row["budget"].value == 1500.25
    assert row["planned_start"].value == datetime.datetime(2024, 1, 1)
    csv_row = rows_of(client.get(url("initiative", "csv")), "csv")[0]
    assert csv_row["title_en"] == "'=1+1"


@pytest.mark.django_db
def test_long_layout_splits_budgets_by_country_and_area(client, roles):
    shared = initiative(
        roles, {"KE": 60, "CO": 40}, areas=("risk-assessment", "risk-management"), budget=Decimal("1000")
    )
    equal = initiative(roles, {"KE": None, "CO": None, "UG": None}, budget=Decimal("100"))
    nowhere = initiative(roles, {}, areas=(), budget=Decimal("50"))
    rows = rows_of(client.get(url("initiative", "csv", layout="long")), "csv")
    assert list(rows[0]) == exports.LONG_COLUMNS
    split = {(int(r["initiative_id"]), r["country"], r["area"]): r for r in rows}
    assert {k[1:]: v["budget_share"] for k, v in split.items() if k[0] == shared.pk} == {
        ("CO", "risk-assessment"): "200.00",
        ("CO", "risk-management"): "200.00",
        ("KE", "risk-assessment"): "300.00",
        ("KE", "risk-management"): "300.00",
    }
    ke = split[(shared.pk, "KE", "risk-management")]
    assert (ke["country_percentage"], ke["area_percentage"], ke["budget"]) == ("60.00", "50.00", "1000.00")
    assert {k[1]: v["budget_share"] for k, v in split.items() if k[0] == equal.pk} == {
        "CO": "33.33",
        "KE": "33.33",
        "UG": "33.33",
    }
    assert split[(equal.pk, "KE", "risk-assessment")]["country_percentage"] == "33.33"
    assert split[(nowhere.pk, "", "")]["budget_share"] == "50.00"
    assert client.get(url("need", "csv", layout="long")).status_code == 400


@pytest.mark.django_db
def test_list_page_links_to_its_downloads_with_its_filters(client, roles):
    page = client.get(reverse("registry:initiative_list") + "?country=KE&q=seed").content.decode()
    assert url("initiative", "csv") + "?country=KE&amp;q=seed" in page
    assert url("initiative", "xlsx") + "?country=KE&amp;q=seed" in page
    assert url("initiative", "json") + "?country=KE&amp;q=seed" in page
    assert url("initiative", "csv") + "?layout=long&amp;country=KE&amp;q=seed" in page
    assert reverse("imports:initiative_import") not in page  # anonymous users may not add
    assert client.get(reverse("registry:initiative_list").rstrip("/") + "/export.pdf").status_code == 404


@pytest.mark.django_db
def test_export_command(roles, tmp_path):
    initiative(roles, {"KE": None}, title="Kenyan")
    initiative(roles, {"CO": None}, title="Colombian")
    make_record("initiative", organization=roles.org_x, status=Status.DRAFT, title="A draft")
    out = io.StringIO()
    call_command("export_records", "initiative", "--filter", "country=KE", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert [r["title_en"] for r in rows] == ["Kenyan"]
    target = tmp_path / "all.json"
    call_command("export_records", "initiative", "--format", "json", "--all", "--output", str(target))
    assert {r["title_en"] for r in json.loads(target.read_text())} == {"Kenyan", "Colombian", "A draft"}
    target = tmp_path / "long.xlsx"
    call_command(
        "export_records", "initiative", "--format", "xlsx", "--layout", "long", "--language", "es",
        "--output", str(target),
    )  # fmt: skip
    sheet = load_workbook(target).worksheets[0]
    assert sheet["A1"].value == "initiative_id" and sheet.max_row == 3
    assert Initiative.objects.count() == 3
    with pytest.raises(CommandError):
        call_command("export_records", "need", "--layout", "long", stdout=io.StringIO())


@pytest.mark.django_db
def test_api_list_export_is_the_pages_export_with_token_auth(client, roles):
    """``/api/<type>/export/csv/`` gives the same file as the list page, for the token's user."""
    from rest_framework.authtoken.models import Token

    from capacityhub.core.choices import Status
    from capacityhub.core.testing.factories import make_record

    make_record("need", country=roles.country_a, status=Status.PUBLISHED, title="Public need for export")
    make_record("need", country=roles.country_a, status=Status.DRAFT, title="Draft need for export")
    response = client.get("/api/needs/export/csv/?country=KE")
    assert response.status_code == 200, response
    anonymous = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Public need for export" in anonymous and "Draft need for export" not in anonymous
    token = Token.objects.create(user=roles.focal_a)
    response = client.get("/api/needs/export/csv/", HTTP_AUTHORIZATION="Token {}".format(token.key))
    assert response.status_code == 200
    assert "Draft need for export" in b"".join(response.streaming_content).decode("utf-8-sig")
    page = client.get("/en/needs/export.json?country=KE")
    api = client.get("/api/needs/export/json/?country=KE")
    assert b"".join(page.streaming_content) == b"".join(api.streaming_content)
