"""Benchmark of the IATI import: activities per second, peak memory at two file sizes, and the ratio of the
import's speed to a bare ``lxml`` ``iterparse`` pass over the same file.

    .venv/bin/python bench/iati_import.py                      # 10,000 and 50,000 activities, shares 0.05, 1
    .venv/bin/python bench/iati_import.py --sizes 2000 10000   # quicker
    .venv/bin/python bench/iati_import.py --share 0.05         # the realistic portfolio only
    .venv/bin/python bench/iati_import.py --dir /tmp/iati-bench --keep

The files are synthetic and deterministic (same seed, same share, same file). A fraction ``--share`` of the
activities is biosafety capacity-building (found by keywords in English, Spanish or French) and imported; the
others are the rest of a donor's portfolio (health, education, roads, water, energy, public finance, with
their own sectors and policy markers, titles in the six languages of the platform): validated and skipped.
Two files per size by default: share 0.05, a donor's whole portfolio, in which biosafety capacity-building
is a small part (an assumption, and a generous one), and share 1, the worst case, every activity imported.
Each activity has two or three participating organizations out of a pool of 400, recipient countries with
percentages, sectors, a policy marker, budgets, transactions, a document link; one in five has a contact.

Each import runs in its own process on a throwaway SQLite database (migrated and loaded with the reference
data once, then copied), so that its peak memory (max RSS) is its own. With ``--database-url
postgres://postgres@127.0.0.1:5432/NAME`` the imports run on PostgreSQL instead (NAME created afresh from
NAME_template for each size). Versions and search entries are written as by any import. Figures are
printed, not asserted. Not part of the test suite.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Share of the activities that are biosafety capacity-building in the realistic file: a donor's whole
#: portfolio, in which biosafety capacity-building is a small part (an assumption, and a generous one).
DEFAULT_SHARE = 0.05
COUNTRIES = [
    "KE",
    "UG",
    "TZ",
    "ET",
    "CO",
    "PE",
    "EC",
    "BO",
    "VN",
    "KH",
    "LA",
    "MN",
    "GH",
    "NG",
    "SN",
    "CM",
    "MA",
    "EG",
    "JO",
    "LB",
    "UA",
    "MD",
    "GE",
    "AM",
    "FJ",
    "WS",
    "PG",
    "CU",
    "HT",
    "JM",
]
REGIONS = ["298", "1027", "1028", "1029", "1030", "489", "1031", "619", "679", "889"]
SECTORS = ["41030", "31182", "43082", "41081", "41010", "31192", "32182", "12182", "15110", "43040"]
TITLES = [
    ("en", "Strengthening biosafety capacity for risk assessment of LMOs in {country}"),
    ("es", "Fortalecimiento de la bioseguridad y de la evaluación del riesgo de los OVM en {country}"),
    ("fr", "Renforcement des capacités en biosécurité et détection des OGM au {country}"),
    ("en", "Implementation of the national biosafety framework of {country}, phase {n}"),
]
#: Activities of the rest of a donor's portfolio: health, education, roads, water, energy, governance, in the
#: six languages of the platform, with their own sectors and descriptions (none matches a selecting rule).
OTHER_TITLES = [
    ("en", "Rural electrification in {country}, phase {n}", "Power lines and solar mini-grids for villages."),
    ("fr", "Eau potable et assainissement au {country}", "Forages, réseaux d'adduction et latrines."),
    ("es", "Rehabilitación de la red vial rural de {country}", "Obras de caminos y puentes, fase {n}."),
    ("en", "Maternal and child health services in {country}", "Primary care, vaccination and nutrition."),
    (
        "fr",
        "Éducation de base pour tous au {country}, phase {n}",
        "Construction d'écoles et formation des enseignants.",
    ),
    ("es", "Salud materna e infantil en {country}", "Atención primaria, vacunación y nutrición."),
    ("ar", "تحسين التعليم الأساسي في {country}", "بناء المدارس وتدريب المعلمين."),
    ("ru", "Модернизация дорожной сети в {country}", "Строительство дорог и мостов, этап {n}."),
    ("zh", "{country}农村供水项目", "打井和供水管网建设。"),
    ("en", "Public financial management reform in {country}", "Budget execution and audit systems."),
]
#: Their sectors: basic health care, basic education, road transport, water supply, energy, public finance,
#: agricultural policy (none is a code the mapping rules know).
OTHER_SECTORS = ["12220", "11220", "21020", "14030", "23210", "15111", "31110", "12240", "11320", "16010"]
#: Their policy markers: gender, environment, good governance, climate (not biodiversity, code 5).
OTHER_MARKERS = ["1", "2", "3", "6"]


def generate(path, count, share=DEFAULT_SHARE, seed=2024):
    """Write a deterministic IATI 2.03 file of ``count`` activities, of which a fraction ``share`` (drawn at
    random) is biosafety capacity-building; returns its size in bytes."""
    rnd = random.Random(seed)
    organisations = ["XM-DAC-{}".format(40000 + i) for i in range(400)]
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" '
            'generated-datetime="2024-06-01T00:00:00Z">\n'
        )
        for n in range(count):
            reporting = rnd.choice(organisations)
            country = rnd.choice(COUNTRIES)
            in_scope = rnd.random() < share
            if in_scope:
                lang, title = rnd.choice(TITLES)
                summary = (
                    "with training of regulators, laboratory equipment and public awareness. Biosafety and "
                    "risk management."
                )
            else:
                lang, title, summary = rnd.choice(OTHER_TITLES)
                summary = ": " + summary.format(n=n % 7 + 1)
            title = title.format(country=country, n=n % 7 + 1)
            others = rnd.sample(COUNTRIES, 2)
            split = rnd.choice([(100, None, None), (60, 40, None), (50, 30, 20)])
            year = rnd.randint(2010, 2023)
            parts = [
                '<iati-activity xml:lang="{}" default-currency="USD" '
                'last-updated-datetime="2024-05-01T00:00:00Z">'.format(lang),
                "<iati-identifier>{}-BS-{:06d}</iati-identifier>".format(reporting, n),
                '<reporting-org ref="{0}" type="40"><narrative>Agency {0}</narrative></reporting-org>'.format(
                    reporting
                ),
                "<title><narrative>{}</narrative>".format(title),
                '<narrative xml:lang="{}">{} (translation)</narrative></title>'.format(
                    "fr" if lang != "fr" else "en", title
                ),
                '<description type="1"><narrative>Project number {} supporting {} {}</narrative>'
                "</description>".format(n, country, summary),
                '<description type="2"><narrative>Objectives of project {}.</narrative></description>'.format(
                    n
                ),
            ]
            for role, org in zip(
                ("1", "4", "3"), rnd.sample(organisations, rnd.choice((2, 3))), strict=False
            ):
                parts.append(
                    '<participating-org ref="{0}" role="{1}" type="{2}"><narrative>Agency {0}</narrative>'
                    "</participating-org>".format(org, role, rnd.choice(("10", "21", "40", "80")))
                )
            parts.append('<other-identifier ref="P{:06d}" type="A1"/>'.format(n))
            parts.append('<activity-status code="{}"/>'.format(rnd.choice("12345")))
            parts.append('<activity-date iso-date="{}-01-15" type="1"/>'.format(year))
            parts.append('<activity-date iso-date="{}-03-01" type="2"/>'.format(year))
            parts.append('<activity-date iso-date="{}-12-31" type="3"/>'.format(year + rnd.randint(1, 5)))
            if n % 5 == 0:
                parts.append(
                    '<contact-info type="1"><organisation><narrative>Agency {0}</narrative></organisation>'
                    "<person-name><narrative>Officer {1}</narrative></person-name>"
                    "<email>officer{1}@example.org</email></contact-info>".format(reporting, n % 3000)
                )
            parts.append('<activity-scope code="{}"/>'.format("4" if split[1] is None else "2"))
            places = [country] + others
            for place, pct in zip(places, split, strict=False):
                if pct is not None:
                    parts.append('<recipient-country code="{}" percentage="{}"/>'.format(place, pct))
            sector = rnd.choice(SECTORS if in_scope else OTHER_SECTORS)
            parts.append('<sector vocabulary="1" code="{}" percentage="100"/>'.format(sector))
            parts.append(
                '<policy-marker vocabulary="1" code="{}" significance="{}"/>'.format(
                    "5" if in_scope else rnd.choice(OTHER_MARKERS), rnd.choice("012")
                )
            )
            for offset in range(rnd.randint(1, 3)):
                parts.append(
                    '<budget type="1" status="1"><period-start iso-date="{0}-01-01"/><period-end '
                    'iso-date="{0}-12-31"/><value value-date="{0}-01-01">{1}</value></budget>'.format(
                        year + offset, rnd.randint(10, 500) * 1000
                    )
                )
            for kind in ("2", "3"):
                parts.append(
                    '<transaction><transaction-type code="{0}"/><transaction-date iso-date="{1}-06-01"/>'
                    '<value value-date="{1}-06-01">{2}</value></transaction>'.format(
                        kind, year, rnd.randint(5, 100) * 1000
                    )
                )
            parts.append(
                '<document-link url="https://example.org/projects/{}.pdf" format="application/pdf">'
                '<title><narrative>Project document</narrative></title><category code="A02"/>'
                "</document-link>".format(n)
            )
            parts.append("</iati-activity>\n")
            out.write("".join(parts))
        out.write("</iati-activities>\n")
    return path.stat().st_size


# -- steps, each in its own process -------------------------------------------------------------------


def peak_mb():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_mb():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def step_bare(path):
    """A bare streaming pass: every activity element built, then cleared and dropped."""
    from lxml import etree

    start_mb = current_mb()
    started, cpu = time.perf_counter(), time.process_time()
    count = 0
    for _event, element in etree.iterparse(path, events=("end",), tag="iati-activity"):
        count += 1
        element.clear(keep_tail=True)
        while element.getprevious() is not None:
            del element.getparent()[0]
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    # The same pass seeing every element (what a parser walking the whole tree pays).
    every = time.process_time()
    for _event, element in etree.iterparse(path, events=("end",)):
        if element.tag == "iati-activity":
            element.clear(keep_tail=True)
            while element.getprevious() is not None:
                del element.getparent()[0]
    every = time.process_time() - every
    return {
        "activities": count,
        "seconds": seconds,
        "cpu": cpu,
        "cpu_all_events": every,
        "peak_mb": peak_mb(),
        "start_mb": start_mb,
    }


def step_import(path):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from capacityhub.core.models import Version
    from capacityhub.interop.services import iati_file_import

    connection.ensure_connection()
    Version.objects.exists()  # warm the connection and the model caches
    start_mb = current_mb()
    started, cpu = time.perf_counter(), time.process_time()
    with open(path, "rb") as handle:
        report = iati_file_import(source=handle, name=str(path))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "activities": report.activities,
        "in_scope": report.in_scope,
        "skipped": report.skipped,
        "created": report.created,
        "errors": report.error_count,
        "first_errors": [p.as_dict() for p in report.errors[:3]],
        "organizations": report.organizations_created,
        "versions": Version.objects.count(),
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": peak_mb(),
        "start_mb": start_mb,
    }


def step_setup():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    return {"ok": True}


STEPS = {"bare": step_bare, "import": step_import, "setup": step_setup}


def run_step(step, db=None, path=None):
    """Run ``step`` in its own process; ``db`` is a SQLite file or a ``postgres://`` URL."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.base", DEBUG="0", LOG_LEVEL="ERROR")
    if db:
        db = str(db)
        env["DATABASE_URL"] = db if "://" in db else "sqlite:///{}".format(db)
    args = [sys.executable, __file__, "--step", step] + ([str(path)] if path else [])
    out = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        sys.stderr.write(out.stdout + out.stderr)
        raise SystemExit("step {} failed".format(step))
    return json.loads(out.stdout.strip().splitlines()[-1])


class Postgres:
    """A PostgreSQL server given by ``--database-url postgres://user@host:port/NAME``: the reference data is
    loaded once into ``NAME_template``, and each import runs on ``NAME`` created afresh from it."""

    def __init__(self, url):
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(url)
        self.name = parts.path.lstrip("/")
        self.template = "{}_template".format(self.name)
        self.url = url
        self.template_url = urlunsplit(parts._replace(path="/" + self.template))
        self.admin_url = urlunsplit(parts._replace(path="/postgres"))

    def _admin(self, *statements):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def setup(self):
        self._admin(
            'DROP DATABASE IF EXISTS "{}" WITH (FORCE)'.format(self.template),
            'CREATE DATABASE "{}"'.format(self.template),
        )
        run_step("setup", db=self.template_url)

    def fresh(self):
        self._admin(
            'DROP DATABASE IF EXISTS "{}" WITH (FORCE)'.format(self.name),
            'CREATE DATABASE "{}" TEMPLATE "{}"'.format(self.name, self.template),
        )
        return self.url


def report(rows):
    """Print the figures: rates in wall-clock time (what a user waits) and in CPU time of the process
    (steadier on a busy machine), the ratios to the bare passes, memory. One row per file: its size and the
    share of its activities that are biosafety capacity-building (imported); the rest are validated and
    skipped."""
    print()
    header = "{:>10} {:>5} {:>8} {:>5} | {:>9} {:>9} | {:>9} {:>9} {:>9} | {:>6} {:>6} {:>6} | {:>7} {:>5}"
    line = (
        "{:>10,} {:>5} {:>8,} {:>5.0f} | {:>9,.0f} {:>9,.0f} | {:>9,.0f} {:>9,.0f} {:>9,.0f} "
        "| {:>6.3f} {:>6.3f} {:>6.3f} | {:>7.0f} {:>5.0f}"
    )
    print(
        header.format(
            "activities",
            "share",
            "imported",
            "MB",
            "import/s",
            "import/s",
            "bare/s",
            "bare/s",
            "all-ev/s",
            "wall",
            "cpu",
            "cpu",
            "peak MB",
            "+MB",
        )
    )
    print(
        header.format(
            "",
            "",
            "",
            "",
            "(wall)",
            "(cpu)",
            "(wall)",
            "(cpu)",
            "(cpu)",
            "ratio",
            "ratio",
            "r.all",
            "import",
            "imp.",
        )
    )
    for size, share, nbytes, bare, imported in rows:
        count = imported["activities"]
        rates = (
            count / imported["seconds"],
            count / imported["cpu"],
            bare["activities"] / bare["seconds"],
            bare["activities"] / bare["cpu"],
            bare["activities"] / bare["cpu_all_events"],
        )
        print(
            line.format(
                size,
                "{:g}".format(share),
                imported["created"],
                nbytes / 1e6,
                *rates,
                rates[0] / rates[2],
                rates[1] / rates[3],
                rates[1] / rates[4],
                imported["peak_mb"],
                imported["peak_mb"] - imported["start_mb"],
            )
        )
    print()
    print(
        "share: fraction of the activities that are biosafety capacity-building ({:g}: a donor's whole "
        "portfolio, where they are a small part; 1: the worst case, every activity imported). Every "
        "activity is parsed, validated against the XSD and checked for a duplicate identifier, whether "
        "imported or not.".format(DEFAULT_SHARE)
    )
    print(
        "ratio: import speed (activities of the file per second) / bare iterparse speed (tag-filtered "
        "pass, clearing each activity); r.all: against a pass that sees every element."
    )
    for size, share, _nbytes, bare, imported in rows:
        print(
            "{:,} activities, share {:g}: import {:.1f} s wall, {:.1f} s CPU ({:,} biosafety created, {:,} "
            "skipped, {:,} organizations created, {:,} versions in the database); bare iterparse {:.2f} s; "
            "peak RSS {:.0f} MB ({:.0f} MB before the import, bare pass {:.0f} MB)".format(
                size,
                share,
                imported["seconds"],
                imported["cpu"],
                imported["created"],
                imported["skipped"],
                imported["organizations"],
                imported["versions"],
                bare["seconds"],
                imported["peak_mb"],
                imported["start_mb"],
                bare["peak_mb"],
            )
        )
    for share in sorted({row[1] for row in rows}):
        same = [row for row in rows if row[1] == share]
        if len(same) > 1:
            first, last = same[0], same[-1]
            print(
                "Memory, share {:g}: peak RSS {:.0f} MB at {:,} activities, {:.0f} MB at {:,} ({:+.0f} MB "
                "for {:.0f} times the activities).".format(
                    share,
                    first[4]["peak_mb"],
                    first[0],
                    last[4]["peak_mb"],
                    last[0],
                    last[4]["peak_mb"] - first[4]["peak_mb"],
                    last[0] / first[0],
                )
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    parser.add_argument(
        "--share",
        type=float,
        nargs="+",
        default=[DEFAULT_SHARE, 1.0],
        help="Fraction(s) of the activities that are biosafety capacity-building and imported, each a file "
        "and a row (default: {:g}, a donor's whole portfolio, and 1, the worst case).".format(DEFAULT_SHARE),
    )
    parser.add_argument("--dir", help="Working directory (default: a temporary one, removed at the end).")
    parser.add_argument("--keep", action="store_true", help="Keep the working directory.")
    parser.add_argument(
        "--database-url",
        help="Import into PostgreSQL (postgres://user@host:port/NAME; NAME and NAME_template are dropped "
        "and created) instead of throwaway SQLite files.",
    )
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.step:
        result = STEPS[options.step](options.path) if options.path else STEPS[options.step]()
        print(json.dumps(result))
        return
    work = Path(options.dir or tempfile.mkdtemp(prefix="iati-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        template = work / "template.sqlite3"
        postgres = Postgres(options.database_url) if options.database_url else None
        if postgres is not None:
            started = time.perf_counter()
            postgres.setup()
            print("PostgreSQL template migrated and loaded in {:.1f} s".format(time.perf_counter() - started))
        elif not template.exists():
            started = time.perf_counter()
            run_step("setup", db=template)
            print(
                "Database migrated and loaded in {:.1f} s ({})".format(
                    time.perf_counter() - started, template
                )
            )
        rows = []
        for size, share in [(size, share) for share in options.share for size in options.sizes]:
            path = work / "iati-{}-{:g}.xml".format(size, share)
            if not path.exists():
                started = time.perf_counter()
                generate(path, size, share)
                print(
                    "Generated {} activities ({:g} % biosafety), {:.1f} MB, in {:.1f} s".format(
                        size, share * 100, path.stat().st_size / 1e6, time.perf_counter() - started
                    )
                )
            if postgres is not None:
                db = postgres.fresh()
            else:
                db = work / "import-{}.sqlite3".format(size)
                for stale in (Path(str(db) + "-wal"), Path(str(db) + "-shm")):
                    stale.unlink(missing_ok=True)  # a left-over WAL would be replayed onto the fresh copy
                shutil.copyfile(template, db)
            bare = run_step("bare", path=path)
            imported = run_step("import", db=db, path=path)
            if imported["errors"]:
                print("The file was refused: {}".format(imported["first_errors"]))
            rows.append((size, share, path.stat().st_size, bare, imported))
        report(rows)
    finally:
        if not options.dir and not options.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
