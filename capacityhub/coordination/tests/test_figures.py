"""Every figure against values computed by hand on the fixed data set (see conftest.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from capacityhub.coordination.coverage import Filters, compute_coverage, coverage
from capacityhub.coordination.footprint import footprint_rows
from capacityhub.coordination.frame import load_frame
from capacityhub.coordination.gaps import find_gaps
from capacityhub.coordination.models import Footprint

pytestmark = pytest.mark.django_db

ANON = AnonymousUser()


def cell(cov, iso2, area):
    return cov.cell(iso2, area)


def test_counts_active_and_planned_with_regions_and_global(fixed):
    cov = coverage(ANON, Filters())
    # Kenya, risk assessment: i1 and i7 active (i7 once, although it lists Kenya and its region), i2 planned;
    # i5 is closed and i6 a draft: not counted.
    assert cell(cov, "KE", "risk-assessment")["active"] == 2
    assert cell(cov, "KE", "risk-assessment")["planned"] == 1
    # Uganda, risk assessment: i7 through Eastern Africa (active), i2 planned.
    assert cell(cov, "UG", "risk-assessment") == {
        "active": 1,
        "planned": 1,
        "funding": pytest.approx(3000 * 0.25 + 50 / fixed.east_africa),
        "needs": 0,
    }
    # Detection: i1 in Kenya, and the global i4 everywhere.
    assert cell(cov, "KE", "detection")["active"] == 2
    assert cell(cov, "CO", "detection")["active"] == 1
    assert cell(cov, "BR", "detection")["active"] == 1
    # Public awareness: the regional i3 in each member of Eastern Africa, not in Colombia.
    assert cell(cov, "UG", "public-awareness")["active"] == 1
    assert cell(cov, "CO", "public-awareness")["active"] == 0
    assert cov.initiatives == 5  # i1, i2, i3, i4, i7


def test_funding_split_by_percentages_areas_and_regions_in_one_currency(fixed):
    cov = coverage(ANON, Filters())
    n = fixed.east_africa
    # i1: 1000 over 2 areas; i2: 2000 EUR = 3000 USD, 75 % to Kenya; i7: half to Kenya, half to the region.
    assert cell(cov, "KE", "risk-assessment")["funding"] == pytest.approx(500 + 2250 + 50 + 50 / n)
    assert cell(cov, "KE", "detection")["funding"] == pytest.approx(500)
    assert cell(cov, "KE", "public-awareness")["funding"] == pytest.approx(1800 / n)
    # Global money is kept in its own row, never spread over countries.
    detection = [a.code for a in cov.areas].index("detection")
    assert cov.global_funding[detection] == pytest.approx(500)
    assert cell(cov, "CO", "detection")["funding"] == 0
    assert cov.unconverted == 0


def test_currency_without_rate_is_reported_not_guessed(fixed):
    from capacityhub.coordination.models import ExchangeRate

    ExchangeRate.objects.filter(currency="EUR").delete()
    cov = compute_coverage(None, Filters())
    assert cell(cov, "KE", "risk-assessment")["funding"] == pytest.approx(500 + 50 + 50 / fixed.east_africa)
    assert cov.unconverted == 2  # i2's two rows (Kenya and Uganda)


def test_open_needs_and_drafts_never_counted_for_the_public(fixed):
    cov = coverage(ANON, Filters())
    assert cell(cov, "KE", "risk-assessment")["needs"] == 1
    assert cell(cov, "CO", "socioeconomic")["needs"] == 0  # n6 is a draft
    publisher = fixed.cast.publisher_x  # sees org X's draft i6
    mine = coverage(publisher, Filters())
    assert cell(mine, "KE", "risk-assessment")["active"] == 3
    assert cell(mine, "KE", "risk-assessment")["funding"] == pytest.approx(
        500 + 2250 + 50 + 50 / fixed.east_africa + 7777
    )
    assert cell(coverage(fixed.cast.publisher_y, Filters()), "KE", "risk-assessment")["active"] == 2
    focal = fixed.cast.focal_b  # Colombia's focal point sees the draft need n6
    assert cell(coverage(focal, Filters()), "CO", "socioeconomic")["needs"] == 1


def test_filters(fixed):
    planned = coverage(ANON, Filters(status=["planned"]))
    assert cell(planned, "KE", "risk-assessment")["active"] == 0
    assert cell(planned, "KE", "risk-assessment")["planned"] == 1
    africa = coverage(ANON, Filters(region="cbd-africa"))
    assert "CO" not in [c.iso2 for c in africa.countries]
    ldc_africa = coverage(ANON, Filters(region="m49-014", group="ldc"))
    assert "UG" in [c.iso2 for c in ldc_africa.countries] and "KE" not in [
        c.iso2 for c in ldc_africa.countries
    ]
    later = coverage(ANON, Filters(start=2030))
    assert later.initiatives == 0
    donor = coverage(ANON, Filters(donor=[fixed.cast.org_y.pk]))
    assert donor.initiatives == 0
    implementer = coverage(ANON, Filters(implementer=[fixed.cast.org_x.pk]))
    assert implementer.initiatives == 5


def test_gaps_ranked_by_priority_then_age(fixed):
    gaps = find_gaps(ANON, Filters())
    # n3 (Colombia RA, high) then n5 (Kenya socioeconomic, medium); n2 is covered by the global i4 and n4 by
    # the regional i3; n6 is a draft.
    assert gaps.need_ids == [fixed.n3.pk, fixed.n5.pk]
    assert [a.code for a in gaps.uncovered[fixed.n3.pk]] == ["risk-assessment"]
    assert gaps.need_areas == 5 and gaps.uncovered_areas == 2
    countries = {c.iso2: (total, uncovered) for c, total, uncovered, _share in gaps.countries}
    assert countries == {"KE": (2, 1), "CO": (2, 1), "UG": (1, 0)}


def test_footprint_counts_each_initiative_once_per_country(fixed):
    rows = Footprint.objects.filter(initiative=fixed.i7)
    # Kenya (money only: the region covers it) and Eastern Africa, one area each.
    assert sorted((r.country_id is not None, r.counted, r.share) for r in rows) == [
        (False, True, 0.5),
        (True, False, 0.5),
    ]
    frame = load_frame([fixed.i2.pk])
    _row, _country, _region, _area, counted, share, _place = footprint_rows(frame)
    assert sorted(share.tolist()) == [0.25, 0.75] and counted.all()


def test_cached_figures_follow_saves(fixed, django_capture_on_commit_callbacks):
    from capacityhub.core import services

    before = coverage(ANON, Filters()).initiatives
    with django_capture_on_commit_callbacks(execute=True):
        services.record_transition(record=fixed.i6, action="publish", actor=None)
    assert coverage(ANON, Filters()).initiatives == before + 1
