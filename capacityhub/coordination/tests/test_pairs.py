"""Overlaps and duplicates: scores, explanations, reviews that stick, merge keeping every reference,
incremental update on save, and the check at entry time."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.utils import translation

from capacityhub.coordination import selectors, services
from capacityhub.coordination.analysis import analyze_all, analyze_initiative
from capacityhub.coordination.choices import Decision
from capacityhub.coordination.explain import explain_all
from capacityhub.coordination.models import InitiativeMerge, OverlapPair, PairReview
from capacityhub.core.choices import Status
from capacityhub.core.models import Version
from capacityhub.core.testing.factories import RoleSet, organization, term
from capacityhub.registry.models import Initiative

from .conftest import make_initiative

pytestmark = pytest.mark.django_db

RA_TEXT = (
    "Training of national regulators in science-based risk assessment of genetically modified maize and "
    "cotton, with guidelines for the competent national authority and case studies."
)


@pytest.fixture
def planted(db):
    cast = RoleSet.create()
    usaid, norad, gef, wb = (organization(n) for n in ("USAID", "NORAD", "GEF", "World Bank"))
    data = type("Planted", (), {})()
    data.cast = cast
    data.ke_a = make_initiative(
        "Risk assessment capacity for Kenyan regulators",
        publisher=cast.org_x,
        countries=["KE"],
        description=RA_TEXT,
        organizations=[(usaid, "funding"), (cast.org_x, "implementing")],
    )
    data.ke_b = make_initiative(
        "Strengthening risk assessment of GM crops in Kenya",
        publisher=cast.org_y,
        countries=["KE"],
        description="Strengthening the competent national authority: training regulators in risk assessment "
        "of genetically modified maize and cotton, guidelines and case studies.",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2027, 6, 30),
        organizations=[(norad, "funding"), (cast.org_y, "implementing")],
    )
    # Same words, another country: not an overlap.
    data.co = make_initiative(
        "Risk assessment capacity for regulators", publisher=cast.org_x, countries=["CO"], description=RA_TEXT
    )
    # Same words, Kenya, but ten years earlier: not an overlap.
    data.old = make_initiative(
        "Risk assessment capacity for Kenyan regulators (phase 0)",
        publisher=cast.org_x,
        countries=["KE"],
        description=RA_TEXT,
        start=datetime.date(2008, 1, 1),
        end=datetime.date(2010, 12, 31),
    )
    # The same West African project from two sources: other title, one more country, close dates and budget.
    data.dup_a = make_initiative(
        "West Africa Regional Biosafety Programme",
        publisher=gef,
        countries=["BJ", "BF", "ML", "SN"],
        areas=["institutional-capacity", "risk-assessment"],
        description="Regional programme for a harmonized biosafety regulatory framework of the WAEMU member "
        "states, with a regional biosafety centre and shared risk assessment.",
        budget=5400000,
        start=datetime.date(2007, 9, 1),
        end=datetime.date(2012, 12, 31),
        organizations=[(gef, "funding"), (wb, "implementing")],
        project_number="GEF-3035",
        scope="subregional",
    )
    data.dup_b = make_initiative(
        "Regional Biosafety Project for West Africa (WAEMU)",
        publisher=wb,
        countries=["BJ", "BF", "ML", "SN", "TG"],
        areas=["institutional-capacity", "risk-assessment"],
        description="The project helps WAEMU member states put in place a harmonized regional regulatory "
        "framework for biosafety, including a regional biosafety centre, and shared risk assessment.",
        budget=5420000,
        start=datetime.date(2007, 7, 1),
        end=datetime.date(2013, 6, 30),
        organizations=[(wb, "implementing"), (gef, "funding")],
        project_number="P098962",
        scope="subregional",
    )
    analyze_all()
    return data


def pair(a, b):
    a, b = sorted((a.pk, b.pk))
    return OverlapPair.objects.filter(initiative_a_id=a, initiative_b_id=b).first()


def test_overlap_found_with_score_and_not_elsewhere_or_elsewhen(planted):
    found = pair(planted.ke_a, planted.ke_b)
    assert found is not None and found.score >= 0.57 and found.duplicate_score < 0.65
    # 2025-01-01 to 2026-12-31 (729 days) of the shorter period, 2025-01-01 to 2027-06-30 (910 days).
    assert found.country_similarity == 1 and found.period_overlap == pytest.approx(729 / 910, abs=1e-3)
    assert found.overlap_days == 729
    assert pair(planted.ke_a, planted.co) is None  # other country
    assert pair(planted.ke_a, planted.old) is None  # other decade
    overlaps = list(selectors.visible_pairs(AnonymousUser(), "overlap"))
    assert [(p.initiative_a_id, p.initiative_b_id) for p in overlaps] == [
        tuple(sorted((planted.ke_a.pk, planted.ke_b.pk)))
    ]


def test_duplicate_records_found(planted):
    found = pair(planted.dup_a, planted.dup_b)
    assert found is not None and found.duplicate_score >= 0.65
    duplicates = list(selectors.visible_pairs(AnonymousUser(), "duplicate"))
    assert [p.pk for p in duplicates] == [found.pk]


def test_explanation_texts(planted):
    found = explain_all([pair(planted.ke_a, planted.ke_b)])[0]
    assert found.reasons[0] == "Possible duplication of effort."
    assert "Both work in Kenya." in found.reasons
    assert "Both address Risk assessment and other scientific and technical expertise." in found.reasons
    period = next(r for r in found.reasons if r.startswith("Their periods overlap"))
    assert period == "Their periods overlap for 24 months (80% of the shorter one)."
    assert any(
        r.startswith("Their descriptions and objectives are ")
        and r.endswith("(all their languages compared).")
        for r in found.reasons
    )
    assert "They share no organization." in found.reasons
    duplicate = explain_all([pair(planted.dup_a, planted.dup_b)])[0]
    assert duplicate.reasons[0] == "Probably the same initiative registered twice."
    assert "Both work in Benin, Burkina Faso, Mali, Senegal." in duplicate.reasons
    assert "They share 2 organizations: GEF, World Bank." in duplicate.reasons
    assert "Their budgets are within 0% of each other." in duplicate.reasons
    with translation.override("fr"):
        french = explain_all([pair(planted.ke_a, planted.ke_b)])[0]
    assert "Kenya" in " ".join(french.reasons)


def test_review_decisions_stick_across_reanalysis(planted):
    admin = planted.cast.admin
    services.pair_review(
        initiative_a=planted.ke_b,
        initiative_b=planted.ke_a,
        decision=Decision.COMPLEMENTARY,
        comment="Different crops.",
        actor=admin,
    )
    assert list(selectors.visible_pairs(admin, "overlap")) == []
    analyze_all()
    analyze_initiative(planted.ke_a.pk)
    reviewed = list(selectors.visible_pairs(admin, "overlap", review=Decision.COMPLEMENTARY))
    assert len(reviewed) == 1 and reviewed[0].review_comment == "Different crops."
    assert list(selectors.visible_pairs(admin, "overlap")) == []
    services.pair_review_withdraw(initiative_a=planted.ke_a, initiative_b=planted.ke_b, actor=admin)
    assert len(list(selectors.visible_pairs(admin, "overlap"))) == 1


def test_who_may_review(planted):
    from django.core.exceptions import PermissionDenied

    cast = planted.cast
    assert services.can_review(cast.publisher_x, planted.ke_a, planted.ke_b)  # publisher of one of them
    assert not services.can_review(cast.registered, planted.ke_a, planted.ke_b)
    assert not services.can_review(AnonymousUser(), planted.ke_a, planted.ke_b)
    with pytest.raises(PermissionDenied):
        services.pair_review(
            initiative_a=planted.ke_a, initiative_b=planted.ke_b, decision="duplicate", actor=cast.registered
        )


def test_merge_keeps_every_reference(planted):
    admin = planted.cast.admin
    keep, duplicate = planted.dup_a, planted.dup_b
    component = make_initiative("Component of the WB record", publisher=planted.cast.org_x, countries=["TG"])
    component.part_of = duplicate
    component.save()
    merge = services.initiative_merge(keep=keep, duplicate=duplicate, actor=admin, comment="Same GEF project")
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.status == Status.ARCHIVED
    assert merge.kept == keep and merge.identifiers == ["P098962"]
    assert InitiativeMerge.objects.get(duplicate=duplicate).kept_id == keep.pk
    assert sorted(keep.countries.values_list("iso2", flat=True)) == ["BF", "BJ", "ML", "SN", "TG"]
    assert set(keep.participations.values_list("organization__name__en", "role__code")) == {
        ("GEF", "funding"),
        ("World Bank", "implementing"),
    }
    assert Initiative.objects.get(pk=component.pk).part_of_id == keep.pk
    assert PairReview.objects.get(initiative_a_id=min(keep.pk, duplicate.pk)).decision == Decision.DUPLICATE
    assert not OverlapPair.objects.involving(duplicate.pk).exists()
    assert Version.objects.filter(object_id=duplicate.pk, action="merged").exists()
    assert Version.objects.filter(object_id=keep.pk, action="merged").exists()
    with pytest.raises(Exception):  # noqa: B017 - merged already
        services.initiative_merge(keep=keep, duplicate=duplicate, actor=admin)


def test_merge_needs_edit_rights_on_both(planted):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.initiative_merge(keep=planted.dup_a, duplicate=planted.dup_b, actor=planted.cast.publisher_x)


def test_saving_an_initiative_updates_its_pairs(planted, django_capture_on_commit_callbacks):
    from capacityhub.core import services as core

    OverlapPair.objects.all().delete()
    record = Initiative.objects.get(pk=planted.ke_b.pk)
    record.description = {"en": record.description["en"] + " Updated."}
    with django_capture_on_commit_callbacks(execute=True):
        core.record_save(record=record, actor=None)
    assert pair(planted.ke_a, planted.ke_b) is not None
    # The incremental result agrees with the full analysis.
    incremental = pair(planted.ke_a, planted.ke_b).score
    analyze_all()
    assert pair(planted.ke_a, planted.ke_b).score == pytest.approx(incremental, abs=0.02)


def test_archived_initiatives_leave_the_analysis(planted, django_capture_on_commit_callbacks):
    from capacityhub.core import services as core

    with django_capture_on_commit_callbacks(execute=True):
        core.record_transition(record=planted.ke_b, action="archive", actor=None)
    assert pair(planted.ke_a, planted.ke_b) is None


def test_check_at_entry_time_warns_of_a_likely_duplicate(planted):
    data = QueryDict(mutable=True)
    data.update(
        {
            "title_en": "Regional biosafety programme for West Africa (WAEMU)",
            "project_number": "",
            "planned_start": "2007-08-01",
            "planned_end": "2013-01-31",
        }
    )
    for index, country in enumerate(["BJ", "BF", "ML"]):
        from capacityhub.reference.models import Country

        data["countries-{}-country".format(index)] = str(Country.objects.get(iso2=country).pk)
    data.setlist("thematic_areas", [str(term("thematic-areas", "institutional-capacity").pk)])
    results = selectors.check_initiative(AnonymousUser(), selectors.draft_from(data))
    assert {r[0].pk for r in results} >= {planted.dup_a.pk, planted.dup_b.pk}
    assert results[0][1]["likely_duplicate"]
    # The same project number finds it wherever it is.
    by_id = selectors.check_initiative(
        AnonymousUser(), selectors.draft_from(QueryDict("title=Anything&identifier=GEF-3035"))
    )
    assert by_id[0][0].pk == planted.dup_a.pk and by_id[0][1]["same_identifier"]
    nothing = selectors.check_initiative(
        AnonymousUser(), selectors.draft_from(QueryDict("title=Mangrove+restoration&country=FJ"))
    )
    assert nothing == []
