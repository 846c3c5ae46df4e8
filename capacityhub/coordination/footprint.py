"""The footprint of initiatives: where (country, region or the world) and on what (thematic area) each
initiative works, with the share of its budget that goes there. Computed with numpy over a ``Frame`` and
written with one bulk insert; coverage is then a grouped query over it.

Rules (also in docs/coordination.md):

- recipients are the initiative's countries and regions; a recipient's share of the budget is its
  percentage divided by the sum of the percentages given, or an equal share when any percentage is missing;
- a global initiative counts for every country: its rows have neither country nor region and hold its
  whole budget (shown as "global" in funding figures, never spread over countries);
- a region's rows count for every member country (expanded when figures are read); when an initiative
  lists a country that one of its regions also covers, the country row only carries money
  (``counted = False``) so the initiative counts once there; if its regions overlap one another, each
  covered country gets its own counted row and the region rows only carry money;
- the share of each recipient is divided equally among the initiative's thematic areas.
"""

import datetime

import numpy as np
from django.db import connection, transaction

from .frame import EPOCH, NO_DAY, STATE_CODES, Frame, region_members
from .models import Footprint

REGION_OFFSET = 10**7


def footprint_rows(frame: Frame, members=None):
    """The footprint of every initiative of ``frame`` as column arrays (row, country, region, area,
    counted, share)."""
    members = members if members is not None else region_members()
    n = len(frame)
    is_global = frame.scope == "global"
    # Recipients: countries then regions, as (row, unit, pct); unit = country id or REGION_OFFSET + region id.
    c, r = frame.countries, frame.regions
    rec_row = np.concatenate([c[:, 0], r[:, 0]]).astype(np.int64)
    rec_unit = np.concatenate([c[:, 1], r[:, 1] + REGION_OFFSET]).astype(np.int64)
    rec_pct = np.concatenate([c[:, 2], r[:, 2]])
    keep = ~is_global[rec_row] if len(rec_row) else np.zeros(0, dtype=bool)
    rec_row, rec_unit, rec_pct = rec_row[keep], rec_unit[keep], rec_pct[keep]
    # Shares: percentages normalized per initiative, or equal shares if any percentage is missing.
    count = np.bincount(rec_row, minlength=n)
    missing = np.bincount(rec_row, weights=np.isnan(rec_pct), minlength=n) > 0
    total = np.bincount(rec_row, weights=np.nan_to_num(rec_pct), minlength=n)
    use_pct = ~missing[rec_row] & (total[rec_row] > 0)
    share = np.where(use_pct, np.nan_to_num(rec_pct) / np.where(total[rec_row] > 0, total[rec_row], 1), 0)
    share = np.where(use_pct, share, 1.0 / np.maximum(count[rec_row], 1))
    counted = np.ones(len(rec_row), dtype=bool)

    # Countries also covered by one of the initiative's regions; overlapping regions.
    is_region = rec_unit >= REGION_OFFSET
    region_rows = np.flatnonzero(is_region)
    extra_row, extra_unit = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if len(region_rows):
        sizes = np.array([len(members.get(int(u - REGION_OFFSET), ())) for u in rec_unit[region_rows]])
        exp_row = np.repeat(rec_row[region_rows], sizes)
        exp_country = (
            np.concatenate(
                [members.get(int(u - REGION_OFFSET), np.zeros(0, np.int64)) for u in rec_unit[region_rows]]
            )
            if sizes.sum()
            else np.zeros(0, dtype=np.int64)
        )
        key = exp_row * REGION_OFFSET + exp_country
        country_rows = np.flatnonzero(~is_region)
        country_key = rec_row[country_rows] * REGION_OFFSET + rec_unit[country_rows]
        counted[country_rows[np.isin(country_key, key)]] = False
        unique_key, times = np.unique(key, return_counts=True)
        overlapping = np.unique(unique_key[times > 1] // REGION_OFFSET)
        if len(overlapping):
            # Regions of these initiatives overlap: count each covered country once, explicitly.
            hit = np.isin(rec_row, overlapping) & is_region
            counted[hit] = False
            direct = set((rec_row[~is_region] * REGION_OFFSET + rec_unit[~is_region]).tolist())
            chosen = np.isin(unique_key // REGION_OFFSET, overlapping)
            extra = np.array([k for k in unique_key[chosen].tolist() if k not in direct], dtype=np.int64)
            extra_row, extra_unit = extra // REGION_OFFSET, extra % REGION_OFFSET
    # Global initiatives: one recipient, the world (unit -1), the whole budget.
    global_rows = np.flatnonzero(is_global)
    rec_row = np.concatenate([rec_row, global_rows, extra_row])
    rec_unit = np.concatenate([rec_unit, np.full(len(global_rows), -1), extra_unit])
    share = np.concatenate([share, np.ones(len(global_rows)), np.zeros(len(extra_row))])
    counted = np.concatenate([counted, np.ones(len(global_rows), bool), np.ones(len(extra_row), bool)])

    # × thematic areas.
    areas = frame.areas
    order = np.argsort(areas[:, 0], kind="stable")
    a_row, a_term = areas[order, 0], areas[order, 1]
    n_areas = np.bincount(a_row, minlength=n)
    first = np.searchsorted(a_row, np.arange(n))
    reps = n_areas[rec_row]
    out_rec = np.repeat(np.arange(len(rec_row)), reps)
    offsets = np.arange(len(out_rec)) - np.repeat(np.cumsum(reps) - reps, reps)
    out_row = rec_row[out_rec]
    out_area = a_term[first[out_row] + offsets]
    out_unit = rec_unit[out_rec]
    out_share = share[out_rec] / np.maximum(n_areas[out_row], 1)
    out_counted = counted[out_rec]
    country = np.where((out_unit >= 0) & (out_unit < REGION_OFFSET), out_unit, 0)
    region = np.where(out_unit >= REGION_OFFSET, out_unit - REGION_OFFSET, 0)
    return out_row, country, region, out_area, out_counted, out_share, out_unit


def _date(days):
    return None if days == NO_DAY else (EPOCH + datetime.timedelta(days=int(days))).isoformat()


@transaction.atomic
def write_footprint(frame: Frame, *, replace_all=False, members=None):
    """Replace the footprint rows of the initiatives of ``frame`` (or every row, ``replace_all``)."""
    table = Footprint._meta.db_table
    with connection.cursor() as cursor:
        if replace_all:
            cursor.execute("DELETE FROM {}".format(table))
        else:
            ids = frame.ids.tolist()
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                cursor.execute(
                    "DELETE FROM {} WHERE initiative_id IN ({})".format(table, ",".join(["%s"] * len(part))),
                    part,
                )
    if not len(frame):
        return 0
    row, country, region, area, counted, share, place = footprint_rows(frame, members)
    starts = [_date(d) for d in frame.start.tolist()]
    ends = [_date(d) for d in frame.end.tolist()]
    states = [str(STATE_CODES[s]) for s in frame.state.tolist()]
    budget = [None if np.isnan(b) else float(b) for b in frame.budget.tolist()]
    records = (
        (
            int(frame.ids[r]),
            c or None,
            g or None,
            int(a),
            int(p),
            bool(k),
            float(s),
            budget[r],
            frame.currency[r],
            states[r],
            frame.status[r],
            starts[r],
            ends[r],
        )
        for r, c, g, a, p, k, s in zip(
            row.tolist(),
            country.tolist(),
            region.tolist(),
            area.tolist(),
            place.tolist(),
            counted.tolist(),
            share.tolist(),
            strict=True,
        )
    )
    sql = (
        "INSERT INTO {} (initiative_id, country_id, region_id, area_id, place, counted, share, budget, "
        "currency, state, status, start, {}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    ).format(table, connection.ops.quote_name("end"))
    batch = []
    with connection.cursor() as cursor:
        for record in records:
            batch.append(record)
            if len(batch) >= 20000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    return len(row)
