"""In a real browser: the Secretariat uploads a crosswalk file (2006 Action Plan → a successor plan), sees the
check of the file (nothing written yet), imports it, and a visitor then reads the crosswalk page of the pair
and the successor element's page with its predecessor."""

import json

import pytest
from playwright.sync_api import expect

from capacityhub.core.testing.factories import RoleSet
from capacityhub.plans import planfiles
from capacityhub.plans.models import Crosswalk

SUCCESSOR = {
    "key": "e2e-successor",
    "title": {"en": "Successor plan (test)"},
    "period": [2013, 2020],
    "areas": [
        {
            "number": "1",
            "title": {"en": "Area one"},
            "elements": [{"number": "1.1", "kind": "expected_result", "title": {"en": "Result one"}}],
        }
    ],
}
CROSSWALK = {
    "key": "cpb-cb-action-plan-2006",
    "crosswalk": [{"from": "b", "to_plan": "e2e-successor", "to": "1.1", "relation": "partly"}],
}


@pytest.fixture
def cast(reference_data):
    planfiles.import_plan(SUCCESSOR)
    return RoleSet.create()


def test_secretariat_checks_then_imports_a_crosswalk_file(live_server, page, cast, tmp_path):
    base = live_server.url
    path = tmp_path / "crosswalk.json"
    path.write_text(json.dumps(CROSSWALK))
    page.goto(base + "/en/accounts/login/")
    page.locator("input[name=username]").fill("secretariat")
    page.locator("input[name=password]").fill("pass")
    page.locator("main form button[type=submit]").click()
    page.goto(base + "/en/plans/import/")
    page.locator("input[name=file]").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#preview-title")).to_have_text("Check: the file is valid")
    expect(page.get_by_text("crosswalk links: 1 created")).to_be_visible()
    assert not Crosswalk.objects.filter(target_area__plan__key="e2e-successor").exists()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("The file was imported.")
    assert Crosswalk.objects.filter(target_area__plan__key="e2e-successor").count() == 1

    # A visitor: the 2006 plan's page leads to the crosswalk of the pair, then to the successor element.
    page.context.clear_cookies()
    page.goto(base + "/en/plans/cpb-cb-action-plan-2006/")
    page.get_by_role("link", name="Crosswalk with Successor plan (test)").click()
    row = page.locator("table.crosswalk tr", has_text="Result one")
    expect(row).to_contain_text("Continues in part as")
    expect(row).to_contain_text("Human resources capacity development and training")
    row.get_by_role("link", name="1.1 Result one").click()
    expect(page.locator("h1")).to_contain_text("Result one")
    expect(page.locator("#other-versions + h3")).to_have_text("Predecessors")
    expect(
        page.get_by_role("link", name="b Human resources capacity development and training")
    ).to_be_visible()
