"""Gaps: needs that no active or planned initiative addresses in that country and area (a regional or global
initiative counts for the countries it covers), ranked by priority then age; under-served countries and
areas. Read from the same coverage matrix as the heat map, so the two never disagree."""

from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from capacityhub.registry.choices import NeedStatus, Priority
from capacityhub.registry.models import Need

from .coverage import Filters, coverage, visible_needs
from .quality import stale_before

PRIORITY_RANK = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}
GAP_STATUSES = (NeedStatus.OPEN, NeedStatus.BEING_ADDRESSED)


@dataclass
class Gaps:
    need_ids: list  # ranked
    open_needs: np.ndarray  # need id of each uncovered (need, area)
    open_areas: list  # area Term of each uncovered (need, area)
    countries: list  # [(Country, need areas, uncovered, share)] most under-served first
    areas: list  # [(Term, need areas, uncovered, share)]
    needs_considered: int
    need_areas: int
    uncovered_areas: int
    reliance: dict = None  # the initiatives the coverage rests on: how many stale or incomplete
    stale_needs: int = 0  # gap needs not updated in 12 months

    def __len__(self):
        return len(self.need_ids)

    @property
    def uncovered(self):
        """need id → its thematic areas without an initiative."""
        found = {}
        for need_id, area in zip(self.open_needs.tolist(), self.open_areas, strict=True):
            found.setdefault(need_id, []).append(area)
        return found

    def uncovered_for(self, ids):
        wanted = np.isin(self.open_needs, np.asarray(list(ids), dtype=np.int64))
        found = {}
        for index in np.flatnonzero(wanted).tolist():
            found.setdefault(int(self.open_needs[index]), []).append(self.open_areas[index])
        return found


def find_gaps(user, filters: Filters):
    cov = coverage(user, Filters(**{**filters.__dict__, "area": [], "status": []}))
    covered = cov.initiatives_matrix
    c_index = {c.pk: i for i, c in enumerate(cov.countries)}
    a_index = {a.pk: i for i, a in enumerate(cov.areas)}
    wanted_areas = {a.pk for a in cov.areas if not filters.area or a.code in filters.area}
    needs = visible_needs(user).filter(need_status__in=GAP_STATUSES, country_id__in=list(c_index))
    if filters.area:
        needs = needs.filter(pk__in=Need.objects.filter(thematic_areas__code__in=filters.area).values("pk"))
    stale = stale_before()
    rows = [
        r
        for r in needs.values_list(
            "pk", "country_id", "thematic_areas", "priority", "created_at", "updated_at"
        )
        if r[2] in wanted_areas
    ]
    if not rows:
        return Gaps([], np.zeros(0, dtype=np.int64), [], [], [], 0, 0, 0, cov.reliance, 0)
    need_id = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    ci = np.fromiter((c_index[r[1]] for r in rows), dtype=np.int64, count=len(rows))
    ai = np.fromiter((a_index[r[2]] for r in rows), dtype=np.int64, count=len(rows))
    priority = np.fromiter((PRIORITY_RANK.get(r[3], 3) for r in rows), dtype=np.int64, count=len(rows))
    created = np.fromiter((r[4].timestamp() for r in rows), dtype=float, count=len(rows))
    old = np.fromiter((r[5] < stale for r in rows), dtype=bool, count=len(rows))
    open_cell = covered[ci, ai] == 0
    # Rank the needs with a gap: priority, then age (oldest first), then id.
    open_ids, first = np.unique(need_id[open_cell], return_index=True)
    positions = np.flatnonzero(open_cell)[first]
    order = np.lexsort((open_ids, created[positions], priority[positions]))
    ranked = open_ids[order].tolist()
    n_c, n_a = len(cov.countries), len(cov.areas)
    per_country = np.bincount(ci, minlength=n_c)
    per_country_open = np.bincount(ci[open_cell], minlength=n_c)
    per_area = np.bincount(ai, minlength=n_a)
    per_area_open = np.bincount(ai[open_cell], minlength=n_a)
    countries = sorted(
        (
            (
                cov.countries[i],
                int(per_country[i]),
                int(per_country_open[i]),
                per_country_open[i] / per_country[i],
            )
            for i in np.flatnonzero(per_country)
        ),
        key=lambda row: (-row[2], -row[3], row[0].name_en),
    )
    areas = sorted(
        (
            (cov.areas[i], int(per_area[i]), int(per_area_open[i]), per_area_open[i] / per_area[i])
            for i in np.flatnonzero(per_area)
        ),
        key=lambda row: (-row[2], -row[3], row[0].position),
    )
    return Gaps(
        need_ids=ranked,
        open_needs=need_id[open_cell],
        open_areas=[cov.areas[a] for a in ai[open_cell].tolist()],
        countries=countries,
        areas=areas,
        needs_considered=len(np.unique(need_id)),
        need_areas=len(need_id),
        uncovered_areas=int(open_cell.sum()),
        reliance=cov.reliance,
        stale_needs=len(np.unique(need_id[open_cell & old])),
    )


def gap_needs(gaps: Gaps, ids):
    """The needs of ``ids`` (a page of ``gaps.need_ids``), in that order, with ``uncovered`` and ``age_days``
    set."""
    needs = Need.objects.filter(pk__in=ids).select_related("country").prefetch_related("thematic_areas")
    by_id = {n.pk: n for n in needs}
    uncovered = gaps.uncovered_for(ids)
    today = timezone.now()
    result = []
    for pk in ids:
        need = by_id.get(pk)
        if need is None:
            continue
        need.uncovered_areas = uncovered.get(pk, [])
        need.age_days = (today - need.created_at).days
        result.append(need)
    return result
