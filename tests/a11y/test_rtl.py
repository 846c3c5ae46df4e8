"""Right-to-left ready: adding an Arabic catalogue needs no layout change. A stub ``ar`` catalogue (one
message) is compiled for the test and Arabic added to LANGUAGES; the pages then say ``<html lang="ar"
dir="rtl">``, use the catalogue, and the stylesheets only use logical properties (``margin-inline-start``,
``inset-inline-end``, ``text-align: start``…), so the layout mirrors itself — checked in Chromium too."""

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import override_settings

SKIP_LINK = "Skip to main content"
SKIP_LINK_AR = "انتقل إلى المحتوى الرئيسي"
PHYSICAL = re.compile(
    r"(?<![-\w])(?:margin|padding|border)-(?:left|right)\b"
    r"|(?<![-\w])(?:left|right)\s*:"
    r"|(?:text-align|float|clear)\s*:\s*(?:left|right)\b"
    r"|border-(?:top|bottom)-(?:left|right)-radius"
)


@pytest.fixture
def arabic(tmp_path):
    """An ``ar`` catalogue with one message, and Arabic among the interface languages."""
    catalog = Catalog(locale="ar")
    catalog.add(SKIP_LINK, SKIP_LINK_AR)
    target = Path(tmp_path) / "ar" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "django.mo", "wb") as handle:
        write_mo(handle, catalog)
    with override_settings(
        LANGUAGES=[*settings.LANGUAGES, ("ar", "Arabic")],
        LOCALE_PATHS=[tmp_path, *settings.LOCALE_PATHS],
    ):
        yield


@pytest.mark.django_db
def test_arabic_pages_are_right_to_left(client, arabic):
    for path in ("/ar/", "/ar/initiatives/", "/ar/accounts/login/"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert '<html lang="ar" dir="rtl">' in html, path
        assert SKIP_LINK_AR in html and SKIP_LINK not in html
    english = client.get("/en/").content.decode()
    assert '<html lang="en" dir="ltr">' in english


def test_stylesheets_use_logical_properties_only():
    for name in ("capacityhub/site.css", "capacityhub/print.css"):
        path = finders.find(name)
        assert path, name
        css = re.sub(r"/\*.*?\*/", "", Path(path).read_text(), flags=re.S)
        offenders = [line.strip() for line in css.splitlines() if PHYSICAL.search(line)]
        assert not offenders, "{}: use logical properties: {}".format(name, offenders)


def test_layout_mirrors_in_chromium(live_server, browser, arabic, reference_data):
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    try:
        boxes = {}
        for language in ("en", "ar"):
            page.goto("{}/{}/accounts/login/".format(live_server.url, language))
            assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
            boxes[language] = page.locator(".brand").bounding_box()
        width = 1200
        # The brand starts the header: at the left in English, at the right in Arabic.
        assert boxes["en"]["x"] < width / 2 < boxes["ar"]["x"] + boxes["ar"]["width"]
        assert boxes["ar"]["x"] > boxes["en"]["x"]
    finally:
        context.close()
