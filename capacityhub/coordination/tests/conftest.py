"""A small fixed data set whose figures are computed by hand in the tests.

Areas: RA = risk-assessment, DT = detection, PA = public-awareness, SE = socioeconomic.
Eastern Africa (m49-014) has 22 members (KE and UG among them); 1 EUR = 1.5 USD here.

=====  =====================================  ===============  ======  ==============  =========
 key    recipients                             areas            state   budget          workflow
=====  =====================================  ===============  ======  ==============  =========
 i1     KE                                     RA, DT           active  1000 USD        published
 i2     KE 75 %, UG 25 %                       RA               planned 2000 EUR        published
 i3     Eastern Africa                         PA               active  1800 USD        published
 i4     global                                 DT               active  500 USD         published
 i5     KE                                     RA               closed  9999 USD        published
 i6     KE                                     RA               active  7777 USD        draft (org X)
 i7     KE and Eastern Africa (no %)           RA               active  100 USD         published
=====  =====================================  ===============  ======  ==============  =========

Needs (open): n1 KE RA, n2 CO DT (covered by the global i4), n3 CO RA high (gap), n4 UG PA low (covered by
the regional i3), n5 KE SE medium (gap), n6 CO SE draft (never counted for the public).
"""

import datetime
from decimal import Decimal

import pytest

from capacityhub.core import services
from capacityhub.core.choices import Status
from capacityhub.core.testing.factories import RoleSet, term
from capacityhub.reference.models import Country, Region
from capacityhub.registry.models import Initiative, InitiativeCountry, InitiativeRegion, Need, Participation


def make_initiative(
    title,
    *,
    publisher,
    countries=(),
    regions=(),
    areas=("risk-assessment",),
    status="implementation",
    budget=None,
    currency="USD",
    start=datetime.date(2024, 1, 1),
    end=datetime.date(2026, 12, 31),
    scope="national",
    workflow=Status.PUBLISHED,
    organizations=(),
    description="",
    project_number="",
    translations=None,
):
    """An initiative saved through the services. ``countries``/``regions``: codes or (code, percentage)."""
    record = Initiative(
        title={"en": title, **(translations or {})},
        description={"en": description} if description else {},
        publisher=publisher,
        activity_status=term("activity-status", status),
        planned_start=start,
        planned_end=end,
        geographic_scope=scope,
        budget=Decimal(budget) if budget is not None else None,
        currency=currency,
        project_number=project_number,
        status=Status.DRAFT,
    )

    def related(r):
        r.thematic_areas.set([term("thematic-areas", code) for code in areas])
        for item in countries:
            code, pct = item if isinstance(item, tuple) else (item, None)
            InitiativeCountry.objects.create(
                initiative=r, country=Country.objects.get(iso2=code), percentage=pct
            )
        for item in regions:
            code, pct = item if isinstance(item, tuple) else (item, None)
            InitiativeRegion.objects.create(
                initiative=r, region=Region.objects.get(code=code), percentage=pct
            )
        for org, role in organizations or [(publisher, "implementing")]:
            Participation.objects.create(
                initiative=r, organization=org, role=term("organization-roles", role)
            )

    record = services.record_save(record=record, actor=None, save_related=related)
    if workflow == Status.PUBLISHED:
        services.record_transition(record=record, action="publish", actor=None)
    record.refresh_from_db()
    return record


def make_need(title, country, areas, *, priority="medium", workflow=Status.PUBLISHED, need_status="open"):
    need = Need(
        title={"en": title},
        country=Country.objects.get(iso2=country),
        priority=priority,
        need_status=need_status,
        status=Status.DRAFT,
    )
    need = services.record_save(
        record=need,
        actor=None,
        save_related=lambda r: r.thematic_areas.set([term("thematic-areas", a) for a in areas]),
    )
    if workflow == Status.PUBLISHED:
        services.record_transition(record=need, action="publish", actor=None)
    need.refresh_from_db()
    return need


class Fixed:
    pass


@pytest.fixture
def fixed(db):
    from capacityhub.coordination.models import ExchangeRate

    ExchangeRate.objects.update_or_create(currency="EUR", defaults={"usd_per_unit": Decimal("1.5")})
    cast = RoleSet.create()
    x = cast.org_x
    data = Fixed()
    data.cast = cast
    data.i1 = make_initiative(
        "RA and detection in Kenya",
        publisher=x,
        countries=["KE"],
        areas=["risk-assessment", "detection"],
        budget=1000,
    )
    data.i2 = make_initiative(
        "Planned RA Kenya Uganda",
        publisher=x,
        countries=[("KE", 75), ("UG", 25)],
        status="pipeline",
        budget=2000,
        currency="EUR",
    )
    data.i3 = make_initiative(
        "Awareness in East Africa",
        publisher=x,
        regions=["m49-014"],
        areas=["public-awareness"],
        budget=1800,
        scope="regional",
    )
    data.i4 = make_initiative(
        "Global detection", publisher=x, areas=["detection"], budget=500, scope="global"
    )
    data.i5 = make_initiative("Closed RA Kenya", publisher=x, countries=["KE"], status="closed", budget=9999)
    data.i6 = make_initiative(
        "Draft RA Kenya", publisher=x, countries=["KE"], budget=7777, workflow=Status.DRAFT
    )
    data.i7 = make_initiative(
        "RA Kenya and region",
        publisher=x,
        countries=["KE"],
        regions=["m49-014"],
        budget=100,
        scope="regional",
    )
    data.n1 = make_need("RA need Kenya", "KE", ["risk-assessment"])
    data.n2 = make_need("Detection need Colombia", "CO", ["detection"])
    data.n3 = make_need("RA need Colombia", "CO", ["risk-assessment"], priority="high")
    data.n4 = make_need("Awareness need Uganda", "UG", ["public-awareness"], priority="low")
    data.n5 = make_need("Socioeconomic need Kenya", "KE", ["socioeconomic"])
    data.n6 = make_need("Draft socioeconomic need Colombia", "CO", ["socioeconomic"], workflow=Status.DRAFT)
    data.east_africa = Region.objects.get(code="m49-014").countries.count()
    from capacityhub.coordination.analysis import analyze_all
    from capacityhub.coordination.coverage import bump_generation

    analyze_all()
    bump_generation()
    return data
