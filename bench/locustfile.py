"""Load test (issue #7): simulated readers and contributors against gunicorn with PostgreSQL.

    make loadtest                                   # 100 users, 3 minutes
    make loadtest LOADTEST_TIME=30s LOADTEST_USERS=50

Run as a script (what ``make loadtest`` does), it prepares the database named by ``LOADTEST_DATABASE_URL``
(default ``postgres://postgres@127.0.0.1:5432/bench_loadtest``; the name must start with ``bench``):
migrate, reference data, demo data (idempotent); starts gunicorn on 127.0.0.1:``LOADTEST_PORT``; runs locust
headless with this file; stops gunicorn; prints requests per second and the median and 95th-percentile
latency of each kind of request; and exits non-zero if any request failed.

Simulated users (``LOADTEST_USERS``, spawned 10 a second, ``LOADTEST_TIME`` long):

- readers (8 in 10, anonymous): home, initiative and need lists, initiative details, country pages, the
  coordination coverage page, searches with facets, the API lists, and now and then a CSV export;
- contributors (2 in 10): a demo national authorized user signs in and drafts needs through the form, as a
  browser does (the form's own fields and defaults, a CSRF token), and then opens the new draft.

Every response must be the expected status and page (a 503 "temporarily unavailable" page is a failure).
"""

import csv
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, between, task

ROOT = Path(__file__).resolve().parent.parent
DEMO_USERS = ["demo-user-ke", "demo-user-co", "demo-user-sn", "demo-user-vn"]
DEMO_PASSWORD = "demo"
WORDS = ["biosafety", "risk", "training", "laboratory", "detection", "assessment", "regulatory", "public"]
COUNTRIES = ["KE", "CO", "SN", "VN", "BR", "IN", "NG", "MX"]


class FormParser(HTMLParser):
    """The fields a browser would send for each POST form of a page: inputs with their values, checked
    boxes, the selected option of each select (else its first real option)."""

    def __init__(self):
        super().__init__()
        self.forms, self.fields = [], None
        self.choices = {}  # checkbox name -> every value offered
        self.select, self.select_chosen, self.select_first = None, False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.fields = {}
            self.forms.append(self.fields)
        if self.fields is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                self.choices.setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    self.fields.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self.fields[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self.fields[name] = ""
        elif tag == "select" and name:
            self.select, self.select_chosen, self.select_first = name, False, None
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if "selected" in attrs:
                self.fields[self.select] = value
                self.select_chosen = True
            elif self.select_first is None and value:
                self.select_first = value

    def handle_endtag(self, tag):
        if tag == "select" and self.select and self.fields is not None:
            if not self.select_chosen and self.select_first is not None:
                self.fields[self.select] = self.select_first
            self.select = None
        elif tag == "form":
            self.fields = None


def form_fields(html, containing):
    """The fields of the page's POST form that has a field named ``containing``, and the values offered by
    each group of check boxes."""
    parser = FormParser()
    parser.feed(html)
    return next((fields for fields in parser.forms if containing in fields), {}), parser.choices


def check_page(response, text=None):
    """Fail a response that is not a 200 page (or lacks ``text``)."""
    if response.status_code == 0:
        response.failure("no answer: {}".format(response.error))
    elif response.status_code != 200:
        response.failure("status {}".format(response.status_code))
    elif text and text not in response.text:
        response.failure("missing {!r}".format(text))
    else:
        response.success()


class Reader(HttpUser):
    """An anonymous reader browsing, searching and exporting."""

    weight = 8
    wait_time = between(1, 3)
    initiative_ids = []

    def on_start(self):
        if not Reader.initiative_ids:
            with self.client.get("/api/initiatives/", name="api: initiative list", catch_response=True) as r:
                check_page(r)
                if r.status_code == 200:
                    Reader.initiative_ids = [item["id"] for item in r.json()["results"]]

    @task(3)
    def home(self):
        with self.client.get("/en/", name="browse: home", catch_response=True) as r:
            check_page(r, "CapacityHub")

    @task(4)
    def initiative_list(self):
        page = random.choice(["", "?page=2", "?sort=title"])
        with self.client.get(
            "/en/initiatives/" + page, name="browse: initiative list", catch_response=True
        ) as r:
            check_page(r)

    @task(4)
    def initiative_detail(self):
        if not Reader.initiative_ids:
            return
        pk = random.choice(Reader.initiative_ids)
        with self.client.get(
            "/en/initiatives/{}/".format(pk), name="browse: initiative", catch_response=True
        ) as r:
            check_page(r)

    @task(2)
    def need_list(self):
        with self.client.get("/es/needs/", name="browse: need list", catch_response=True) as r:
            check_page(r)

    @task(2)
    def country(self):
        url = "/en/countries/{}/".format(random.choice(COUNTRIES))
        with self.client.get(url, name="browse: country page", catch_response=True) as r:
            check_page(r)

    @task(1)
    def coverage(self):
        with self.client.get(
            "/en/coordination/", name="browse: coordination coverage", catch_response=True
        ) as r:
            check_page(r)

    @task(4)
    def search(self):
        query = "?q={}".format(random.choice(WORDS))
        if random.random() < 0.5:
            query += "&country={}".format(random.choice(COUNTRIES))
        with self.client.get(
            "/fr/initiatives/" + query, name="search: initiatives", catch_response=True
        ) as r:
            check_page(r)

    @task(2)
    def api(self):
        path = random.choice(["/api/initiatives/", "/api/needs/", "/api/initiatives/?q=biosafety"])
        with self.client.get(path, name="api: lists", catch_response=True) as r:
            check_page(r)

    @task(1)
    def export(self):
        with self.client.get(
            "/en/initiatives/export.csv", name="export: initiatives csv", catch_response=True
        ) as r:
            if r.status_code == 200 and not r.content.startswith((b"id,", "\ufeffid,".encode())):
                r.failure("not a CSV export")
            else:
                check_page(r)


class Contributor(HttpUser):
    """A national authorized user (demo account) who signs in and drafts needs through the form."""

    weight = 2
    wait_time = between(2, 5)

    def on_start(self):
        self.username = random.choice(DEMO_USERS)
        with self.client.get("/en/accounts/login/", name="submit: sign-in form", catch_response=True) as r:
            check_page(r)
            fields, _choices = form_fields(r.text, "username")
        fields.update(username=self.username, password=DEMO_PASSWORD)
        with self.client.post(
            "/en/accounts/login/",
            data=fields,
            name="submit: sign in",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure("sign-in answered {}".format(r.status_code))
            else:
                r.success()

    @task
    def draft_need(self):
        with self.client.get("/en/needs/add/", name="submit: need form", catch_response=True) as r:
            check_page(r)
            if r.status_code != 200:
                return
            fields, choices = form_fields(r.text, "title_en")
        title = "Load test need {} {}".format(self.username, random.randrange(10**9))
        fields.update(
            {
                "title_en": title,
                "description_en": "Drafted by the load test.",
                "original_language": "en",
                "thematic_areas": random.sample(choices.get("thematic_areas", []), 1),
            }
        )
        with self.client.post(
            "/en/needs/add/",
            data=fields,
            name="submit: save need",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            location = r.headers.get("Location", "")
            if r.status_code != 302 or not re.search(r"/needs/\d+/", location):
                errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)<', r.text or "")
                r.failure("save answered {} {}".format(r.status_code, errors[:3]))
                return
            r.success()
        with self.client.get(location, name="submit: open the draft", catch_response=True) as r:
            check_page(r, title)


# --- the runner (``make loadtest``) ------------------------------------------------------------------


def _database_url():
    url = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_loadtest")
    name = urlsplit(url).path.lstrip("/")
    if not url.startswith("postgres") or not name.startswith("bench"):
        raise SystemExit("LOADTEST_DATABASE_URL must be a PostgreSQL database whose name starts with 'bench'")
    return url, name


def _prepare(env, url, name):
    import psycopg

    admin = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute('CREATE DATABASE "{}"'.format(name))
    python = sys.executable
    for command in (
        ["migrate", "--no-input", "-v", "0"],
        ["load_reference", "-v", "0"],
        ["load_demo", "-v", "0"],
    ):
        subprocess.run(
            [python, "manage.py", *command], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )


def _wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer on {}".format(url))


def _report(prefix):
    rows = list(csv.DictReader(open("{}_stats.csv".format(prefix), encoding="utf-8")))
    print()
    print("| kind of request | requests | failures | req/s | median ms | p95 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    failures = 0
    for row in rows:
        failures += int(row["Failure Count"]) if row["Name"] != "Aggregated" else 0
        label = "**all**" if row["Name"] == "Aggregated" else row["Name"]
        print(
            "| {} | {} | {} | {:.1f} | {} | {} |".format(
                label,
                row["Request Count"],
                row["Failure Count"],
                float(row["Requests/s"]),
                row["50%"],
                row["95%"],
            )
        )
    failure_file = Path("{}_failures.csv".format(prefix))
    if failure_file.exists():
        for row in list(csv.DictReader(open(failure_file, encoding="utf-8")))[:20]:
            print(
                "FAILED {} {}: {} (x{})".format(row["Method"], row["Name"], row["Error"], row["Occurrences"])
            )
    return failures


def main():
    url, name = _database_url()
    users = os.environ.get("LOADTEST_USERS", "100")
    duration = os.environ.get("LOADTEST_TIME", "3m")
    port = os.environ.get("LOADTEST_PORT", "8765")
    workers = os.environ.get("LOADTEST_WORKERS", "4")
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY=os.environ.get("SECRET_KEY", "loadtest-only"),
    )
    print("Preparing {} (migrate, reference data, demo data)...".format(name), flush=True)
    _prepare(env, url, name)
    bin_dir = Path(sys.executable).parent
    gunicorn = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            "127.0.0.1:{}".format(port),
            "--workers",
            workers,
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
            # Longer than any pause of a simulated user: the server never closes a kept-alive connection
            # just as the client re-uses it (which a browser retries, but locust counts as an error).
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    out_dir = ROOT / "var" / "loadtest"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    prefix = str(out_dir / "locust")
    try:
        _wait_for("http://127.0.0.1:{}/en/".format(port))
        print(
            "gunicorn ({} workers x 4 threads) on port {}; {} users for {}...".format(
                workers, port, users, duration
            )
        )
        log = open(out_dir / "locust.log", "w", encoding="utf-8")
        locust = subprocess.run(
            [
                str(bin_dir / "locust"),
                "-f",
                str(Path(__file__).resolve()),
                "--headless",
                "--host",
                "http://127.0.0.1:{}".format(port),
                "--users",
                users,
                "--spawn-rate",
                "10",
                "--run-time",
                duration,
                "--csv",
                prefix,
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=dict(os.environ),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
    print("locust's own log: {}".format(out_dir / "locust.log"))
    failures = _report(prefix)
    if failures or locust.returncode:
        raise SystemExit(
            "load test FAILED: {} failed requests (locust exit code {})".format(failures, locust.returncode)
        )
    print("load test passed: no errors")


if __name__ == "__main__":
    main()
