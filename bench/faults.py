"""Faults under a write load (issue #7): a gunicorn worker killed, PostgreSQL restarted; every write the
platform acknowledged must be in the database afterwards.

    .venv/bin/python bench/faults.py                    # 60 s of writes; kill at 15 s, restart at 30 s
    .venv/bin/python bench/faults.py --duration 40 --writers 6

CAUTION: it restarts the machine's PostgreSQL server (``pg_ctlcluster --skip-systemctl-redirect <version> main
restart``): every database on it is cut off for a few seconds. Do not run it where others are testing.

What it does:

1. prepares the PostgreSQL database ``bench_faults`` (the name must start with ``bench``): migrate, reference
   and demo data, an API token for the demo authorized user of Kenya;
2. starts gunicorn (``--workers 3``) on 127.0.0.1:8766;
3. ``--writers`` threads draft needs through the API (``POST /api/needs/``) without pause, each with a
   unique title; every answer 201 is an *acknowledged write*, logged (id, title) to
   ``var/faults/acknowledged.jsonl``;
   every 503 is counted (the "temporarily unavailable" answer while the database is away), every other
   answer or connection error too (the client did not get an acknowledgement: that write may or may not be
   in, and is not counted as acknowledged);
4. kills one gunicorn worker (``SIGKILL``; the master starts another) at ``--kill-at`` seconds and restarts
   PostgreSQL at ``--restart-at`` seconds;
5. after the load, waits until the site answers again (the time it took is printed), then compares the log
   with the database: the count of acknowledged writes missing (or changed) is printed as **lost**, and the
   script exits non-zero if any is lost or the site did not recover.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("FAULTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_faults")
PORT = int(os.environ.get("FAULTS_PORT", "8766"))
BASE = "http://127.0.0.1:{}".format(PORT)


def django_env():
    return dict(
        os.environ,
        DATABASE_URL=DATABASE_URL,
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY=os.environ.get("SECRET_KEY", "faults-only"),
        CONN_MAX_AGE="60",
    )


def prepare():
    import psycopg

    name = urlsplit(DATABASE_URL).path.lstrip("/")
    if not name.startswith("bench"):
        raise SystemExit("FAULTS_DATABASE_URL must name a database starting with 'bench'")
    admin = urlsplit(DATABASE_URL)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute('CREATE DATABASE "{}"'.format(name))
    env = django_env()
    for command in (
        ["migrate", "--no-input", "-v", "0"],
        ["load_reference", "-v", "0"],
        ["load_demo", "-v", "0"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )
    script = (
        "from rest_framework.authtoken.models import Token; from capacityhub.accounts.models import User; "
        "print(Token.objects.get_or_create(user=User.objects.get(username='demo-user-ke'))[0].key)"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def start_gunicorn(log):
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            "127.0.0.1:{}".format(PORT),
            "--workers",
            "3",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
        ],
        env=django_env(),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def workers_of(master_pid):
    children = Path("/proc/{}/task/{}/children".format(master_pid, master_pid))
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def wait_for_site(seconds=90):
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        try:
            with urllib.request.urlopen(BASE + "/en/", timeout=5) as response:
                if response.status == 200:
                    return time.monotonic() - began
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.5)
    return None


class Load:
    def __init__(self, token, writers, log_path):
        self.token, self.writers = token, writers
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.log = open(log_path, "w", encoding="utf-8")
        self.acknowledged, self.unavailable, self.unavailable_clear = 0, 0, 0
        self.other = {}
        self.threads = [threading.Thread(target=self.write, args=(i,)) for i in range(writers)]

    def count_other(self, key):
        with self.lock:
            self.other[key] = self.other.get(key, 0) + 1

    def write(self, writer):
        serial = 0
        while not self.stop.is_set():
            serial += 1
            title = "Fault test need w{} n{} t{}".format(writer, serial, time.time_ns())
            body = {
                "original_language": "en",
                "title": {"en": title},
                "country": "KE",
                "thematic_areas": ["risk-assessment"],
                "priority": "high",
                "timeframe": "short",
                "source": "needs_assessment",
                "need_status": "open",
            }
            request = urllib.request.Request(
                BASE + "/api/needs/",
                data=json.dumps(body).encode(),
                headers={"Content-Type": "application/json", "Authorization": "Token " + self.token},
                method="POST",
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    data = json.loads(response.read())
                    if response.status == 201:
                        with self.lock:
                            self.acknowledged += 1
                            self.log.write(json.dumps({"id": data["id"], "title": title}) + "\n")
                            self.log.flush()
                    else:
                        self.count_other("HTTP {}".format(response.status))
            except urllib.error.HTTPError as error:
                if error.code == 503:
                    text = error.read().decode("utf-8", "replace")
                    with self.lock:
                        self.unavailable += 1
                        self.unavailable_clear += "database" in text and "Traceback" not in text
                    time.sleep(0.5)
                else:
                    self.count_other("HTTP {}".format(error.code))
            except (OSError, ValueError) as error:
                self.count_other(type(error).__name__)
                time.sleep(0.2)

    def start(self):
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
        self.log.close()


def restart_postgres():
    versions = sorted(os.listdir("/etc/postgresql"))
    began = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - began


def compare(log_path):
    import psycopg

    acknowledged = [json.loads(line) for line in open(log_path, encoding="utf-8")]
    with psycopg.connect(DATABASE_URL) as conn:
        stored = dict(
            conn.execute(
                "SELECT id, title->>'en' FROM registry_need WHERE id = ANY(%s)",
                [[row["id"] for row in acknowledged]],
            ).fetchall()
        )
    lost = [row for row in acknowledged if stored.get(row["id"]) != row["title"]]
    return acknowledged, lost


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--writers", type=int, default=6)
    parser.add_argument("--kill-at", type=float, default=15)
    parser.add_argument("--restart-at", type=float, default=30, help="0: do not restart PostgreSQL")
    args = parser.parse_args()

    out = ROOT / "var" / "faults"
    out.mkdir(parents=True, exist_ok=True)
    print("Preparing bench_faults...", flush=True)
    token = prepare()
    gunicorn_log = open(out / "gunicorn.log", "w", encoding="utf-8")
    gunicorn = start_gunicorn(gunicorn_log)
    try:
        if wait_for_site(60) is None:
            raise SystemExit("gunicorn did not start; see var/faults/gunicorn.log")
        load = Load(token, args.writers, out / "acknowledged.jsonl")
        began = time.monotonic()
        load.start()
        print("{} writers for {:.0f} s".format(args.writers, args.duration), flush=True)
        events = sorted(
            [(args.kill_at, "kill")] + ([(args.restart_at, "restart")] if args.restart_at > 0 else [])
        )
        for at, event in events:
            time.sleep(max(0, began + at - time.monotonic()))
            if event == "kill":
                victims = workers_of(gunicorn.pid)
                if victims:
                    os.kill(victims[0], signal.SIGKILL)
                    print(
                        "  {:5.1f} s: killed gunicorn worker {}".format(time.monotonic() - began, victims[0])
                    )
            else:
                print("  {:5.1f} s: restarting PostgreSQL...".format(time.monotonic() - began), flush=True)
                took = restart_postgres()
                print("  {:5.1f} s: PostgreSQL back after {:.1f} s".format(time.monotonic() - began, took))
        time.sleep(max(0, began + args.duration - time.monotonic()))
        load.finish()
        recovered = wait_for_site(90)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
        gunicorn_log.close()
    acknowledged, lost = compare(out / "acknowledged.jsonl")
    print()
    print("| | |")
    print("|---|---:|")
    print("| acknowledged writes (201) | {} |".format(len(acknowledged)))
    print(
        "| answered 503 while the database was away | {} ({} with the clear message) |".format(
            load.unavailable, load.unavailable_clear
        )
    )
    for key, count in sorted(load.other.items()):
        print("| no acknowledgement: {} | {} |".format(key, count))
    print(
        "| site answering again after the load | {} |".format(
            "yes, after {:.1f} s".format(recovered) if recovered is not None else "NO"
        )
    )
    print("| **lost acknowledged writes** | **{}** |".format(len(lost)))
    for row in lost[:10]:
        print("LOST", row)
    if lost or recovered is None:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
