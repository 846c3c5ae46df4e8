"""The analysis: a full run over every initiative (``analyze_all``, the background task and
``manage.py analyze_coordination``) and the update of one initiative when it is saved
(``analyze_initiative``). Both write the same derived tables: footprint, facts (completeness), pairs."""

import datetime
import logging
import time
import tracemalloc
import zlib

import numpy as np
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from capacityhub.core.choices import Status
from capacityhub.reference.models import Region, Term
from capacityhub.registry.models import Initiative

from . import footprint, similarity
from .choices import COUNTED_STATES, STATE_OF_STATUS, RunKind, RunStatus, State
from .frame import analysed_initiatives, load_frame, region_members
from .keys import initiative_keys
from .models import (
    AnalysisRun,
    CoverageCell,
    ExchangeRate,
    InitiativeFacts,
    InitiativeKey,
    OverlapPair,
    TextModel,
)
from .quality import completeness_matrix, completeness_scores

logger = logging.getLogger(__name__)
MAX_CANDIDATES = 1500
PAIR_COLUMNS = [
    "initiative_a_id",
    "initiative_b_id",
    "score",
    "duplicate_score",
    "text_similarity",
    "title_similarity",
    "organization_similarity",
    "country_similarity",
    "area_similarity",
    "period_overlap",
    "overlap_days",
    "date_distance_days",
    "budget_ratio",
    "same_identifier",
    "computed_at",
]


def usd_rates():
    rates = {rate.currency: float(rate.usd_per_unit) for rate in ExchangeRate.objects.all()}
    rates.setdefault("USD", 1.0)
    return rates


_IDF = {}


def stored_idf():
    """The IDF of the last full run (decompressed once per process and run)."""
    current = TextModel.objects.order_by("-created_at").values_list("pk", "created_at").first()
    if current is None:
        return None
    if current not in _IDF:
        model = TextModel.objects.get(pk=current[0])
        _IDF.clear()
        _IDF[current] = np.frombuffer(zlib.decompress(bytes(model.idf)), dtype=np.float32)
    return _IDF[current]


def store_idf(idf, documents):
    TextModel.objects.all().delete()
    TextModel.objects.create(idf=zlib.compress(idf.astype(np.float32).tobytes(), 6), documents=documents)


def write_pairs(frame, scores, *, delete_all=False, involving=None):
    """Replace the stored pairs: all of them, or those involving the initiatives ``involving``."""
    table = OverlapPair._meta.db_table
    if delete_all:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM {}".format(table))
    elif involving:
        OverlapPair.objects.filter(Q(initiative_a__in=involving) | Q(initiative_b__in=involving)).delete()
    if not len(scores):
        return 0
    now = timezone.now()
    ids = frame.ids
    a, b = ids[scores.a.astype(np.int64)], ids[scores.b.astype(np.int64)]
    low, high = np.minimum(a, b), np.maximum(a, b)
    budget_ratio = [None if np.isnan(x) else round(float(x), 4) for x in scores.budget_ratio.tolist()]
    rows = zip(
        low.tolist(),
        high.tolist(),
        scores.score.tolist(),
        scores.duplicate_score.tolist(),
        np.round(scores.text, 4).tolist(),
        np.round(scores.title, 4).tolist(),
        np.round(scores.organizations, 4).tolist(),
        np.round(scores.countries, 4).tolist(),
        np.round(scores.areas, 4).tolist(),
        np.round(scores.period, 4).tolist(),
        scores.overlap_days.astype(int).tolist(),
        scores.date_distance.astype(int).tolist(),
        budget_ratio,
        scores.same_identifier.astype(bool).tolist(),
        [now] * len(low),
        strict=True,
    )
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        table, ", ".join(PAIR_COLUMNS), ", ".join(["%s"] * len(PAIR_COLUMNS))
    )
    rows = list(rows)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20000):
            cursor.executemany(sql, rows[start : start + 20000])
    return len(rows)


def write_keys(ids, identifiers, *, replace_all=False):
    """Store the identifier keys of initiatives ``ids`` (a frame's, read when it was vectorized)."""
    table = InitiativeKey._meta.db_table
    if replace_all:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM {}".format(table))
    else:
        InitiativeKey.objects.filter(initiative_id__in=list(ids)).delete()
    rows = [(int(pk), key) for pk, keys in zip(list(ids), identifiers, strict=True) for key in keys]
    sql = "INSERT INTO {} (initiative_id, {}) VALUES (%s, %s)".format(table, connection.ops.quote_name("key"))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20000):
            cursor.executemany(sql, rows[start : start + 20000])
    return len(rows)


def write_facts(initiative_ids=None):
    """Store the completeness of the given initiatives (default: all analysed ones), with what the
    reliance figures read: workflow status, coverage state, in the footprint or not, stale or not."""
    import json

    from .quality import stale_initiatives_q

    queryset = analysed_initiatives()
    table = InitiativeFacts._meta.db_table
    footprint_rows = footprint.Footprint.objects.all()
    if initiative_ids is not None:
        queryset = queryset.filter(pk__in=list(initiative_ids))
        footprint_rows = footprint_rows.filter(initiative_id__in=list(initiative_ids))
        InitiativeFacts.objects.filter(initiative_id__in=list(initiative_ids)).delete()
    else:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM {}".format(table))
    ids, flags, checks = completeness_matrix(queryset)
    scores, patterns, index = completeness_scores(flags)
    missing = [json.dumps([c.code for bit, c in enumerate(checks) if int(p) >> bit & 1]) for p in patterns]
    status_codes = dict(Term.objects.filter(vocabulary__code="activity-status").values_list("pk", "code"))
    meta = {
        pk: (status, str(STATE_OF_STATUS.get(status_codes.get(activity), State.STOPPED)))
        for pk, status, activity in queryset.values_list("pk", "status", "activity_status_id").iterator(20000)
    }
    stale = set(queryset.filter(stale_initiatives_q()).values_list("pk", flat=True).iterator(20000))
    in_footprint = set(footprint_rows.values_list("initiative_id", flat=True).distinct().iterator(20000))
    now = timezone.now()
    values = [
        (pk, score, missing[i], *meta.get(pk, ("", "")), pk in in_footprint, pk in stale, now)
        for pk, score, i in zip(ids.tolist(), scores.tolist(), index.tolist(), strict=True)
    ]
    sql = (
        "INSERT INTO {} (initiative_id, completeness, missing, status, state, in_footprint, stale, "
        "analysed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    ).format(table)
    with connection.cursor() as cursor:
        for start in range(0, len(values), 20000):
            cursor.executemany(sql, values[start : start + 20000])
    return len(values)


CELL_KEYS = ["country_id", "region_id", "area_id", "state", "currency", "counted"]


def rebuild_cells():
    """The published footprint of active and planned initiatives (the only ones coverage counts) summed
    into coverage cells (one grouped INSERT … SELECT)."""
    cells, rows = CoverageCell._meta.db_table, footprint.Footprint._meta.db_table
    keys = ", ".join(CELL_KEYS)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM {}".format(cells))
        cursor.execute(
            "INSERT INTO {cells} ({keys}, rows, money, budget_rows) "
            "SELECT {keys}, COUNT(*), COALESCE(SUM(budget * share), 0), COUNT(budget) FROM {rows} "
            "WHERE status = %s AND state IN (%s, %s) GROUP BY {keys}".format(
                cells=cells, rows=rows, keys=keys
            ),
            [str(Status.PUBLISHED), *[str(s) for s in COUNTED_STATES]],
        )
        return cursor.rowcount


def published_cells_of(initiative_id):
    """The contribution of one initiative's published footprint rows to the cells: {key: [rows, money,
    budget rows]}."""
    found = {}
    rows = footprint.Footprint.objects.filter(
        initiative_id=initiative_id, status=Status.PUBLISHED, state__in=COUNTED_STATES
    )
    for *key, budget, share in rows.values_list(*CELL_KEYS, "budget", "share"):
        total = found.setdefault(tuple(key), [0, 0.0, 0])
        total[0] += 1
        if budget is not None:
            total[1] += budget * share
            total[2] += 1
    return found


def apply_cells(before, after):
    """Add ``after − before`` to the cells (an initiative saved: its old contribution out, the new in)."""
    for key in set(before) | set(after):
        old, new = before.get(key, [0, 0.0, 0]), after.get(key, [0, 0.0, 0])
        delta = [new[0] - old[0], new[1] - old[1], new[2] - old[2]]
        if not any(delta):
            continue
        match = dict(zip(CELL_KEYS, key, strict=True))
        cells = CoverageCell.objects.filter(**match)
        updated = cells.update(
            rows=F("rows") + delta[0], money=F("money") + delta[1], budget_rows=F("budget_rows") + delta[2]
        )
        if not updated:
            CoverageCell.objects.create(**match, rows=delta[0], money=delta[1], budget_rows=delta[2])
    CoverageCell.objects.filter(rows__lte=0).delete()


def analyze_all(*, measure_memory=False):
    """Recompute everything from the initiatives. Returns the run's figures (seconds, counts)."""
    run = AnalysisRun.objects.create(kind=RunKind.FULL)
    if measure_memory:
        tracemalloc.start()
    timings = {}
    clock = time.perf_counter()

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    try:
        frame = load_frame(with_text="lazy")
        lap("load")
        members = region_members()
        with transaction.atomic():
            rows = footprint.write_footprint(frame, replace_all=True, members=members)
        lap("footprint")
        vectors, idf = similarity.vectorize(frame, rates=usd_rates(), fit=True)
        lap("vectorize")
        # Blocking and scoring streamed chunk by chunk: only the pairs found are kept.
        compared, parts, blocking = 0, [], 0.0
        began = time.perf_counter()
        for a, b in similarity.candidate_chunks(frame, vectors):
            blocking += time.perf_counter() - began
            compared += len(a)
            parts.append(similarity.score_pairs(vectors, a, b).found())
            began = time.perf_counter()
        blocking += time.perf_counter() - began
        found = similarity.Scores.concat(parts).unique(len(frame))
        lap("blocking_and_scoring")
        timings["of_which_blocking"] = round(blocking, 3)
        with transaction.atomic():
            store_idf(idf, len(frame))
            pairs = write_pairs(frame, found, delete_all=True)
            keys = write_keys(frame.ids.tolist(), frame.identifiers, replace_all=True)
        lap("write_pairs")
        with transaction.atomic():
            facts = write_facts()
            cells = rebuild_cells()
        lap("quality")
        stats = {
            "initiatives": len(frame),
            "footprint_rows": int(rows),
            "candidate_pairs": int(compared),
            "naive_pairs": len(frame) * (len(frame) - 1) // 2,
            "pairs": int(pairs),
            "overlaps": int(similarity.is_overlap(found).sum()),
            "strong_overlaps": int(similarity.is_strong_overlap(found).sum()),
            "duplicates": int(similarity.is_duplicate(found).sum()),
            "facts": facts,
            "coverage_cells": cells,
            "identifier_keys": keys,
            "same_identifier_pairs": int(found.same_identifier.sum()) if len(found) else 0,
            "seconds": timings,
            "total_seconds": round(sum(v for k, v in timings.items() if k != "of_which_blocking"), 3),
        }
        if measure_memory:
            stats["peak_traced_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        run.status, run.stats, run.finished_at = RunStatus.DONE, stats, timezone.now()
        run.save()
        from .selectors import refresh_filter_options

        refresh_filter_options()
        return stats
    except Exception:
        run.status, run.finished_at = RunStatus.FAILED, timezone.now()
        run.save()
        raise
    finally:
        if measure_memory:
            tracemalloc.stop()


def candidate_ids(initiative):
    """Initiatives to compare ``initiative`` with: same recipient and thematic area (read from the footprint,
    through its (place, area) index), periods not further apart than the gap, or the same identifier."""
    from .footprint import REGION_OFFSET

    areas = list(initiative.thematic_areas.values_list("pk", flat=True))
    countries = list(initiative.country_shares.values_list("country_id", flat=True))
    regions = list(initiative.region_shares.values_list("region_id", flat=True))
    # A regional initiative is compared with the national ones in its countries, and a national one with
    # the regional initiatives covering its country (as in the full analysis).
    through = Region.countries.through
    covered = list(through.objects.filter(region_id__in=regions).values_list("country_id", flat=True))
    covering = list(through.objects.filter(country_id__in=countries).values_list("region_id", flat=True))
    places = sorted(set(countries) | set(covered))
    places += [REGION_OFFSET + r for r in sorted(set(regions) | set(covering))]
    if initiative.geographic_scope == "global":
        places.append(-1)
    candidates = (
        footprint.Footprint.objects.filter(place__in=places, area_id__in=areas)
        .exclude(initiative_id=initiative.pk)
        .exclude(status=Status.ARCHIVED)
    )
    start, end = initiative.start, initiative.end
    gap = datetime.timedelta(days=similarity.MAX_GAP_DAYS)
    if start and end:
        # Periods further apart than the gap are never compared (as in the full analysis).
        candidates = candidates.exclude(end__lt=start - gap).exclude(start__gt=end + gap)
    rows = list(candidates.values_list("initiative_id", "start").distinct())
    if len(rows) > MAX_CANDIDATES:
        # A very large block: the nearest in time, as the full analysis's sorted neighbourhood does.
        anchor = start or datetime.date.today()
        rows.sort(key=lambda r: abs(((r[1] or anchor) - anchor).days))
        rows = rows[:MAX_CANDIDATES]
    found = {r[0] for r in rows}
    # The same identifier key (IATI identifier, project number, a donor's project id), wherever they are.
    keys = initiative_keys(initiative)
    if keys:
        found |= set(
            InitiativeKey.objects.filter(key__in=sorted(keys))
            .exclude(initiative_id=initiative.pk)
            .exclude(initiative__status=Status.ARCHIVED)
            .values_list("initiative_id", flat=True)[:MAX_CANDIDATES]
        )
    return sorted(found)


def compare_one(frame, row, idf, rates):
    """Scores of row ``row`` of ``frame`` against every other row (the candidates)."""
    vectors, _idf = similarity.vectorize(frame, idf=idf, rates=rates)
    others = np.array([r for r in range(len(frame)) if r != row], dtype=np.int64)
    scores = similarity.score_pairs(vectors, np.full(len(others), row), others)
    return scores


@transaction.atomic
def analyze_initiative(initiative_id):
    """Bring the derived data of one initiative up to date (its footprint, facts and pairs)."""
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    before = published_cells_of(initiative_id)
    if initiative is None or initiative.status == Status.ARCHIVED:
        apply_cells(before, {})
        OverlapPair.objects.involving(initiative_id).delete()
        InitiativeKey.objects.filter(initiative_id=initiative_id).delete()
        footprint.Footprint.objects.filter(initiative_id=initiative_id).delete()
        InitiativeFacts.objects.filter(initiative_id=initiative_id).delete()
        return {"pairs": 0}
    frame = load_frame([initiative_id])
    footprint.write_footprint(frame)
    apply_cells(before, published_cells_of(initiative_id))
    write_facts([initiative_id])
    ids = [initiative_id] + candidate_ids(initiative)
    frame = load_frame(ids)
    row = int(frame.rows_of([initiative_id])[0])
    scores = compare_one(frame, row, stored_idf(), usd_rates()).found()
    pairs = write_pairs(frame, scores, involving=[initiative_id])
    write_keys([initiative_id], [frame.identifiers[row]])
    return {"pairs": pairs, "candidates": len(ids) - 1}


def last_run():
    return (
        AnalysisRun.objects.filter(kind=RunKind.FULL, status=RunStatus.DONE).order_by("-started_at").first()
    )
