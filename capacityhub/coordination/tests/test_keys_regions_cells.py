"""Identifier keys (duplicates found from IATI identifiers and donors' project ids), national × regional
overlaps, the precomputed coverage cells kept in step with saves, and the reliance figures in the API."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from capacityhub.coordination import keys, selectors, similarity
from capacityhub.coordination.analysis import analyze_all
from capacityhub.coordination.coverage import Filters, compute_coverage
from capacityhub.coordination.explain import explain_all
from capacityhub.coordination.models import CoverageCell, InitiativeKey, OverlapPair
from capacityhub.core import services
from capacityhub.core.testing.factories import RoleSet, organization

from .conftest import make_initiative

pytestmark = pytest.mark.django_db

TEXT = (
    "Training of national regulators in science-based risk assessment of genetically modified maize and "
    "cotton, with guidelines for the competent national authority and case studies."
)


def pair(a, b):
    a, b = sorted((a.pk, b.pk))
    return OverlapPair.objects.filter(initiative_a_id=a, initiative_b_id=b).first()


def test_identifier_keys_from_fields_texts_and_links():
    assert keys.record_keys("GEF-4444", "44000-P123456") == {
        "ID:GEF4444",
        "GEF:4444",
        "ID:44000P123456",
        "WB:P123456",
    }
    found = keys.record_keys(
        texts=["Cofinanced with the GEF (GEF Project ID: 9071) and UNDP PIMS 5012.", "Phase 2 since 2015."],
        links=[{"url": "https://projects.worldbank.org/en/projects-operations/project-detail/P098962"}],
    )
    assert found == {"GEF:9071", "PIMS:5012", "WB:P098962"}
    # A year after "GEF" in a text is not an identifier; short project numbers are not keys.
    assert keys.record_keys("12", "", texts=["GEF 2015 replenishment", "GEF funding in 2018"]) == set()
    assert keys.label("GEF:4444") == "GEF 4444" and keys.label("WB:P123456") == "World Bank P123456"


@pytest.fixture
def sources(db):
    cast = RoleSet.create()
    gef, wb, unep = (organization(n) for n in ("GEF", "World Bank", "UNEP"))
    a = make_initiative(
        "National Biosafety Framework implementation",
        publisher=gef,
        countries=["KE"],
        description=TEXT,
        organizations=[(gef, "funding"), (unep, "implementing")],
        project_number="GEF-4444",
    )
    # The same project from the World Bank's list: another title and country list, its own id, and the GEF
    # id in its description.
    b = make_initiative(
        "Kenya and Uganda biosafety capacity project",
        publisher=wb,
        countries=["KE", "UG"],
        description="World Bank support to biosafety regulators (GEF ID 4444).",
        organizations=[(wb, "funding")],
        project_number="P123456",
        start=datetime.date(2024, 6, 1),
    )
    analyze_all()
    return cast, a, b


def test_duplicate_found_from_a_donor_id_in_the_text(sources):
    _cast, a, b = sources
    assert set(InitiativeKey.objects.filter(initiative=b).values_list("key", flat=True)) == {
        "ID:P123456",
        "WB:P123456",
        "GEF:4444",
    }
    found = pair(a, b)
    assert found.same_identifier and found.duplicate_score >= 0.9
    reasons = explain_all([found])[0].reasons
    assert reasons[0] == "Probably the same initiative registered twice."
    assert "They carry the same identifier (GEF 4444)." in reasons


def test_saving_finds_its_namesake_through_the_keys(sources, django_capture_on_commit_callbacks):
    cast, a, _b = sources
    with django_capture_on_commit_callbacks(execute=True):
        c = make_initiative(
            "Biosafety in Colombia",  # elsewhere and unrelated in words: only the key links them
            publisher=cast.org_x,
            countries=["CO"],
            description="Support for the national competent authority.",
            project_number="GEF 4444",
        )
    assert pair(a, c) is not None and pair(a, c).same_identifier
    # At entry time too: the key in the description is enough.
    results = selectors.check_initiative(
        AnonymousUser(), selectors.draft_from(QueryDict("title=Anything&description=GEF+ID+4444"))
    )
    assert {i.pk for i, s in results if s["same_identifier"]} >= {a.pk}


def test_national_and_regional_initiatives_overlap_and_say_why(db):
    cast = RoleSet.create()
    national = make_initiative(
        "Risk assessment for Kenyan regulators", publisher=cast.org_x, countries=["KE"], description=TEXT
    )
    regional = make_initiative(
        "Eastern Africa risk assessment programme",
        publisher=cast.org_y,
        regions=["m49-014"],
        scope="regional",
        description="Regional programme: national regulators trained in science-based risk assessment of "
        "genetically modified maize and cotton, guidelines for competent national authorities, case studies.",
    )
    elsewhere = make_initiative(
        "Risk assessment for Colombian regulators", publisher=cast.org_x, countries=["CO"], description=TEXT
    )
    analyze_all()
    found = pair(national, regional)
    # Listed as an overlap; the place counts for a part only (the regional one works in 22 countries), so
    # it rests on the similar work and the shared period.
    assert found is not None and similarity.is_overlap_value(found.score, found.text_similarity, strong=False)
    assert found.duplicate_score == 0
    assert pair(elsewhere, regional) is None
    listed = selectors.visible_pairs(AnonymousUser(), "overlap")
    assert list(listed.values_list("pk", flat=True)) == [found.pk]
    reasons = explain_all([found])[0].reasons
    assert (
        "The regional initiative “Eastern Africa risk assessment programme” covers Kenya, where the other "
        "one works." in reasons
    )


def test_coverage_cells_follow_saves(fixed, django_capture_on_commit_callbacks):
    """The default view (from the cells) equals the same figures grouped from the footprint, after a full
    analysis and after saves that add, change, unpublish and archive initiatives."""

    def both():
        from_cells = compute_coverage(None, Filters())
        from_footprint = compute_coverage(None, Filters(start=1900))  # a period filter: the footprint
        return from_cells, from_footprint

    def same():
        cells, rows = both()
        for name in ("active", "planned", "funding", "needs"):
            assert getattr(cells, name) == pytest.approx(getattr(rows, name)), name
        assert cells.global_funding == pytest.approx(rows.global_funding)
        assert cells.reliance == rows.reliance and cells.unconverted == rows.unconverted
        return cells

    before = same()
    assert CoverageCell.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        make_initiative("New RA Kenya", publisher=fixed.cast.org_x, countries=["UG"], budget=300)
    after = same()
    assert after.active.sum() == before.active.sum() + 1
    with django_capture_on_commit_callbacks(execute=True):
        services.record_transition(record=fixed.i1, action="archive", actor=None)
    same()
    with django_capture_on_commit_callbacks(execute=True):
        fixed.i2.budget = 4000
        fixed.i2.save()
    assert same().funding.sum() > after.funding.sum()


def test_reliance_in_the_api(client, fixed):
    gaps = client.get("/api/coordination/gaps/").json()
    assert gaps["reliance"] == {"total": 5, "stale": 0, "incomplete": gaps["reliance"]["incomplete"]}
    assert gaps["stale_needs"] == 0
    overlaps = client.get("/api/coordination/overlaps/").json()
    assert set(overlaps["reliance"]) == {"total", "weak"}


@pytest.mark.parametrize("key", ["need", "expert", "opportunity"])
def test_quality_on_record_pages(client, fixed, key):
    from capacityhub.core.testing.factories import make_record

    record = make_record(key, organization=fixed.cast.org_x)
    html = client.get(record.get_absolute_url()).content.decode()
    assert "Completeness:" in html


def test_quality_on_initiative_and_organization_pages(client, fixed):
    html = client.get(fixed.i1.get_absolute_url()).content.decode()
    assert "Completeness:" in html
    html = client.get(fixed.cast.org_x.get_absolute_url()).content.decode()
    assert "Quality of the initiatives it publishes" in html and "average completeness" in html
