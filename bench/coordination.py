"""Benchmark of the coordination analysis: time and peak memory of the full analysis at several sizes, the
ratio to a naive all-pairs comparison (at 10k), precision and recall against the planted truth, and the
coverage page's median server time.

    .venv/bin/python bench/coordination.py                 # 10k and 100k (about 10 minutes here)
    .venv/bin/python bench/coordination.py --sizes 10000   # quick
    .venv/bin/python bench/coordination.py --sizes 1000000 --no-naive --page-runs 0

Each size gets its own SQLite database under --dir (re-used if it exists: delete it to regenerate). Each
step runs in its own process so that its peak memory (max RSS) is its own. Not part of the test suite.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_step(db, step, *args):
    env = dict(
        os.environ, DATABASE_URL="sqlite:///{}".format(db), DJANGO_SETTINGS_MODULE="config.settings.base"
    )
    env.setdefault("DEBUG", "0")
    out = subprocess.run(
        [sys.executable, __file__, "--step", step, *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        sys.stderr.write(out.stdout + out.stderr)
        raise SystemExit("step {} failed".format(step))
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- steps, each in its own process ---------------------------------------------------------------------


def setup_django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def peak_mb():
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def step_prepare(size, needs, seed):
    setup_django()
    from django.core.management import call_command

    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    from capacityhub.coordination.synthetic import generate

    stats = generate(initiatives=size, needs=needs, seed=seed)
    return {"generate_seconds": round(time.perf_counter() - began, 1), **stats}


def step_analyze():
    setup_django()
    from capacityhub.coordination.analysis import analyze_all

    began = time.perf_counter()
    stats = analyze_all()
    stats["wall_seconds"] = round(time.perf_counter() - began, 2)
    stats["peak_rss_mb"] = peak_mb()
    return stats


def truth_sets():
    """Planted pairs and the pairs they imply: the base, its duplicates and its overlaps form a group; pairs
    among the base and its duplicates are duplicates, every other pair in the group an overlap."""
    from capacityhub.coordination.models import SyntheticTruth

    rows = list(SyntheticTruth.objects.values_list("initiative_a_id", "initiative_b_id", "kind"))
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    dup_parent = {}

    def dup_find(x):
        dup_parent.setdefault(x, x)
        while dup_parent[x] != x:
            dup_parent[x] = dup_parent[dup_parent[x]]
            x = dup_parent[x]
        return x

    for a, b, kind in rows:
        parent[find(a)] = find(b)
        if kind == "duplicate":
            dup_parent[dup_find(a)] = dup_find(b)
    groups = {}
    for x in list(parent):
        groups.setdefault(find(x), []).append(x)
    duplicates, overlaps = set(), set()
    for members in groups.values():
        members.sort()
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                (duplicates if dup_find(a) == dup_find(b) else overlaps).add((a, b))
    return duplicates, overlaps


def precision_recall(found, truth):
    tp = len(found & truth)
    return {
        "found": len(found),
        "truth": len(truth),
        "true_positives": tp,
        "precision": round(tp / len(found), 3) if found else None,
        "recall": round(tp / len(truth), 3) if truth else None,
    }


def step_quality():
    setup_django()
    from capacityhub.coordination import similarity
    from capacityhub.coordination.models import OverlapPair

    duplicates, overlaps = truth_sets()
    pairs = OverlapPair.objects.values_list(
        "initiative_a_id", "initiative_b_id", "score", "duplicate_score", "text_similarity"
    )
    found_dup, found_overlap, found_weak = set(), set(), set()
    for a, b, score, dup, text in pairs.iterator(chunk_size=10000):
        if similarity.is_duplicate_value(dup):
            found_dup.add((a, b))
        elif similarity.is_overlap_value(score, text):
            found_overlap.add((a, b))
            found_weak.add((a, b))
        elif similarity.is_overlap_value(score, text, strong=False):
            found_weak.add((a, b))
    return {
        "duplicates": precision_recall(found_dup, duplicates),
        "overlaps": precision_recall(found_overlap, overlaps),
        "overlaps_with_weaker_signals": precision_recall(found_weak, overlaps),
    }


def step_naive():
    """Score every pair (no blocking), chunk by chunk, and compare with the blocked analysis."""
    setup_django()
    import numpy as np

    from capacityhub.coordination import similarity
    from capacityhub.coordination.analysis import usd_rates
    from capacityhub.coordination.frame import load_frame

    frame = load_frame()
    began = time.perf_counter()
    vectors, _idf = similarity.vectorize(frame, rates=usd_rates(), fit=True)
    n = len(frame)
    kept = 0
    blocked_started = time.perf_counter()
    a, b = similarity.block_pairs(frame, vectors)
    blocked_scores = similarity.score_pairs(vectors, a, b).found()
    blocked_seconds = time.perf_counter() - blocked_started
    blocked = set(zip(blocked_scores.a.tolist(), blocked_scores.b.tolist(), strict=True))

    def strong(scores):
        keep = similarity.is_strong_overlap(scores) | similarity.is_duplicate(scores)
        return set(zip(scores.a[keep].tolist(), scores.b[keep].tolist(), strict=True))

    blocked_strong = strong(blocked_scores)
    naive_strong = set()
    naive_found = set()
    naive_started = time.perf_counter()
    rows = np.arange(n)
    for i in range(0, n - 1, 200):
        left = np.repeat(rows[i : i + 200], [n - 1 - r for r in rows[i : i + 200]])
        right = np.concatenate([np.arange(r + 1, n) for r in rows[i : i + 200]])
        found = similarity.score_pairs(vectors, left, right).found()
        kept += len(found)
        naive_found |= set(zip(found.a.tolist(), found.b.tolist(), strict=True))
        naive_strong |= strong(found)
    naive_seconds = time.perf_counter() - naive_started
    return {
        "initiatives": n,
        "vectorize_seconds": round(blocked_started - began, 2),
        "blocked_candidates": int(len(a)),
        "naive_pairs": n * (n - 1) // 2,
        "blocked_seconds": round(blocked_seconds, 2),
        "naive_seconds": round(naive_seconds, 2),
        "speed_ratio": round(naive_seconds / blocked_seconds, 1),
        "comparison_ratio": round(n * (n - 1) / 2 / max(len(a), 1), 1),
        "naive_found": len(naive_found),
        "blocked_found": len(blocked),
        "blocking_recall": round(len(blocked & naive_found) / max(len(naive_found), 1), 4),
        "blocking_recall_strong": round(len(blocked_strong & naive_strong) / max(len(naive_strong), 1), 4),
    }


def step_page(runs):
    """The coverage page's server time: from the cache (what almost every reader gets), just after a save
    (a save makes the cached figures stale: the reader recomputes them, from the precomputed coverage cells
    for the default view) and with the whole cache cleared (after a restart: the filter choices too)."""
    setup_django()
    import statistics

    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import setup_test_environment

    from capacityhub.coordination.coverage import bump_generation

    setup_test_environment()
    client = Client(HTTP_HOST="localhost")
    results = {}

    def timed(url, before, count):
        """Median wall time, and median CPU time of this process (SQLite runs in it: the server's own
        work, without the time spent waiting for a core on a busy machine), in ms."""
        times, cpu = [], []
        for _ in range(count):
            before()
            began, began_cpu = time.perf_counter(), time.process_time()
            assert client.get(url).status_code == 200
            times.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        return round(1000 * statistics.median(times), 1), round(1000 * statistics.median(cpu), 1)

    for label, url in (
        ("coverage", "/en/coordination/"),
        ("coverage_filtered", "/en/coordination/?region=cbd-africa&status=active"),
    ):
        cleared = timed(url, cache.clear, max(1, runs // 4))
        after_save = timed(url, bump_generation, max(1, runs // 2))
        cached = timed(url, lambda: None, runs)
        results[label] = {
            "median_ms_cached": cached[0],
            "median_ms_after_save": after_save[0],
            "median_ms_cache_cleared": cleared[0],
            "median_cpu_ms_cached": cached[1],
            "median_cpu_ms_after_save": after_save[1],
            "median_cpu_ms_cache_cleared": cleared[1],
            "runs": runs,
        }
    return results


def step_incremental(runs=20):
    setup_django()
    import random
    import statistics

    from capacityhub.coordination.analysis import analyze_initiative
    from capacityhub.registry.models import Initiative

    ids = list(Initiative.objects.values_list("pk", flat=True))
    rng = random.Random(1)
    times = []
    for pk in rng.sample(ids, min(runs, len(ids))):
        began = time.perf_counter()
        analyze_initiative(pk)
        times.append(time.perf_counter() - began)
    return {
        "median_ms": round(1000 * statistics.median(times), 1),
        "max_ms": round(1000 * max(times), 1),
        "runs": len(times),
    }


STEPS = {
    "prepare": lambda args: step_prepare(args.size, args.needs, args.seed),
    "analyze": lambda args: step_analyze(),
    "quality": lambda args: step_quality(),
    "naive": lambda args: step_naive(),
    "page": lambda args: step_page(args.page_runs),
    "incremental": lambda args: step_incremental(),
}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--dir", default="/tmp/capacityhub-bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-naive", action="store_true", help="Skip the naive all-pairs comparison.")
    parser.add_argument("--page-runs", type=int, default=20, help="Coverage page requests at 100k or more.")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--needs", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(STEPS[args.step](args)))
        return
    Path(args.dir).mkdir(parents=True, exist_ok=True)
    report = {}
    for size in args.sizes:
        db = Path(args.dir) / "bench-{}.sqlite3".format(size)
        result = {}
        if not db.exists():
            result["prepare"] = run_step(
                db,
                "prepare",
                "--size",
                str(size),
                "--needs",
                str(max(1000, size // 5)),
                "--seed",
                str(args.seed),
            )
        analysis = run_step(db, "analyze")
        result["analysis"] = analysis
        result["quality"] = run_step(db, "quality")
        result["incremental"] = run_step(db, "incremental")
        if size <= 20000 and not args.no_naive:
            result["naive"] = run_step(db, "naive")
        if size >= 100000 and args.page_runs:
            result["page"] = run_step(db, "page", "--page-runs", str(args.page_runs))
        report[size] = result
        print_size(size, result)
    print(json.dumps(report, indent=1))


def print_size(size, result):
    a = result["analysis"]
    print("== {:,} initiatives ==".format(size))
    if "prepare" in result:
        print(
            "generated in {generate_seconds} s ({overlaps} planted overlaps, "
            "{duplicates} planted duplicates)".format(**result["prepare"])
        )
    print(
        "full analysis: {} s wall, peak RSS {} MB; candidate pairs {:,} of {:,} possible "
        "({} per initiative)".format(
            a["wall_seconds"],
            a["peak_rss_mb"],
            a["candidate_pairs"],
            a["naive_pairs"],
            round(a["candidate_pairs"] / max(size, 1), 1),
        )
    )
    print("  steps (s): " + ", ".join("{} {}".format(k, v) for k, v in a["seconds"].items()))
    if "identifier_keys" in a:
        print(
            "  identifier keys: {:,}; pairs sharing one: {:,}; coverage cells: {:,}".format(
                a["identifier_keys"], a["same_identifier_pairs"], a.get("coverage_cells", 0)
            )
        )
    q = result["quality"]
    for kind in ("duplicates", "overlaps", "overlaps_with_weaker_signals"):
        print(
            "  {}: precision {precision}, recall {recall} (found {found}, planted {truth})".format(
                kind, **q[kind]
            )
        )
    print(
        "  incremental (one initiative): median {median_ms} ms, max {max_ms} ms".format(
            **result["incremental"]
        )
    )
    if "naive" in result:
        n = result["naive"]
        print(
            "  naive all-pairs: {naive_seconds} s vs blocked {blocked_seconds} s (x{speed_ratio}), "
            "{comparison_ratio}x fewer comparisons, "
            "blocking keeps {blocking_recall} of the naive finds "
            "({blocking_recall_strong} of its strong overlaps and duplicates)".format(**n)
        )
    if "page" in result:
        for label, p in result["page"].items():
            print(
                "  {} page: median {} ms (cached), {} ms (just after a save), {} ms (cache cleared); CPU "
                "{} / {} / {} ms".format(
                    label,
                    p["median_ms_cached"],
                    p["median_ms_after_save"],
                    p["median_ms_cache_cleared"],
                    p["median_cpu_ms_cached"],
                    p["median_cpu_ms_after_save"],
                    p["median_cpu_ms_cache_cleared"],
                )
            )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
