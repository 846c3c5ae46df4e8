"""The first journeys, in a real browser: a Spanish visitor searches and filters initiatives; a national
authorized user drafts a need, the focal point publishes it, and an anonymous visitor then finds it."""

import re

import pytest
from playwright.sync_api import expect

from capacityhub.core.choices import Status
from capacityhub.core.testing.factories import RoleSet, make_record


@pytest.fixture
def cast(reference_data):
    return RoleSet.create()


def test_first_visit_in_spanish_searches_and_filters_initiatives(live_server, page, cast):
    first = make_record("initiative", country=cast.country_a, title="Biosafety risk assessment training")
    first.title["es"] = "Formación en evaluación del riesgo y bioseguridad"
    record = make_record(
        "initiative", country=cast.country_b, title="Public awareness on biosafety", status=Status.PUBLISHED
    )
    record.title["es"] = "Sensibilización pública sobre bioseguridad"
    from capacityhub.core import services

    services.record_save(record=record, actor=None)
    services.record_save(record=first, actor=None)
    make_record("initiative", country=cast.country_b, title="Hidden draft on biosafety", status=Status.DRAFT)

    page.goto(live_server.url + "/es/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("navigation", name="Principal").get_by_role(
        "link", name=re.compile("Iniciativas", re.I)
    ).click()
    expect(page.locator("h1")).to_contain_text(re.compile("iniciativas", re.I))
    page.get_by_label("Buscar", exact=True).fill("bioseguridad")
    page.get_by_role("button", name="Buscar").click()
    results = page.locator(".record-list .record-item")
    expect(results).to_have_count(2)
    expect(page.get_by_text("Sensibilización pública sobre bioseguridad")).to_be_visible()
    expect(page.get_by_text("Hidden draft on biosafety")).to_have_count(0)
    # Filter by a country facet: Colombia is "Colombia", Kenya is "Kenia" in Spanish.
    page.locator(".facets").get_by_role("link", name=re.compile("Kenia")).click()
    expect(results).to_have_count(1)
    expect(page.get_by_text("Formación en evaluación del riesgo y bioseguridad")).to_be_visible()
    expect(page).to_have_url(re.compile(r"country=KE"))
    # The switcher keeps the page and the filters.
    page.get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(r"/fr/initiatives/\?.*country=KE"))


def _sign_in(page, base, username):
    page.goto(base + "/en/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pass")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="My dashboard")).to_be_visible()


def test_need_drafted_published_then_found(live_server, page, cast):
    base = live_server.url
    _sign_in(page, base, "author_a")
    page.goto(base + "/en/needs/add/")
    page.get_by_label("English").first.fill("Training of customs officers in LMO detection")
    page.get_by_label("Risk assessment and other scientific and technical expertise").check()
    page.get_by_label("Priority").select_option("high")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text("Training of customs officers")
    expect(page.locator(".badge.status-draft")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".badge.status-submitted")).to_be_visible()
    detail_url = page.url

    # Before publication, an anonymous visitor does not find it.
    anonymous = page.context.browser.new_context().new_page()
    anonymous.goto(base + "/en/needs/?q=customs")
    expect(anonymous.get_by_text("Training of customs officers in LMO detection")).to_have_count(0)

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, base, "focal_a")
    page.goto(base + "/en/dashboard/")
    page.get_by_role("link", name="Training of customs officers in LMO detection").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("Published")
    assert page.url == detail_url

    anonymous.goto(base + "/en/needs/?q=customs")
    anonymous.get_by_role("link", name="Training of customs officers in LMO detection").click()
    expect(anonymous.locator("h1")).to_contain_text("Training of customs officers in LMO detection")
    expect(anonymous.get_by_text("High")).to_be_visible()
    anonymous.context.close()
