"""The API of the shared records beyond the generic tests: an initiative's nested rows (countries and regions
with percentages, organizations with roles), vocabulary codes, dates, resource files and experts' CVs."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from capacityhub.core.choices import Status
from capacityhub.core.models import Version
from capacityhub.core.testing.factories import make_record
from capacityhub.registry.models import Expert, Initiative, ResourceFile


def client_for(user=None):
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION="Token {}".format(token.key))
    return client


def initiative(roles, **changes):
    body = {
        "original_language": "en",
        "title": {"en": "Biosafety regulators network", "fr": "Réseau des régulateurs"},
        "publisher": roles.org_x.pk,
        "activity_status": "implementation",
        "geographic_scope": "regional",
        "currency": "eur",
        "budget": "250000.00",
        "thematic_areas": ["risk-assessment"],
        "planned_start": "2025-01-01",
        "planned_end": "2026-06-30",
        "countries": [{"country": "KE", "percentage": 60}, {"country": "ug", "percentage": 40}],
        "regions": [{"region": "cbd-africa"}],
        "organizations": [
            {"organization": roles.org_x.pk, "role": "implementing"},
            {"organization": roles.org_y.pk, "role": "funding"},
        ],
        "links": [{"url": "https://example.org/report.pdf", "name": "Report"}],
    }
    body.update(changes)
    return body


@pytest.mark.django_db
def test_initiative_with_nested_rows_round_trips(roles):
    api = client_for(roles.publisher_x)
    response = api.post("/api/initiatives/", initiative(roles), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["countries"] == [{"country": "KE", "percentage": 60.0}, {"country": "UG", "percentage": 40.0}]
    assert data["regions"] == [{"region": "cbd-africa", "percentage": None}]
    assert {(row["organization"], row["role"]) for row in data["organizations"]} == {
        (roles.org_x.pk, "implementing"),
        (roles.org_y.pk, "funding"),
    }
    assert data["currency"] == "EUR" and data["budget"] == "250000.00"
    assert data["links"] == [{"url": "https://example.org/report.pdf", "name": "Report"}]
    record = Initiative.objects.get(pk=data["id"])
    assert sorted(record.countries.values_list("iso2", flat=True)) == ["KE", "UG"]
    version = Version.objects.get(
        content_type=ContentType.objects.get_for_model(Initiative), object_id=record.pk
    )
    assert len(version.data["countries"]) == 2 and len(version.data["organizations"]) == 2
    # the related names are indexed for search: Uganda finds it
    found = api.get("/api/initiatives/", {"q": "Uganda", "workflow": "draft"}).json()
    assert [row["id"] for row in found["results"]] == [record.pk]
    # PUT what was read: nothing changes but the revision
    again = api.put("/api/initiatives/{}/".format(record.pk), data, format="json")
    assert again.status_code == 200, again.content
    same = again.json()
    for key in ("countries", "regions", "organizations", "title", "thematic_areas", "links", "budget"):
        assert same[key] == data[key], key
    assert same["revision"] == data["revision"] + 1


@pytest.mark.django_db
def test_lists_left_out_are_kept_and_lists_given_replace(roles):
    api = client_for(roles.publisher_x)
    pk = api.post("/api/initiatives/", initiative(roles), format="json").json()["id"]
    url = "/api/initiatives/{}/".format(pk)
    kept = api.patch(url, {"title": {"en": "Renamed"}}, format="json").json()
    assert len(kept["countries"]) == 2 and len(kept["organizations"]) == 2
    replaced = api.patch(url, {"countries": [{"country": "CO"}], "regions": []}, format="json")
    assert replaced.status_code == 200
    assert replaced.json()["countries"] == [{"country": "CO", "percentage": None}]
    assert replaced.json()["regions"] == []
    assert list(Initiative.objects.get(pk=pk).countries.values_list("iso2", flat=True)) == ["CO"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"countries": [{"country": "KE", "percentage": 60}, {"country": "UG", "percentage": 30}]},
            "countries",
        ),
        ({"countries": [{"country": "KE", "percentage": 60}, {"country": "UG"}]}, "countries"),
        ({"countries": [{"country": "KE"}, {"country": "KE"}]}, "countries"),
        ({"countries": [{"country": "XX"}]}, "countries"),
        ({"countries": [{"country": "KE", "percentage": 120}]}, "countries"),
        ({"regions": [{"region": "cbd-africa", "percentage": 50}]}, "regions"),
        ({"regions": [{"region": "atlantis"}]}, "regions"),
        ({"organizations": [{"organization": 1, "role": "implementing"}] * 2}, "organizations"),
        ({"organizations": [{"organization": 999999, "role": "implementing"}]}, "organizations"),
        ({"organizations": [{"organization": 1, "role": "risk-assessment"}]}, "organizations"),
        ({"thematic_areas": ["implementation"]}, "thematic_areas"),
        ({"thematic_areas": []}, "thematic_areas"),
        ({"activity_status": "workshop"}, "activity_status"),
        ({"planned_start": "2026-01-01", "planned_end": "2025-01-01"}, "planned_end"),
        ({"currency": "XYZ"}, "currency"),
        ({"links": [{"url": "not a url"}]}, "links"),
        ({"title": {}}, "title"),
    ],
)
def test_invalid_initiative_is_refused_naming_the_field(roles, changes, field):
    if "organizations" in changes:
        changes = {
            "organizations": [
                {**row, "organization": row["organization"] if row["organization"] != 1 else roles.org_x.pk}
                for row in changes["organizations"]
            ]
        }
    response = client_for(roles.publisher_x).post(
        "/api/initiatives/", initiative(roles, **changes), format="json"
    )
    assert response.status_code == 400, response.content
    assert set(response.json()) == {field}
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_percentage_error_says_the_total(roles):
    body = initiative(
        roles, countries=[{"country": "KE", "percentage": 60}, {"country": "UG", "percentage": 30}]
    )
    response = client_for(roles.publisher_x).post("/api/initiatives/", body, format="json")
    assert response.json() == {"countries": ["The percentages add up to 90; they must add up to 100."]}


@pytest.mark.django_db
def test_date_order_checked_against_the_stored_dates_on_patch(roles):
    api = client_for(roles.publisher_x)
    pk = api.post("/api/initiatives/", initiative(roles), format="json").json()["id"]
    response = api.patch("/api/initiatives/{}/".format(pk), {"planned_end": "2024-12-31"}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"planned_end"}


@pytest.mark.django_db
def test_resource_files_are_listed_with_download_addresses(client, roles):
    resource = make_record("resource", organization=roles.org_x)
    ResourceFile.objects.create(
        resource=resource,
        language="fr",
        file=ContentFile(b"%PDF-1.4 test", name="guide.pdf"),
        content_type="application/pdf",
        size=13,
        sha256="0" * 64,
    )
    data = client_for().get("/api/resources/{}/".format(resource.pk)).json()
    assert len(data["files"]) == 1
    item = data["files"][0]
    assert item["language"] == "fr" and item["filename"].endswith(".pdf") and item["size"] == 13
    assert client.get(item["download_url"]).status_code == 200
    body = {"files": [{"language": "en"}], "title": {"en": "Renamed"}}
    assert (
        client_for(roles.publisher_x)
        .patch("/api/resources/{}/".format(resource.pk), body, format="json")
        .json()["files"]
        == data["files"]
    )


@pytest.mark.django_db
def test_expert_cv_address_for_signed_in_users_only(roles):
    expert = make_record("expert", country=roles.country_a, email="expert@example.org")
    Expert.objects.filter(pk=expert.pk).update(cv="experts/1/cv.pdf")
    path = "/api/experts/{}/".format(expert.pk)
    assert "cv_url" not in client_for().get(path).json()
    assert (
        client_for(roles.registered).get(path).json()["cv_url"].endswith("/experts/{}/cv/".format(expert.pk))
    )
    make_record("expert", country=roles.country_a)
    listed = client_for(roles.registered).get("/api/experts/").json()["results"]
    assert {row["cv_url"] is None for row in listed} == {True, False}


@pytest.mark.django_db
def test_opportunity_codes(roles):
    body = {
        "title": {"en": "Summer school"},
        "kind": "workshop",
        "publisher": roles.org_x.pk,
        "thematic_areas": ["risk-assessment"],
        "country": "KE",
        "eligible_countries": ["UG", "TZ"],
        "eligible_regions": ["cbd-africa"],
        "languages": ["en", "fr"],
        "start_date": "2025-07-01",
        "end_date": "2025-07-10",
    }
    api = client_for(roles.publisher_x)
    response = api.post("/api/opportunities/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert sorted(data["eligible_countries"]) == ["TZ", "UG"] and data["eligible_regions"] == ["cbd-africa"]
    assert data["languages"] == ["en", "fr"] and data["country"] == "KE"
    bad = api.post(
        "/api/opportunities/", {**body, "languages": ["xx"], "end_date": "2025-06-01"}, format="json"
    )
    assert bad.status_code == 400 and set(bad.json()) == {"languages"}
    bad = api.post("/api/opportunities/", {**body, "end_date": "2025-06-01"}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"end_date"}


@pytest.mark.django_db
def test_status_cannot_be_set_by_writing_it(roles):
    api = client_for(roles.publisher_x)
    response = api.post("/api/initiatives/", initiative(roles, status="published"), format="json")
    assert response.status_code == 201 and response.json()["status"] == Status.DRAFT
