"""Keyboard only: the main journeys — search and filter by a facet, sign in, draft a need — done with Tab,
Shift+Tab, Enter, Space and typing, never a click. Each step moves the focus with Tab until the wanted
control has it (within a bound, so a control that cannot be reached fails the test)."""

import re

import pytest
from playwright.sync_api import expect

from capacityhub.core.testing.factories import RoleSet, make_record

MAX_TABS = 150


@pytest.fixture
def cast(reference_data):
    return RoleSet.create()


def tab_to(page, predicate, what):
    """Press Tab until ``predicate`` (JS, of the focused element ``e``) holds."""
    check = "() => {{ const e = document.activeElement; return !!e && ({}); }}".format(predicate)
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(check):
            visible = page.evaluate(
                "() => { const r = document.activeElement.getBoundingClientRect();"
                " return r.width > 0 && r.height > 0; }"
            )
            assert visible, "{} has the focus but is not visible".format(what)
            return
    pytest.fail("{} cannot be reached with the keyboard".format(what))


def test_search_and_facet_with_the_keyboard(live_server, page, cast):
    make_record("initiative", country=cast.country_a, title="Biosafety training in Kenya")
    make_record("initiative", country=cast.country_b, title="Biosafety awareness in Colombia")
    page.goto(live_server.url + "/en/initiatives/")
    tab_to(page, "e.classList.contains('skip-link')", "the skip link")
    tab_to(page, "e.id === 'id_q'", "the search box")
    page.keyboard.type("biosafety")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=biosafety"))
    results = page.locator(".record-list .record-item")
    expect(results).to_have_count(2)
    tab_to(page, "e.closest('.facets') && /Kenya/.test(e.textContent)", "the Kenya facet")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"country=KE"))
    expect(results).to_have_count(1)
    expect(page.get_by_text("Biosafety training in Kenya")).to_be_visible()


def test_sign_in_and_draft_a_need_with_the_keyboard(live_server, page, cast):
    page.goto(live_server.url + "/en/accounts/login/")
    tab_to(page, "e.name === 'username'", "the username field")
    page.keyboard.type("author_a")
    tab_to(page, "e.name === 'password'", "the password field")
    page.keyboard.type("pass")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="My dashboard")).to_be_visible()

    page.goto(live_server.url + "/en/needs/add/")
    tab_to(page, "e.name === 'title_en'", "the English title")
    page.keyboard.type("Training of customs officers, by keyboard")
    label = "Risk assessment and other scientific and technical expertise"
    tab_to(
        page,
        "e.type === 'checkbox' && e.labels.length && e.labels[0].textContent.includes('{}')".format(label),
        "the thematic area",
    )
    page.keyboard.press("Space")
    tab_to(page, "e.name === 'priority'", "the priority")
    page.keyboard.type("High")
    assert page.locator("select[name=priority]").input_value() == "high"
    tab_to(page, "e.type === 'submit' && /Save/.test(e.textContent + e.value)", "the save button")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Training of customs officers, by keyboard")
    expect(page.locator(".badge.status-draft")).to_be_visible()
    tab_to(page, "e.type === 'submit' && /Submit for review/.test(e.textContent)", "submit for review")
    page.keyboard.press("Enter")
    expect(page.locator(".badge.status-submitted")).to_be_visible()
