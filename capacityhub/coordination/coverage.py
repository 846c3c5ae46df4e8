"""Coverage: countries × thematic areas, with active and planned initiatives, funding in US dollars (budgets
split by the recipients' percentages and the thematic areas) and open needs. One grouped query over the
footprint, expanded to countries with numpy (a regional row counts for each member country, a global one
for every country). Pages, charts, exports and the API all read ``coverage()``."""

import hashlib
from dataclasses import dataclass, field

import numpy as np
from django.core.cache import cache
from django.db.models import Case, Count, F, FloatField, Q, Sum, Value, When

from capacityhub.core import permissions
from capacityhub.core.choices import Status
from capacityhub.core.multilingual import current_language, resolve
from capacityhub.reference.choices import RegionKind
from capacityhub.reference.models import Country, Region, Term
from capacityhub.registry.choices import NeedStatus
from capacityhub.registry.models import Initiative, Need, Participation

from .choices import COUNTED_STATES, FUNDING_ROLES, IMPLEMENTING_ROLES, State
from .frame import sees_unpublished, visible_or_published
from .models import CoverageCell, ExchangeRate, Footprint

GENERATION_KEY = "coordination:generation"
CACHE_SECONDS = 600
METRICS = ("initiatives", "active", "planned", "funding", "needs", "gaps")


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 1
        cache.set(GENERATION_KEY, value, None)
    return value


def bump_generation():
    """Cached figures are stale: the next reader recomputes them."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def _codes(values):
    return [v.strip() for item in values for v in str(item).split(",") if v.strip()][:50]


def _ints(values):
    return [int(v) for v in _codes(values) if v.isdigit()]


def _year(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() and 1900 <= int(value) <= 2200 else None


@dataclass
class Filters:
    """The filters of every coordination figure, read from the query string (pages and API alike)."""

    donor: list = field(default_factory=list)  # organization ids with a funding role
    implementer: list = field(default_factory=list)  # organization ids with an implementing role
    status: list = field(default_factory=list)  # coverage states: active, planned, closed, stopped
    start: int | None = None  # period: initiatives running at some time between these years
    end: int | None = None
    region: str = ""  # a region or group code: only its countries
    group: str = ""  # a second region or group code (e.g. ldc, sids): only countries in both
    area: list = field(default_factory=list)  # thematic area codes
    country: list = field(default_factory=list)  # ISO codes

    PARAMS = ("donor", "implementer", "status", "start", "end", "region", "group", "area", "country")

    @classmethod
    def from_query(cls, query):
        return cls(
            donor=_ints(query.getlist("donor")),
            implementer=_ints(query.getlist("implementer")),
            status=[s for s in _codes(query.getlist("status")) if s in State.values],
            start=_year(query.get("start")),
            end=_year(query.get("end")),
            region=(query.get("region") or "").strip()[:40],
            group=(query.get("group") or "").strip()[:40],
            area=_codes(query.getlist("area")),
            country=[c.upper() for c in _codes(query.getlist("country"))],
        )

    def items(self):
        for name in self.PARAMS:
            value = getattr(self, name)
            for v in value if isinstance(value, list) else [value]:
                if v not in (None, ""):
                    yield name, str(v)

    def key(self):
        return "&".join("{}={}".format(k, v) for k, v in sorted(self.items()))

    def served_by_cells(self):
        """Can the precomputed coverage cells answer (no filter on organizations or period)?"""
        return not (self.donor or self.implementer or self.start or self.end)

    def initiatives(self, queryset):
        """Apply the initiative filters (donor, implementer, status, period) to an initiative queryset."""
        if self.donor:
            queryset = queryset.filter(
                pk__in=Participation.objects.filter(
                    organization_id__in=self.donor, role__code__in=FUNDING_ROLES
                ).values("initiative_id")
            )
        if self.implementer:
            queryset = queryset.filter(
                pk__in=Participation.objects.filter(
                    organization_id__in=self.implementer, role__code__in=IMPLEMENTING_ROLES
                ).values("initiative_id")
            )
        return queryset

    def footprint(self, queryset):
        """Apply the filters to a footprint queryset."""
        if self.donor or self.implementer:
            queryset = queryset.filter(
                initiative_id__in=self.initiatives(Initiative.objects.all()).values("pk")
            )
        if self.status:
            queryset = queryset.filter(state__in=self.status)
        if self.start:
            queryset = queryset.filter(Q(end__isnull=True) | Q(end__year__gte=self.start))
        if self.end:
            queryset = queryset.filter(Q(start__isnull=True) | Q(start__year__lte=self.end))
        if self.area:
            queryset = queryset.filter(area__code__in=self.area)
        return queryset


def visible_footprint(user):
    """Footprint rows of the initiatives ``user`` may count (published, or also their visible drafts)."""
    if user is None or not sees_unpublished(user):
        return Footprint.objects.filter(status=Status.PUBLISHED)
    return Footprint.objects.filter(initiative_id__in=visible_or_published(user).values("pk"))


def visible_needs(user):
    return permissions.restrict(Need.objects.all(), user).exclude(status=Status.ARCHIVED)


def usd_expression():
    """``budget × share`` in US dollars, with the rates table as a CASE expression (no rate: NULL)."""
    rates = {r.currency: float(r.usd_per_unit) for r in ExchangeRate.objects.all()}
    rates.setdefault("USD", 1.0)
    rate = Case(
        *[When(currency=code, then=Value(value)) for code, value in sorted(rates.items())],
        default=Value(None),
        output_field=FloatField(),
    )
    return F("budget") * F("share") * rate


@dataclass
class Coverage:
    countries: list  # Country objects, in matrix order
    areas: list  # Term objects, in matrix order
    active: np.ndarray  # countries × areas
    planned: np.ndarray
    funding: np.ndarray  # US dollars, regional money spread over member countries
    needs: np.ndarray  # open needs
    global_active: np.ndarray  # per area
    global_planned: np.ndarray
    global_funding: np.ndarray
    unconverted: int  # footprint rows whose currency has no rate
    groups: dict  # country id → (group code, group name)
    initiatives: int = 0
    filters: Filters = None
    reliance: dict = field(default_factory=dict)  # how much the figures rest on stale or incomplete records

    @property
    def initiatives_matrix(self):
        return self.active + self.planned

    @property
    def gaps(self):
        return np.where(self.initiatives_matrix == 0, self.needs, 0)

    def matrix(self, metric):
        return {
            "initiatives": self.initiatives_matrix,
            "active": self.active,
            "planned": self.planned,
            "funding": self.funding,
            "needs": self.needs,
            "gaps": self.gaps,
        }[metric]

    def index_of_country(self):
        return {c.pk: i for i, c in enumerate(self.countries)}

    def cell(self, iso2, area_code):
        ci = next((i for i, c in enumerate(self.countries) if c.iso2 == iso2), None)
        ai = next((i for i, a in enumerate(self.areas) if a.code == area_code), None)
        if ci is None or ai is None:
            return None
        return {
            "active": int(self.active[ci, ai]),
            "planned": int(self.planned[ci, ai]),
            "funding": float(self.funding[ci, ai]),
            "needs": int(self.needs[ci, ai]),
        }


def _members():
    through = Region.countries.through
    return list(through.objects.values_list("region_id", "country_id"))


def _country_scope(filters):
    countries = Country.objects.all()
    if filters.region:
        countries = countries.filter(regions__code=filters.region)
    if filters.group:
        countries = countries.filter(pk__in=Country.objects.filter(regions__code=filters.group).values("pk"))
    if filters.country:
        countries = countries.filter(iso2__in=filters.country)
    return list(countries.order_by("name_en"))


def compute_coverage(user, filters: Filters):
    """The coverage matrix for what ``user`` may see, with ``filters``."""
    countries = _country_scope(filters)
    all_countries = list(Country.objects.order_by("pk").values_list("pk", flat=True))
    c_index = {pk: i for i, pk in enumerate(all_countries)}
    areas = list(Term.objects.of("thematic-areas").order_by("position", "code"))
    if filters.area:
        areas = [a for a in areas if a.code in filters.area]
    a_index = {a.pk: i for i, a in enumerate(areas)}
    n_c, n_a = len(all_countries), len(areas)
    rows = filters.footprint(visible_footprint(user))
    region_ids = sorted({r for r, _c in _members()})
    r_index = {pk: i for i, pk in enumerate(region_ids)}
    membership = np.zeros((len(region_ids), n_c), dtype=np.float64)
    for region_id, country_id in _members():
        membership[r_index[region_id], c_index[country_id]] = 1
    member_count = np.maximum(membership.sum(axis=1), 1)

    direct = {s: np.zeros((n_c, n_a)) for s in COUNTED_STATES}
    regional = {s: np.zeros((len(region_ids), n_a)) for s in COUNTED_STATES}
    world = {s: np.zeros(n_a) for s in COUNTED_STATES}
    from_cells = user is None and filters.served_by_cells()
    counted = _counted_from_cells(filters) if from_cells else _counted_from_footprint(rows)
    for country_id, region_id, area_id, state, n in counted:
        a = a_index.get(area_id)
        if a is None:
            continue
        if country_id:
            direct[state][c_index[country_id], a] += n
        elif region_id:
            if region_id in r_index:
                regional[state][r_index[region_id], a] += n
        else:
            world[state][a] += n
    funding = np.zeros((n_c, n_a))
    region_funding = np.zeros((len(region_ids), n_a))
    global_funding = np.zeros(n_a)
    money = _money_from_cells(filters) if from_cells else _money_from_footprint(rows)
    unconverted = 0
    for country_id, region_id, area_id, usd, missing in money:
        unconverted += missing
        a = a_index.get(area_id)
        if a is None or usd is None:
            continue
        if country_id:
            funding[c_index[country_id], a] += usd
        elif region_id:
            if region_id in r_index:
                region_funding[r_index[region_id], a] += usd
        else:
            global_funding[a] += usd
    funding += membership.T @ (region_funding / member_count[:, None])
    active = direct[State.ACTIVE] + membership.T @ regional[State.ACTIVE] + world[State.ACTIVE][None, :]
    planned = direct[State.PLANNED] + membership.T @ regional[State.PLANNED] + world[State.PLANNED][None, :]

    needs = np.zeros((n_c, n_a))
    need_rows = (
        visible_needs(user)
        .filter(need_status=NeedStatus.OPEN)
        .values_list("country_id", "thematic_areas")
        .annotate(n=Count("id"))
        .order_by()
    )
    for country_id, area_id, n in need_rows:
        if area_id in a_index:
            needs[c_index[country_id], a_index[area_id]] += n

    keep = np.array([c_index[c.pk] for c in countries], dtype=np.int64)
    groups = cbd_groups()
    from .quality import reliance

    if from_cells and not filters.area:
        from .quality import reliance_from_facts

        rests_on = reliance_from_facts(filters.status or COUNTED_STATES)
    else:
        counted_initiatives = Initiative.objects.filter(
            pk__in=rows.filter(state__in=COUNTED_STATES).values("initiative_id")
        )
        rests_on = reliance(counted_initiatives)
    return Coverage(
        countries=countries,
        areas=areas,
        active=active[keep],
        planned=planned[keep],
        funding=funding[keep],
        needs=needs[keep],
        global_active=world[State.ACTIVE],
        global_planned=world[State.PLANNED],
        global_funding=global_funding,
        unconverted=int(unconverted),
        groups=groups,
        initiatives=rests_on["total"],
        filters=filters,
        reliance=rests_on,
    )


def _counted_from_footprint(rows):
    """(country, region, area, state, initiatives) of the counted footprint rows, grouped."""
    return (
        rows.filter(counted=True, state__in=COUNTED_STATES)
        .values_list("country_id", "region_id", "area_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    )


def _money_from_footprint(rows):
    """(country, region, area, US dollars, budget shares without a rate), grouped."""
    return (
        rows.filter(state__in=COUNTED_STATES, budget__isnull=False)
        .values_list("country_id", "region_id", "area_id")
        .annotate(usd=Sum(usd_expression()), missing=Count("id", filter=~Q(currency__in=_rate_codes())))
        .order_by()
    )


def _cells(filters):
    cells = CoverageCell.objects.filter(state__in=COUNTED_STATES)
    if filters.status:
        cells = cells.filter(state__in=filters.status)
    if filters.area:
        cells = cells.filter(area__code__in=filters.area)
    return cells


def _counted_from_cells(filters):
    """The same rows as ``_counted_from_footprint``, from the precomputed cells (published records)."""
    return (
        _cells(filters)
        .filter(counted=True)
        .values_list("country_id", "region_id", "area_id", "state")
        .annotate(n=Sum("rows"))
        .order_by()
    )


def _money_from_cells(filters):
    """The same rows as ``_money_from_footprint``, from the cells: converted here with the rates table."""
    rates = {r.currency: float(r.usd_per_unit) for r in ExchangeRate.objects.all()}
    rates.setdefault("USD", 1.0)
    totals = {}
    cells = (
        _cells(filters)
        .filter(budget_rows__gt=0)
        .values_list("country_id", "region_id", "area_id", "currency")
        .annotate(money=Sum("money"), shares=Sum("budget_rows"))
        .order_by()
    )
    for country_id, region_id, area_id, currency, amount, shares in cells:
        total = totals.setdefault((country_id, region_id, area_id), [None, 0])
        rate = rates.get(currency)
        if rate is None:
            total[1] += shares
        else:
            total[0] = (total[0] or 0.0) + amount * rate
    return [(*key, usd, missing) for key, (usd, missing) in totals.items()]


def _rate_codes():
    return list(ExchangeRate.objects.values_list("currency", flat=True)) + ["USD"]


def cbd_groups():
    """country id → (code, name) of its CBD regional group."""
    result = {}
    for region in Region.objects.filter(kind=RegionKind.CBD_GROUP).prefetch_related("countries"):
        for country in region.countries.all():
            result[country.pk] = (region.code, resolve(region.name)[0] or region.code)
    return result


def coverage(user, filters: Filters):
    """``compute_coverage`` cached for readers who see only published records (everybody's figures)."""
    if user is not None and sees_unpublished(user):
        return compute_coverage(user, filters)
    digest = hashlib.sha1(filters.key().encode()).hexdigest()
    key = "coordination:coverage:{}:{}:{}".format(generation(), current_language(), digest)
    result = cache.get(key)
    if result is None:
        result = compute_coverage(None, filters)
        cache.set(key, result, CACHE_SECONDS)
    return result


def cell_initiatives(user, filters: Filters, country, area):
    """The initiatives behind one cell: direct, through one of their regions, or global."""
    rows = filters.footprint(visible_footprint(user)).filter(
        area=area, state__in=COUNTED_STATES, counted=True
    )
    regions = Region.objects.filter(countries=country).values("pk")
    ids = rows.filter(
        Q(country=country) | Q(region__in=regions) | Q(country__isnull=True, region__isnull=True)
    ).values("initiative_id")
    return Initiative.objects.filter(pk__in=ids)


def cell_needs(user, country, area):
    return visible_needs(user).filter(country=country, thematic_areas=area, need_status=NeedStatus.OPEN)


def heat_classes(matrix, levels=5):
    """A level 0–``levels`` per cell: 0 for zero, then quantiles of the non-zero values."""
    matrix = np.asarray(matrix, dtype=float)
    result = np.zeros(matrix.shape, dtype=int)
    positive = matrix[matrix > 0]
    if not len(positive):
        return result
    edges = np.quantile(positive, np.linspace(0, 1, levels + 1)[1:-1])
    result[matrix > 0] = 1 + np.searchsorted(edges, matrix[matrix > 0], side="left").clip(0, levels - 1)
    return result


def language():
    return current_language()
