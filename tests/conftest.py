"""Fixtures shared by the browser tests (tests/e2e) and the accessibility tests (tests/a11y): Playwright for
Python driving Debian's Chromium (never a downloaded browser). One browser per test process: two Playwright
sync sessions cannot run in one thread, so the fixture lives here, once, for both folders."""

import os

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests start from an empty database: load the shipped reference data."""
    call_command("load_reference", verbosity=0)
