# CapacityHub — the two commands: `make run` (the platform) and `make test` (the suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
# Parallel test workers (pytest-xdist); 2 cores here.
TEST_WORKERS ?= 2

.PHONY: install install-dev messages run serve test test-fast lint format browser-deps a11y-deps db clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Runtime dependencies, pinned in requirements/base.txt; re-installed only when the lock changes.
$(VENV)/.installed-base: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt $(VENV)/.installed-base
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed-base  ## create or update .venv with the runtime dependencies

install-dev: $(VENV)/.installed-dev

# Compiled translation catalogues (locale/*/LC_MESSAGES/django.mo), built with Babel: no system gettext needed.
messages: install
	@for dir in locale capacityhub/*/locale; do \
	  [ -d $$dir ] && $(BIN)/pybabel compile --domain django --directory $$dir 2>&1 | grep -v "^compiling" ; \
	done; true
	@ls locale/*/LC_MESSAGES/django.mo >/dev/null

db: install messages  ## migrate, load reference and demo data (idempotent)
	$(MANAGE) migrate --no-input
	$(MANAGE) load_reference
	$(MANAGE) load_demo

# The task worker (imports, reports, digests) runs beside the web server and stops with it; the periodic
# jobs (daily digests and reminders, nightly analysis) are queued for it first (capacityhub/core/schedule.py).
run: db  ## the platform at http://127.0.0.1:$(PORT) with the demo data
	@$(MANAGE) schedule_jobs >/dev/null
	@echo "CapacityHub: http://127.0.0.1:$(PORT)/  (demo administrator: admin / admin)"
	@$(MANAGE) db_worker --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# Debian's Chromium for the browser tests (never a downloaded browser build).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; \
	fi

test: install-dev messages browser-deps a11y-deps  ## the whole suite, on SQLite unless DATABASE_URL says otherwise
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run >/dev/null
	$(BIN)/pytest -n $(TEST_WORKERS) -q

test-fast: install-dev messages  ## the suite without the browser tests
	$(BIN)/pytest -n $(TEST_WORKERS) -q -m "not e2e"

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles var db.sqlite3

.PHONY: prod-check audit
# `manage.py check --deploy` on the production settings, with throwaway values for the required environment.
prod-check: install
	@SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	ALLOWED_HOSTS=capacityhub.example.org \
	DATABASE_URL=postgres://capacityhub@db.example.org:5432/capacityhub \
	REDIS_URL=redis://cache.example.org:6379/0 \
	DJANGO_SETTINGS_MODULE=config.settings.prod $(MANAGE) check --deploy --fail-level WARNING

# Known vulnerabilities in the pinned dependencies (PyPI's advisory data; needs access to pypi.org's JSON API).
# --strict: a dependency that could not be checked fails the audit instead of being skipped silently.
audit: install-dev
	$(BIN)/pip-audit --requirement requirements/dev.txt --no-deps --disable-pip --strict --progress-spinner off

# Load test (issue #7): gunicorn + PostgreSQL (database bench_loadtest), headless locust; fails on any error.
# Shorter or smaller: make loadtest LOADTEST_TIME=30s LOADTEST_USERS=20
LOADTEST_TIME ?= 3m
LOADTEST_USERS ?= 100
.PHONY: loadtest
loadtest: install-dev messages
	LOADTEST_TIME=$(LOADTEST_TIME) LOADTEST_USERS=$(LOADTEST_USERS) $(BIN)/python bench/locustfile.py

# axe-core (pinned in package.json/package-lock.json, from the npm registry) for the accessibility tests.
a11y-deps:
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then npm ci --ignore-scripts --no-audit --no-fund; fi
