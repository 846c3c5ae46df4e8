"""Server time of the main pages and API lists on a large database (100,000 initiatives by default).

    .venv/bin/python bench/pages.py                          # SQLite: var/bench-pages.sqlite3
    .venv/bin/python bench/pages.py --initiatives 20000      # quicker
    .venv/bin/python bench/pages.py --postgres               # PostgreSQL database bench_pages (127.0.0.1)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_pages .venv/bin/python bench/pages.py

The database is filled once (``migrate``, ``load_reference``, ``generate_synthetic --initiatives N --needs N/5
--seed 1``, the search index of every initiative and need, ``analyze_coordination``) and re-used by later
runs of the same size: delete the file (or drop the database) to fill it again. It is never the development
database: the SQLite file is ``var/bench-pages-<N>.sqlite3`` and a PostgreSQL database must be named
``bench...``.

Each page is requested through Django's test client in this process, as an anonymous reader, with DEBUG off:
the time measured is the server's whole work (middleware, queries, template), without the network. The
script prints the median and 95th percentile of each page over ``--runs`` requests (after ``--warmup``; the
detail pages cycle through published initiatives), and for each API list the ratio of its median to the
bare SQL of the same page (the page's rows with every column, and the count the paginator needs) plus
``json.dumps`` of those rows. Aims (issue #7): every main page under 150 ms median, the API list within 3x
the bare query.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
AIM_PAGE_MS = 150
AIM_API_RATIO = 3


def configure(args):
    url = os.environ.get("DATABASE_URL")
    if args.postgres and not url:
        url = "postgres://postgres@127.0.0.1:5432/bench_pages"
    if url and url.startswith("postgres"):
        name = urlsplit(url).path.lstrip("/")
        if not name.startswith("bench"):
            raise SystemExit("refusing to fill database {!r}: its name must start with 'bench'".format(name))
        _create_postgres_database(url, name)
    else:
        path = ROOT / "var" / "bench-pages-{}.sqlite3".format(args.initiatives)
        path.parent.mkdir(parents=True, exist_ok=True)
        url = "sqlite:///{}".format(path)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return url


def _create_postgres_database(url, name):
    import psycopg

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute('CREATE DATABASE "{}"'.format(name))


def fill(initiatives, needs, say):
    from django.core.management import call_command
    from django.db import connection

    from capacityhub.core.search import index_records
    from capacityhub.registry.models import Initiative, Need

    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    have = Initiative.objects.count()
    if have >= initiatives:
        say("re-using the database: {:,} initiatives, {:,} needs".format(have, Need.objects.count()))
        return
    if have:
        raise SystemExit(
            "the database holds {:,} initiatives, not {:,}: delete it first".format(have, initiatives)
        )
    call_command("load_reference", verbosity=0)
    say("reference data loaded ({:.0f} s)".format(time.perf_counter() - began))
    call_command("generate_synthetic", initiatives=initiatives, needs=needs, seed=1, verbosity=0)
    say(
        "{:,} initiatives and {:,} needs generated ({:.0f} s)".format(
            initiatives, needs, time.perf_counter() - began
        )
    )
    for model, prefetch in ((Initiative, ("countries", "organizations")), (Need, ("country",))):
        chunk, queryset = [], model.objects.order_by("pk")
        queryset = (
            queryset.prefetch_related(*prefetch)
            if model is Initiative
            else queryset.select_related(*prefetch)
        )
        for record in queryset.iterator(chunk_size=2000):
            chunk.append(record)
            if len(chunk) == 2000:
                index_records(model, chunk)
                chunk = []
        index_records(model, chunk)
    say("search index built ({:.0f} s)".format(time.perf_counter() - began))
    call_command("analyze_coordination", verbosity=0)
    say("coordination analysed ({:.0f} s)".format(time.perf_counter() - began))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def pages():
    """(label, list of URLs to cycle through) of the main pages and the API lists."""
    from django.db.models import Count

    from capacityhub.core.choices import Status
    from capacityhub.core.models import SearchEntry
    from capacityhub.registry.models import Initiative

    published = list(
        Initiative.objects.filter(status=Status.PUBLISHED).order_by("?").values_list("pk", flat=True)[:50]
    )
    word = _common_word(SearchEntry)
    busiest = (
        Initiative.objects.filter(status=Status.PUBLISHED)
        .values("countries__iso2")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("countries__iso2", flat=True)[:1]
    )
    iso2 = busiest[0] if busiest else "KE"
    return (
        [
            ("home", ["/en/"]),
            ("initiative list", ["/en/initiatives/"]),
            ("initiative list, search + facet", ["/en/initiatives/?q={}&country={}".format(word, iso2)]),
            ("initiative list, page 200", ["/en/initiatives/?page=200"]),
            ("initiative detail", ["/en/initiatives/{}/".format(pk) for pk in published]),
            ("country page", ["/en/countries/{}/".format(iso2)]),
            ("coordination coverage", ["/en/coordination/"]),
            ("need list", ["/en/needs/"]),
            ("API initiatives", ["/api/initiatives/"]),
            ("API initiatives, search", ["/api/initiatives/?q={}".format(word)]),
            ("API needs", ["/api/needs/"]),
        ],
        word,
        iso2,
    )


def _common_word(SearchEntry):
    """A word many initiatives share (not a stop word): a realistic, busy search."""
    counts = {}
    for document in SearchEntry.objects.filter(record_type="initiative").values_list("document", flat=True)[
        :500
    ]:
        for token in set(document.lower().split()):
            if token.isalpha() and len(token) > 6:
                counts[token] = counts.get(token, 0) + 1
    return max(counts, key=counts.get) if counts else "biosafety"


def measure(client, urls, runs, warmup):
    times = []
    for i in range(warmup + runs):
        url = urls[i % len(urls)]
        began = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 200:
            raise SystemExit("{} answered {}".format(url, response.status_code))
        if i >= warmup:
            times.append(elapsed)
    return times


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def bare_api_page(model_label, runs, warmup):
    """The API list's first page the bare way: the same rows (every column) in the same order, the count
    the paginator needs, and ``json.dumps`` of the rows."""
    from django.apps import apps
    from django.conf import settings
    from django.db import connection

    from capacityhub.core.choices import Status

    model = apps.get_model(model_label)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [f.column for f in model._meta.concrete_fields]
    select = ", ".join(connection.ops.quote_name(c) for c in columns)
    ordering = _api_ordering(model)
    size = settings.REST_FRAMEWORK["PAGE_SIZE"]
    rows_sql = "SELECT {} FROM {} WHERE status = %s ORDER BY {} LIMIT {}".format(
        select, table, ordering, size
    )
    count_sql = "SELECT COUNT(*) FROM {} WHERE status = %s".format(table)
    times = []
    for i in range(warmup + runs):
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(count_sql, [Status.PUBLISHED])
            count = cursor.fetchone()[0]
            cursor.execute(rows_sql, [Status.PUBLISHED])
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        json.dumps({"count": count, "results": rows}, default=str)
        if i >= warmup:
            times.append((time.perf_counter() - began) * 1000)
    return times


def _api_ordering(model):
    """The API list's ORDER BY, taken from the query the API view really runs."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    path = {"registry.initiative": "/api/initiatives/", "registry.need": "/api/needs/"}[
        model._meta.label_lower
    ]
    with CaptureQueriesContext(connection) as queries:
        Client().get(path)
    table = model._meta.db_table
    for query in queries.captured_queries:
        sql = query["sql"]
        if "LIMIT" in sql and 'FROM "{}"'.format(table) in sql and "ORDER BY" in sql:
            order = sql.rsplit("ORDER BY", 1)[1].split("LIMIT")[0].strip()
            return order.replace('"{}".'.format(table), "")
    return "id DESC"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--initiatives", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=None, help="default: initiatives / 5")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--postgres", action="store_true", help="PostgreSQL database bench_pages on 127.0.0.1"
    )
    args = parser.parse_args()
    url = configure(args)

    def say(text):
        print("  " + text, flush=True)

    from django.db import connection
    from django.test import Client

    print("CapacityHub page benchmark: {} ({})".format(connection.vendor, url.split("@")[-1]), flush=True)
    fill(args.initiatives, args.needs or args.initiatives // 5, say)
    from capacityhub.registry.models import Initiative, Need

    print(
        "  {:,} initiatives, {:,} needs; {} runs per page after {} warm-up".format(
            Initiative.objects.count(), Need.objects.count(), args.runs, args.warmup
        )
    )
    client = Client()
    listing, word, iso2 = pages()
    print("  search word {!r}, facet country {}".format(word, iso2))
    print()
    print("| page | median ms | p95 ms | aim |")
    print("|---|---:|---:|---|")
    medians = {}
    for label, urls in listing:
        times = measure(client, urls, args.runs, args.warmup)
        medians[label] = statistics.median(times)
        aim = "" if label.startswith("API") else ("ok" if medians[label] < AIM_PAGE_MS else "OVER 150 ms")
        print("| {} | {:.1f} | {:.1f} | {} |".format(label, medians[label], p95(times), aim), flush=True)
    print()
    print("| API list | API median ms | bare SQL + JSON median ms | ratio | aim (3x) |")
    print("|---|---:|---:|---:|---|")
    for label, model in (("API initiatives", "registry.initiative"), ("API needs", "registry.need")):
        bare = statistics.median(bare_api_page(model, args.runs, args.warmup))
        ratio = medians[label] / bare
        print(
            "| {} | {:.1f} | {:.1f} | {:.1f}x | {} |".format(
                label, medians[label], bare, ratio, "ok" if ratio <= AIM_API_RATIO else "OVER"
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
