"""The read-only reference endpoints (countries, vocabularies) and the organizations' API."""

import pytest
from rest_framework.test import APIClient

from capacityhub.reference.models import Country, Term


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.django_db
def test_countries_list_and_lookup_by_iso2(api):
    data = api.get("/api/countries/", {"page_size": 300}).json()
    assert data["count"] == Country.objects.count() == len(data["results"])
    kenya = api.get("/api/countries/ke/").json()
    assert kenya["iso2"] == "KE" and kenya["iso3"] == "KEN"
    assert kenya["names"] == {"en": "Kenya", "es": "Kenia", "fr": "Kenya"}
    assert "cbd-africa" in kenya["regions"]
    assert kenya["url"].endswith("/api/countries/KE/")
    assert api.get("/api/countries/KE/", {"lang": "es"}).json()["name"] == "Kenia"
    assert api.get("/api/countries/KE/", HTTP_ACCEPT_LANGUAGE="es").json()["name"] == "Kenia"
    assert api.get("/api/countries/QQ/").status_code == 404


@pytest.mark.django_db
def test_countries_filters(api):
    def codes(**params):
        return {
            row["iso2"] for row in api.get("/api/countries/", {**params, "page_size": 300}).json()["results"]
        }

    africa = codes(region="cbd-africa")
    assert "KE" in africa and "CO" not in africa
    assert codes(region="cbd-africa,cbd-grulac") >= {"KE", "CO"}
    assert codes(q="kenia") == {"KE"}
    assert "KE" in codes(q="ken")
    assert codes(q="COL") >= {"CO"}


@pytest.mark.django_db
def test_countries_are_read_only(roles):
    api = APIClient()
    api.force_authenticate(roles.admin)
    assert api.post("/api/countries/", {"iso2": "XX"}, format="json").status_code == 405
    assert api.patch("/api/countries/KE/", {"iso3": "XXX"}, format="json").status_code == 405
    assert api.delete("/api/countries/KE/").status_code == 405


@pytest.mark.django_db
def test_vocabularies_with_their_terms(api):
    listing = api.get("/api/vocabularies/").json()
    assert "thematic-areas" in {row["code"] for row in listing["results"]}
    data = api.get("/api/vocabularies/organization-roles/", {"lang": "fr"}).json()
    assert data["name"]["en"] == "Organization roles" and data["name_text"] == data["name"]["fr"]
    funding = next(term for term in data["terms"] if term["code"] == "funding")
    assert funding["iati_code"] == "1" and funding["label"]["es"] == "Financiación"
    assert funding["label_text"] == "Financement"
    assert set(funding) >= {"code", "label", "identifier", "iati_code", "active", "position"}
    assert len(data["terms"]) == Term.objects.filter(vocabulary__code="organization-roles").count()
    assert "label_text" not in api.get("/api/vocabularies/organization-roles/").json()["terms"][0]
    assert api.get("/api/vocabularies/no-such-thing/").status_code == 404


@pytest.mark.django_db
def test_organization_merge_fields_are_read_only(roles):
    api = APIClient()
    api.force_authenticate(roles.publisher_x)
    url = "/api/organizations/{}/".format(roles.org_x.pk)
    response = api.patch(
        url, {"acronym": "OX", "aliases": ["Other"], "merged_into": roles.org_y.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["acronym"] == "OX" and data["aliases"] == [] and data["merged_into"] is None
    assert data["display"] == "Organization X (OX)"
