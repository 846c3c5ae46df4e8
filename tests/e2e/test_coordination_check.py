"""An organization registering an initiative is warned, before it submits anything, that the initiative may
already be registered: on the "check before registering" page (without JavaScript), and in the initiative
form itself once the form includes ``coordination/_initiative_check.html``."""

import datetime

import pytest
from playwright.sync_api import expect

from capacityhub.coordination.analysis import analyze_all
from capacityhub.core.choices import Status
from capacityhub.core.testing.factories import RoleSet, organization, term
from capacityhub.registry.models import Initiative


@pytest.fixture
def registered(reference_data):
    from capacityhub.coordination.tests.conftest import make_initiative

    cast = RoleSet.create()
    gef = organization("GEF")
    existing = make_initiative(
        "West Africa Regional Biosafety Programme",
        publisher=gef,
        countries=["BJ", "BF", "ML", "SN"],
        areas=["institutional-capacity", "risk-assessment"],
        description="Regional programme for a harmonized biosafety regulatory framework of the WAEMU member "
        "states, with a regional biosafety centre and shared risk assessment.",
        start=datetime.date(2007, 9, 1),
        end=datetime.date(2012, 12, 31),
        project_number="GEF-3035",
        scope="subregional",
        workflow=Status.PUBLISHED,
    )
    analyze_all()
    return cast, existing


def sign_in(page, base, username):
    page.goto(base + "/en/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pass")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="My dashboard")).to_be_visible()


def test_publisher_checks_before_registering_and_is_warned(live_server, browser, registered):
    _cast, existing = registered
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    base = live_server.url
    sign_in(page, base, "publisher_x")
    page.goto(base + "/en/coordination/check/")
    page.get_by_label("Title").fill("Regional biosafety project for West Africa (WAEMU)")
    page.get_by_label("Country").select_option(label="Senegal")
    page.get_by_label("Thematic area").select_option("institutional-capacity")
    page.get_by_label("Start").fill("2007-07-01")
    page.get_by_label("End").fill("2013-06-30")
    page.get_by_role("button", name="Check").click()
    warning = page.locator(".check-results")
    expect(warning).to_contain_text("This initiative may already be registered")
    expect(warning.get_by_role("link", name="West Africa Regional Biosafety Programme")).to_be_visible()
    expect(warning).to_contain_text("likely the same initiative")
    # An unrelated initiative raises no warning.
    page.get_by_label("Title").fill("Mangrove restoration and coastal fisheries")
    page.get_by_label("Country").select_option(label="Fiji")
    page.get_by_role("button", name="Check").click()
    expect(page.locator(".check-results.none")).to_contain_text("No similar initiative found")
    assert Initiative.objects.count() == 1 and existing.pk
    context.close()


@pytest.mark.urls("capacityhub.coordination.tests.urls")
def test_form_with_the_check_warns_while_typing(live_server, browser, registered):
    """The block the initiative form includes (coordination/_initiative_check.html): with JavaScript, the
    warning appears as the title and countries are filled in, before anything is submitted."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    base = live_server.url
    sign_in(page, base, "publisher_x")
    page.goto(base + "/e2e/check-form/")
    page.get_by_label("English").fill("Regional Biosafety Project for West Africa (WAEMU)")
    page.get_by_label("Country 1").select_option(label="Senegal")
    warning = page.locator("[data-check-results] .check-results")
    expect(warning).to_contain_text("may already be registered")
    expect(warning.get_by_role("link", name="West Africa Regional Biosafety Programme")).to_be_visible()
    assert Initiative.objects.count() == 1  # nothing was saved
    context.close()


def test_initiative_form_warns_of_a_likely_duplicate_while_typing(live_server, page, registered):
    """The real initiative form, once it includes ``coordination/_initiative_check.html``."""
    base = live_server.url
    sign_in(page, base, "publisher_x")
    page.goto(base + "/en/initiatives/add/")
    if page.locator("[data-coordination-check]").count() == 0:
        pytest.skip("The initiative form does not include coordination/_initiative_check.html yet.")
    page.get_by_label("English").first.fill("Regional Biosafety Project for West Africa (WAEMU)")
    page.get_by_label(str(term("thematic-areas", "institutional-capacity"))).check()
    page.locator("select[name='countries-0-country']").select_option(label="Senegal")
    warning = page.locator("[data-check-results] .check-results")
    expect(warning).to_contain_text("may already be registered")
    expect(warning.get_by_role("link", name="West Africa Regional Biosafety Programme")).to_be_visible()
    assert Initiative.objects.count() == 1  # nothing was saved
