"""Charts (server-rendered SVG bars, each with its table and a CSV export) and the choropleth world map.

The map's geometry is ``data/world-110m.geojson`` (Natural Earth 1:110m, public domain), projected once
(Equal Earth) into SVG paths and cached in memory; no tile server, no JavaScript."""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from capacityhub.core.multilingual import resolve
from capacityhub.reference.choices import RegionKind
from capacityhub.reference.models import Organization, Region
from capacityhub.registry.models import Initiative, Participation

from .choices import COUNTED_STATES, FUNDING_ROLES, IMPLEMENTING_ROLES
from .coverage import Coverage, Filters, heat_classes, visible_footprint
from .models import ExchangeRate

WORLD = Path(__file__).with_name("data") / "world-110m.geojson"
MAP_WIDTH, MAP_HEIGHT = 960, 470
PALETTE = ["#eef2f5", "#d4e9dc", "#a8d3b8", "#6fb58d", "#3b8f62", "#1f6f43"]
CHART_KINDS = {
    "donor": _("By donor"),
    "implementer": _("By implementer"),
    "region": _("By region"),
    "year": _("By year"),
}


@dataclass
class Bar:
    label: str
    count: int
    usd: float
    link: str = ""
    width: float = 0.0  # percent of the largest


def _rates():
    rates = {r.currency: float(r.usd_per_unit) for r in ExchangeRate.objects.all()}
    rates.setdefault("USD", 1.0)
    return rates


def _initiatives(user, filters: Filters):
    ids = filters.footprint(visible_footprint(user)).filter(state__in=COUNTED_STATES).values("initiative_id")
    return Initiative.objects.filter(pk__in=ids)


def _usd_by(values):
    """Sum budgets in US dollars from (key, currency, budget sum) rows."""
    rates = _rates()
    totals = {}
    for key, currency, budget in values:
        if budget is not None and currency in rates:
            totals[key] = totals.get(key, 0.0) + float(budget) * rates[currency]
    return totals


def by_organization(user, filters, roles, limit=15):
    initiatives = _initiatives(user, filters)
    base = Participation.objects.filter(initiative__in=initiatives, role__code__in=roles)
    counts = dict(
        base.values_list("organization_id").annotate(n=Count("initiative_id", distinct=True)).order_by()
    )
    money = _usd_by(
        base.values_list("organization_id", "initiative__currency")
        .annotate(b=Sum("initiative__budget"))
        .order_by()
    )
    top = sorted(counts, key=lambda pk: (-money.get(pk, 0), -counts[pk]))[:limit]
    names = {o.pk: o.display_title() for o in Organization.objects.filter(pk__in=top)}
    return [
        Bar(
            names.get(pk, str(pk)),
            counts[pk],
            money.get(pk, 0.0),
            "?{}={}".format("donor" if roles == FUNDING_ROLES else "implementer", pk),
        )
        for pk in top
    ]


def by_region(user, filters, cov: Coverage):
    """Per CBD regional group: initiatives working there (any member country, the group's regions, or
    worldwide) and funding (countries' allocations added up, so regional money is counted once)."""
    rows = filters.footprint(visible_footprint(user)).filter(state__in=COUNTED_STATES, counted=True)
    index = {c.pk: i for i, c in enumerate(cov.countries)}
    bars = []
    for region in Region.objects.filter(kind=RegionKind.CBD_GROUP).order_by("position", "code"):
        members = list(region.countries.values_list("pk", flat=True))
        overlapping = Region.objects.filter(countries__in=members).values("pk")
        count = (
            rows.filter(
                Q(country_id__in=members)
                | Q(region_id__in=overlapping)
                | Q(country__isnull=True, region__isnull=True)
            )
            .values("initiative_id")
            .distinct()
            .count()
        )
        usd = float(sum(cov.funding[index[pk]].sum() for pk in members if pk in index))
        bars.append(Bar(resolve(region.name)[0] or region.code, count, usd, "?region={}".format(region.code)))
    return bars


def by_year(user, filters):
    """Initiatives running in each year (a difference array over the years) and budgets by start year."""
    initiatives = _initiatives(user, filters)
    rows = list(
        initiatives.values_list(
            "planned_start__year",
            "actual_start__year",
            "planned_end__year",
            "actual_end__year",
            "currency",
            "budget",
        ).order_by()
    )
    if not rows:
        return []
    rates = _rates()
    start = np.array([r[1] or r[0] or 0 for r in rows], dtype=np.int64)
    end = np.array([r[3] or r[2] or 0 for r in rows], dtype=np.int64)
    usd = np.array([float(r[5]) * rates[r[4]] if r[5] is not None and r[4] in rates else 0.0 for r in rows])
    known = start > 0
    start, end, usd = start[known], np.maximum(np.where(end > 0, end, start), start)[known], usd[known]
    if not len(start):
        return []
    end = np.minimum(end, start + 30)
    first, last = int(start.min()), int(end.max())
    change = np.zeros(last - first + 2, dtype=np.int64)
    np.add.at(change, start - first, 1)
    np.add.at(change, end - first + 1, -1)
    running = np.cumsum(change)[:-1]
    budgets = np.bincount(start - first, weights=usd, minlength=last - first + 1)
    return [
        Bar(str(first + i), int(running[i]), float(budgets[i]), "?start={0}&end={0}".format(first + i))
        for i in range(last - first + 1)
        if running[i] or budgets[i]
    ]


def chart(user, filters, kind, cov=None):
    if kind == "donor":
        bars = by_organization(user, filters, FUNDING_ROLES)
    elif kind == "implementer":
        bars = by_organization(user, filters, IMPLEMENTING_ROLES)
    elif kind == "region":
        bars = by_region(user, filters, cov)
    else:
        bars = by_year(user, filters)
    measure = "count" if kind == "year" else "usd"
    top = max([getattr(b, measure) for b in bars] or [0]) or 1
    for bar in bars:
        bar.width = round(100 * getattr(bar, measure) / top, 1)
    return bars


# -- the map -------------------------------------------------------------------------------------------

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
SQRT3 = math.sqrt(3)


def equal_earth(lon, lat):
    lam, phi = np.radians(lon), np.radians(lat)
    theta = np.arcsin(SQRT3 / 2 * np.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * SQRT3 * lam * np.cos(theta) / (3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1))
    y = theta * (A4 * t6 * t2 + A3 * t6 + A2 * t2 + A1)
    return x, y


@lru_cache(maxsize=1)
def world_paths():
    """``{iso_a3: (name, svg path)}`` projected to the map's viewBox."""
    data = json.loads(WORLD.read_text(encoding="utf-8"))
    max_x, _y = equal_earth(np.array([180.0]), np.array([0.0]))
    _x, max_y = equal_earth(np.array([0.0]), np.array([90.0]))
    scale = min(MAP_WIDTH / (2 * max_x[0]), MAP_HEIGHT / (2 * max_y[0]))
    paths = {}
    for feature in data["features"]:
        parts = []
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                ring = np.array(ring, dtype=float)
                x, y = equal_earth(ring[:, 0], ring[:, 1])
                px, py = MAP_WIDTH / 2 + x * scale, MAP_HEIGHT / 2 - y * scale
                points = " ".join("{:.1f},{:.1f}".format(a, b) for a, b in zip(px, py, strict=True))
                parts.append("M" + points + "Z")
        code = feature["properties"]["iso_a3"]
        paths[code] = (feature["properties"]["name"], "".join(parts))
    return paths


def choropleth(cov: Coverage, metric):
    """The map's shapes: one per country of the geometry, coloured by ``metric`` summed over the areas."""
    values = cov.matrix(metric).sum(axis=1)
    levels = heat_classes(values)
    by_iso3 = {
        c.iso3: (c, float(v), int(level)) for c, v, level in zip(cov.countries, values, levels, strict=True)
    }
    shapes = []
    for iso3, (name, path) in world_paths().items():
        country, value, level = by_iso3.get(iso3, (None, 0.0, 0))
        shapes.append(
            {
                "iso3": iso3,
                "country": country,
                "name": country.name if country else name,
                "value": value,
                "path": path,
                "fill": PALETTE[level] if country else "#f7f7f7",
            }
        )
    edges = values[values > 0]
    legend = []
    if len(edges):
        qs = np.quantile(edges, np.linspace(0, 1, 6))
        for level in range(1, 6):
            legend.append({"fill": PALETTE[level], "low": float(qs[level - 1]), "high": float(qs[level])})
    return shapes, legend


def countries_missing_from_map(cov: Coverage, metric):
    """Countries with figures but no shape at this scale (small islands): listed beside the map."""
    known = set(world_paths())
    values = cov.matrix(metric).sum(axis=1)
    return [
        (c, float(v)) for c, v in zip(cov.countries, values, strict=True) if v > 0 and c.iso3 not in known
    ]
