"""In a real browser, in French: Kenya's focal point starts a submission on the status of implementation of
the 2006 Action Plan, answers and saves, leaves, comes back to find the answers kept, completes the
questionnaire and publishes it; an anonymous visitor then finds it among the submissions received."""

import re

import pytest
from playwright.sync_api import expect

from capacityhub.core.testing.factories import RoleSet
from capacityhub.plans.testing import make_cycle


@pytest.fixture
def cast(reference_data):
    return RoleSet.create()


def test_focal_point_fills_saves_returns_and_publishes_in_french(live_server, page, cast):
    cycle = make_cycle(title={"en": "Status of implementation 2026", "fr": "État de mise en œuvre 2026"})
    base = live_server.url
    page.goto(base + "/fr/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator("input[name=username]").fill("focal_a")
    page.locator("input[name=password]").fill("pass")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("link", name="Mon tableau de bord")).to_be_visible()

    page.goto("{}/fr/plans/cycles/{}/".format(base, cycle.pk))
    expect(page.locator("h1")).to_have_text("État de mise en œuvre 2026")
    page.get_by_role("link", name="Commencer une communication").click()
    page.locator("form.record-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Votre projet de communication est prêt")

    # Area (a): a status, then the summary of results that this status makes applicable.
    expect(page.locator("form#questionnaire h2")).to_contain_text("Institutional capacity")
    page.get_by_label("En cours").check()
    page.locator('textarea[name="q:area-a-results"]').fill("Un atelier national a formé 40 agents.")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.locator(".messages")).to_contain_text("Vos réponses ont été enregistrées.")
    expect(page).to_have_url(re.compile(r"\?section=area-b$"))

    # Leave, come back: the answers were kept.
    page.goto("{}/fr/plans/cycles/{}/".format(base, cycle.pk))
    page.get_by_role("link", name="Continuer à répondre").click()
    expect(page.get_by_label("En cours")).to_be_checked()
    results = page.locator('textarea[name="q:area-a-results"]')
    expect(results).to_have_value("Un atelier national a formé 40 agents.")

    # The remaining areas, one page each, then the check page.
    page.locator(".section-nav").get_by_role("link", name=re.compile(r"^\(b\)")).click()
    for _area in range(14):
        page.get_by_label("Pas commencé").check()
        page.get_by_role("button", name="Enregistrer et continuer").click()
        expect(page.locator(".messages")).to_contain_text("Vos réponses ont été enregistrées.")
    expect(page.locator("form#questionnaire h2")).to_have_text("Généralités")
    page.get_by_role("button", name="Enregistrer et vérifier").click()
    expect(page.get_by_text("Toutes les questions obligatoires ont une réponse.")).to_be_visible()
    page.get_by_role("button", name="Publier").click()
    expect(page.locator(".badge.status-draft")).to_have_count(0)
    expect(page.locator("h1")).to_contain_text("Kenya")

    visitor = page.context.browser.new_context().new_page()
    visitor.goto("{}/fr/plans/cycles/{}/".format(base, cycle.pk))
    expect(visitor.get_by_text("1 communication a été reçue et publiée.")).to_be_visible()
    visitor.get_by_role("link", name=re.compile("Kenya")).click()
    expect(visitor.get_by_text("Un atelier national a formé 40 agents.")).to_be_visible()
    visitor.context.close()
