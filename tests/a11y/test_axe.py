"""axe-core (pinned in package.json, installed by ``make a11y-deps``) run in Chromium on the main pages in
English, Spanish and French: no serious or critical violation."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from capacityhub.core.choices import Status
from capacityhub.core.testing.factories import RoleSet, make_record

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ["en", "es", "fr"]
PAGES = [
    "/",
    "/initiatives/",
    "/needs/",
    "/opportunities/",
    "/resources/",
    "/experts/",
    "/countries/",
    "/countries/KE/",
    "/coordination/",
    "/coordination/gaps/",
    "/plans/",
    "/conferences/",
    "/meetings/",
    "/accounts/login/",
]
SERIOUS = ("serious", "critical")
RUN_AXE = """async () => {
  const result = await axe.run(document);
  const violations = result.violations
    .filter(v => ["serious", "critical"].includes(v.impact))
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.html.slice(0, 160))}));
  return {violations: violations, passes: result.passes.length};
}"""


@pytest.fixture
def axe_source():
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make a11y-deps` (npm ci) first")
    return AXE.read_text()


@pytest.fixture
def content(reference_data):
    roles = RoleSet.create()
    initiative = make_record("initiative", title="Risk assessment training", organization=roles.org_x)
    make_record("need", title="Detection of living modified organisms", country=roles.country_a)
    make_record("initiative", title="A draft", status=Status.DRAFT)
    return {"detail": initiative.get_absolute_url().split("/", 2)[2]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_have_no_serious_violations(live_server, browser, axe_source, content, language):
    context = browser.new_context(locale=language, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    found = {}
    try:
        for path in [*PAGES, "/" + content["detail"]]:
            url = "{}/{}{}".format(live_server.url, language, path)
            response = page.goto(url)
            assert response.status == 200, url
            assert page.locator("html").get_attribute("lang") == language
            page.evaluate(axe_source)
            result = page.evaluate(RUN_AXE)
            assert result["passes"] > 10, "axe-core did not run on {}".format(url)
            if result["violations"]:
                found[path] = result["violations"]
    finally:
        context.close()
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
