"""The pages and the API, through HTTP: what they show, to whom, and that they agree."""

import pytest
from django.core.management import call_command

from capacityhub.coordination import matching
from capacityhub.coordination.models import OverlapPair, PairReview
from capacityhub.core.choices import Status
from capacityhub.core.testing.factories import make_record

from .conftest import make_initiative

pytestmark = [pytest.mark.django_db, pytest.mark.urls("capacityhub.coordination.tests.urls")]


def test_coverage_page_heat_map_with_drill_down(client, fixed, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        response = client.get("/en/coordination/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kenya" in html and "African Group" in html
    assert "cell_country=KE&amp;cell_area=risk-assessment" in html
    cell = client.get("/en/coordination/cell/?cell_country=KE&cell_area=risk-assessment").content.decode()
    assert (
        "RA and detection in Kenya" in cell
        and "RA Kenya and region" in cell
        and "Planned RA Kenya Uganda" in cell
    )
    assert "Draft RA Kenya" not in cell and "Closed RA Kenya" not in cell
    regional = client.get(
        "/en/coordination/cell/?cell_country=UG&cell_area=public-awareness"
    ).content.decode()
    assert "Awareness in East Africa" in regional and "Awareness need Uganda" in regional


def test_coverage_exports_and_filters(client, fixed):
    csv = client.get("/en/coordination/?format=csv").content.decode()
    assert "Kenya,KE,risk-assessment,2,1," in csv
    assert "Draft" not in csv
    filtered = client.get("/en/coordination/?status=planned&format=csv").content.decode()
    assert "Kenya,KE,risk-assessment,0,1," in filtered
    assert (
        client.get(
            "/en/coordination/?metric=funding&region=cbd-africa&group=ldc&start=2020&end=2030"
        ).status_code
        == 200
    )


def test_map_and_charts(client, fixed):
    page = client.get("/en/coordination/map/").content.decode()
    assert "<svg" in page and 'href="/en/coordination/?country=KE&amp;metric=initiatives"' in page
    charts = client.get("/en/coordination/charts/").content.decode()
    assert "By implementer" in charts and "Organization X" in charts and "<table>" in charts
    export = client.get("/en/coordination/charts/?export=implementer").content.decode()
    # Org X implements i1, i2, i3, i4, i7: 1000 + 3000 + 1800 + 500 + 100 US dollars.
    assert export.splitlines()[1] == "Organization X,5,6400.0"
    years = client.get("/en/coordination/charts/?export=year").content.decode().splitlines()
    assert years[1].startswith("2024,5,")


def test_gaps_page_and_api(client, fixed):
    html = client.get("/en/coordination/gaps/").content.decode()
    assert html.index("RA need Colombia") < html.index("Socioeconomic need Kenya")
    assert "Draft socioeconomic need" not in html and "Awareness need Uganda" not in html
    data = client.get("/api/coordination/gaps/").json()
    assert [r["id"] for r in data["results"]] == [fixed.n3.pk, fixed.n5.pk]
    assert data["results"][0]["uncovered_areas"] == ["risk-assessment"]


def test_coverage_api_agrees_with_the_page(client, fixed):
    data = client.get("/api/coordination/coverage/?country=KE").json()
    kenya = data["countries"][0]
    ra = next(c for c in kenya["cells"] if c["area"] == "risk-assessment")
    assert (ra["active"], ra["planned"], ra["open_needs"]) == (2, 1, 1)
    assert ra["funding_usd"] == pytest.approx(500 + 2250 + 50 + 50 / fixed.east_africa, abs=0.01)
    assert data["initiatives"] == 5


def test_matchmaking_for_a_need_an_organization_and_a_country(client, fixed):
    expert = make_record("expert", country=fixed.cast.country_a, title="Dr Risk")
    opportunity = make_record("opportunity", title="Course on risk assessment")
    other = make_initiative("Org Y in Kenya", publisher=fixed.cast.org_y, countries=["KE"])
    found = matching.matches_for_need(None, fixed.n1)
    assert found["organizations"][0].obj == fixed.cast.org_x
    # i1, i2, i7 and the closed i5 (experience counts too).
    assert "in Kenya (4 initiatives)" in found["organizations"][0].reasons[0]
    assert found["opportunities"][0].obj == opportunity
    assert found["experts"][0].obj == expert and "nominated by Kenya" in found["experts"][0].reasons
    call_command("analyze_coordination", verbosity=0)
    partners = matching.partners_for(None, fixed.cast.org_x)
    assert [p.obj for p in partners] == [fixed.cast.org_y]
    assert other.pk
    data = client.get("/api/coordination/matches/?need={}".format(fixed.n1.pk)).json()
    assert data["organizations"][0]["title"] == "Organization X"
    assert client.get("/api/coordination/matches/?organization={}".format(fixed.cast.org_x.pk)).json()[
        "partners"
    ]
    assert client.get("/api/coordination/matches/?country=KE").json()["organizations"]
    assert client.get("/en/coordination/needs/{}/matches/".format(fixed.n1.pk)).status_code == 200


def test_draft_need_matches_hidden_from_the_public(client, fixed):
    assert client.get("/en/coordination/needs/{}/matches/".format(fixed.n6.pk)).status_code == 404
    assert client.get("/api/coordination/matches/?need={}".format(fixed.n6.pk)).status_code == 404


@pytest.fixture
def overlap(db, fixed):
    a = make_initiative(
        "Biosafety risk assessment training for regulators in Colombia",
        publisher=fixed.cast.org_x,
        countries=["CO"],
        description="Training regulators in risk assessment of living modified maize, with guidelines.",
    )
    b = make_initiative(
        "Training regulators in the risk assessment of LMOs in Colombia",
        publisher=fixed.cast.org_y,
        countries=["CO"],
        description="Regulators trained in risk assessment of living modified maize; guidelines drafted.",
    )
    call_command("analyze_coordination", verbosity=0)
    return a, b


def test_overlaps_page_review_and_api(client, fixed, overlap, django_assert_max_num_queries):
    a, b = overlap
    with django_assert_max_num_queries(25):
        html = client.get("/en/coordination/overlaps/").content.decode()
    assert "Both work in Colombia." in html and "overlap score" in html
    assert 'name="decision"' not in html  # anonymous: no review buttons
    client.force_login(fixed.cast.publisher_y)
    page = client.get("/en/coordination/overlaps/").content.decode()
    assert 'value="not_overlap"' in page
    response = client.post(
        "/en/coordination/pairs/{}/{}/review/".format(a.pk, b.pk),
        {"decision": "not_overlap", "comment": "Different audiences", "next": "/en/coordination/overlaps/"},
    )
    assert response.status_code == 302
    assert PairReview.objects.get().decision == "not_overlap"
    call_command("analyze_coordination", verbosity=0)
    assert OverlapPair.objects.filter(initiative_a=min(a.pk, b.pk)).exists()
    assert "Both work in Colombia." not in client.get("/en/coordination/overlaps/").content.decode()
    assert (
        "Different audiences" in client.get("/en/coordination/overlaps/?review=not_overlap").content.decode()
    )
    data = client.get("/api/coordination/overlaps/?review=all").json()
    assert data["count"] == 1 and data["results"][0]["decision"] == "not_overlap"
    assert data["results"][0]["explanation"][1] == "Both work in Colombia."


def test_merge_page(client, fixed, overlap):
    a, b = overlap
    client.force_login(fixed.cast.publisher_x)
    assert client.get("/en/coordination/pairs/{}/{}/merge/".format(a.pk, b.pk)).status_code == 403
    client.force_login(fixed.cast.admin)
    assert (
        client.get("/en/coordination/pairs/{}/{}/merge/?keep={}".format(a.pk, b.pk, b.pk)).status_code == 200
    )
    response = client.post(
        "/en/coordination/pairs/{}/{}/merge/".format(a.pk, b.pk), {"keep": b.pk, "comment": "same"}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == Status.ARCHIVED


def test_check_page_fragment_and_api(client, fixed, overlap):
    html = client.get(
        "/en/coordination/check/?title=Risk+assessment+training+for+regulators&country=CO&area=risk-assessment"
    )
    assert "This initiative may already be registered" in html.content.decode()
    fragment = client.post(
        "/en/coordination/check/?fragment=1",
        {
            "title_en": "Training of regulators in risk assessment in Colombia",
            "countries-0-country": fixed.cast.country_b.pk,
        },
    )
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    assert "Colombia" in fragment.content.decode()
    api = client.get("/api/coordination/check/?title=Training+regulators+risk+assessment&country=CO").json()
    assert {r["id"] for r in api["results"]} == {p.pk for p in overlap}


def test_quality_page_and_command_json(client, fixed, capsys):
    client.force_login(fixed.cast.admin)
    html = client.get("/en/coordination/quality/").content.decode()
    assert "By publishing organization" in html and "Organization X" in html
    call_command("analyze_coordination", "--json")
    assert '"initiatives": 7' in capsys.readouterr().out
