"""The DRF browsable API page under the Content Security Policy (no inline script or style allowed): its
template (templates/rest_framework/api.html) moves DRF's inline code into static files."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def page(client):
    response = client.get("/api/initiatives/", HTTP_ACCEPT=BROWSER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response


def test_the_policy_allows_no_inline_code(page):
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_the_page_has_no_inline_script_or_style(page):
    html = page.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE)
    assert len(scripts) >= 7, scripts  # the page is DRF's, with its scripts
    inline = [tag for tag in scripts if not re.search(r"\bsrc=", tag)]
    assert inline == [], "a <script> without src is refused by the Content Security Policy"
    assert not re.search(r"<style\b", html, flags=re.IGNORECASE)
    assert not re.search(r"\sstyle\s*=", html, flags=re.IGNORECASE)
    assert not re.search(r"\son[a-z]+\s*=", html, flags=re.IGNORECASE), "an inline event handler"


def test_the_static_files_exist_and_carry_what_was_inline(page):
    html = page.content.decode()
    for path in re.findall(r'(?:src|href)="/static/([^"?]+)"', html):
        assert finders.find(path), path
    assert "/static/capacityhub/drf/csrf.js" in html and "/static/rest_framework/js/csrf.js" not in html
    assert "/static/capacityhub/drf/browsable-api.css" in html
    with open(finders.find("capacityhub/drf/browsable-api.css"), encoding="utf-8") as handle:
        css = handle.read()
    assert ".highlight" in css and ".drf-float-right" in css


def test_the_csrf_values_are_data_attributes(client, django_user_model):
    user = django_user_model.objects.create_user(username="reader", password="x-Long-password-1")
    client.force_login(user)
    html = client.get("/api/initiatives/", HTTP_ACCEPT=BROWSER).content.decode()
    element = re.search(r'<div id="drf_csrf" hidden ([^>]*)>', html)
    assert element, "the CSRF element is missing"
    header = re.search(r'data-csrf-header-name="([^"]*)"', element.group(1)).group(1)
    token = re.search(r'data-csrf-token="([^"]*)"', element.group(1)).group(1)
    assert header.lower() == "x-csrftoken" and len(token) >= 32  # from CSRF_HEADER_NAME
