"""Plans as data: the shipped plans as loaded, where they are still to be completed, plan files (import,
export,
errors), the pages (list, tree, area and element pages with initiatives and submissions), the status-of-
implementation questionnaire generated from a plan, and the API."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from capacityhub.core.choices import Status
from capacityhub.core.testing.factories import make_record
from capacityhub.plans import planfiles
from capacityhub.plans.generator import generate_status_questionnaire
from capacityhub.plans.models import Crosswalk, Plan, Questionnaire
from capacityhub.plans.selectors import is_reportable, plan_gaps, reporting_units

pytestmark = pytest.mark.django_db

COMPLETE = {
    "key": "test-plan",
    "title": {"en": "Test plan", "fr": "Plan d'essai"},
    "period": [2021, 2030],
    "complete": True,
    "areas": [
        {
            "number": "A",
            "title": {"en": "Area A"},
            "elements": [
                {
                    "number": "A.1",
                    "kind": "outcome",
                    "title": {"en": "Outcome A.1"},
                    "activities": [{"number": "A.1.1", "title": {"en": "Activity"}}],
                    "indicators": [
                        {"number": "A.1.a", "title": {"en": "People trained"}, "value_type": "number"}
                    ],
                }
            ],
        }
    ],
    "crosswalk": [{"from": "A.1", "to_plan": "cpb-cb-action-plan-2006", "to": "b", "relation": "partly"}],
}


def test_the_shipped_plans():
    plan = Plan.objects.get(key="cpb-cb-action-plan-2006")
    assert plan.adopted_by == "BS-III/3" and (plan.period_start, plan.period_end) == (2006, 2012)
    areas = list(plan.areas.select_related("thematic_area"))
    assert [a.number for a in areas] == list("abcdefghijklmno")
    assert areas[0].thematic_area.code == "institutional-capacity"
    assert not plan.is_complete and "key areas only" in plan.completeness
    framework = Plan.objects.get(key="cpb-cb-framework-2012-2020")
    assert framework.supersedes == plan and not framework.areas.exists()
    assert Plan.objects.get(key="cpb-cb-action-plan-2021-2030").supersedes == framework
    # The 2006 plan is reported on by key area; the others cannot be reported on yet.
    assert is_reportable(plan) and len(reporting_units(plan)) == 15
    assert not is_reportable(framework)
    assert not is_reportable(
        Plan.objects.get(key="cpb-cb-action-plan-2021-2030")
    )  # area A has no element yet
    assert Questionnaire.objects.filter(plan=plan, kind="status").count() == 1
    assert not Questionnaire.objects.filter(plan=framework).exists()


def test_gaps_for_the_secretariat():
    gaps = plan_gaps(Plan.objects.get(key="cpb-cb-action-plan-2021-2030"))
    messages = [what for _where, what in gaps]
    assert any("No element" in m for m in messages)
    assert any("No indicator" in m for m in messages)  # goal B.1
    assert plan_gaps(Plan.objects.get(key="cpb-cb-framework-2012-2020"))[0][1] == "No area has been entered."


def test_pages_show_where_a_plan_is_to_be_completed(client, roles):
    url = reverse("plans:plan", args=["cpb-cb-action-plan-2021-2030"])
    public = client.get(url).content.decode()
    assert "Only part of the official text of this plan is available here" in public
    assert "Still to be completed" not in public
    client.force_login(roles.admin)
    html = client.get(url).content.decode()
    assert "Still to be completed" in html and "metadata only" in html
    assert "No element (expected result, outcome or goal) has been entered." in html
    assert client.get(reverse("plans:plan_list")).status_code == 200
    assert client.get(reverse("plans:plan", args=["no-such-plan"])).status_code == 404


def test_import_export_round_trip():
    plan, results = planfiles.import_plan(copy.deepcopy(COMPLETE))
    assert plan.is_complete and plan.elements.get().indicators.get().number == "A.1.a"
    link = Crosswalk.objects.get(source_area__plan=plan)
    assert link.target_area.number == "b" and link.relation == "partly"
    exported = planfiles.export_plan(plan)
    assert exported["areas"][0]["elements"][0]["activities"] == [
        {"number": "A.1.1", "title": {"en": "Activity"}}
    ]
    assert exported["crosswalk"] == [
        {"from": "A.1", "to_plan": "cpb-cb-action-plan-2006", "to": "b", "relation": "partly", "note": {}}
    ]
    _plan, results = planfiles.import_plan(exported)
    assert not any(result.changed for result in results)
    # The shipped plan exports in the shape it was loaded from.
    shipped = planfiles.export_plan(Plan.objects.get(key="cpb-cb-action-plan-2006"))
    assert shipped["areas"][1]["identifier"] == "68250AA6-75F1-470D-A8E7-85ECDF703D00"
    assert shipped["superseded_by"] == "cpb-cb-framework-2012-2020"


def test_plan_file_errors_change_nothing():
    bad = copy.deepcopy(COMPLETE)
    bad["areas"][0]["elements"][0]["kind"] = "wish"
    bad["areas"].append({"number": "A", "title": {}})
    with pytest.raises(planfiles.PlanFileError) as error:
        planfiles.import_plan(bad)
    messages = error.value.messages
    assert any("unknown kind wish" in m for m in messages)
    assert any("number A is used twice" in m for m in messages)
    assert any("title is missing" in m for m in messages)
    assert not Plan.objects.filter(key="test-plan").exists()
    with pytest.raises(planfiles.PlanFileError):
        planfiles.import_plan({**COMPLETE, "key": "cycles"})  # a page's address


def test_parts_asked_about_cannot_be_removed():
    plan, _results = planfiles.import_plan(copy.deepcopy(COMPLETE))
    generate_status_questionnaire(plan)
    shorter = copy.deepcopy(COMPLETE)
    shorter["areas"][0]["elements"] = []
    shorter["crosswalk"] = []
    with pytest.raises(planfiles.PlanFileError) as error:
        planfiles.import_plan(shorter)
    assert "asked about by a questionnaire" in error.value.messages[0]
    assert plan.elements.count() == 1


def test_import_page_and_commands(client, roles, tmp_path):
    url = reverse("plans:plan_import")
    client.force_login(roles.focal_a)
    assert client.get(url).status_code == 403
    client.force_login(roles.admin)
    upload = SimpleUploadedFile("plan.json", b"{not json", content_type="application/json")
    response = client.post(url, {"file": upload})
    assert response.status_code == 400 and "not valid JSON" in response.content.decode()
    upload = SimpleUploadedFile("plan.json", json.dumps(COMPLETE).encode(), content_type="application/json")
    # First a check (dry run): what the import would do, nothing written; then the confirmation imports.
    response = client.post(url, {"file": upload})
    assert response.status_code == 200 and not Plan.objects.filter(key="test-plan").exists()
    confirm = response.context["confirm"]
    assert "plan areas: 1 created" in response.content.decode()
    response = client.post(
        url, {"content": confirm.initial["content"], "name": "plan.json", "kind": "plan", "confirm": "1"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan", args=["test-plan"])
    export = client.get(reverse("plans:plan_export", args=["test-plan"]))
    assert json.loads(export.content)["key"] == "test-plan"
    path = tmp_path / "plan.json"
    call_command("export_plan", "test-plan", output=str(path))
    data = json.loads(path.read_text())
    data["title"]["es"] = "Plan de prueba"
    path.write_text(json.dumps(data))
    call_command("import_plan", str(path), verbosity=0)
    assert Plan.objects.get(key="test-plan").title["es"] == "Plan de prueba"


def test_status_questionnaire_of_a_plan():
    plan, _results = planfiles.import_plan(copy.deepcopy(COMPLETE))
    questionnaire, _results = generate_status_questionnaire(plan)
    definition = questionnaire.definition()
    assert [q.key for q in definition.questions] == [
        "el-A.1",
        "el-A.1-status",
        "el-A.1-results",
        "el-A.1-good-practices",
        "el-A.1-lessons",
        "el-A.1-indicator-A.1.a",
        "general-areas",
        "general-activities",
        "general-other",
    ]
    status = definition["el-A.1-status"]
    assert status.mandatory and [o.value for o in status.options] == [
        "not_started",
        "in_progress",
        "achieved",
    ]
    assert definition["el-A.1-results"].enabled_when[0]["values"] == ["in_progress", "achieved"]
    assert definition["el-A.1-indicator-A.1.a"].type == "number"
    assert definition["general-activities"].type == "bucket" and definition["general-areas"].type == "terms"
    # Refreshing without submissions keeps the version; once answered, a changed plan gets a new version.
    assert generate_status_questionnaire(plan)[0].pk == questionnaire.pk
    from capacityhub.plans.testing import make_cycle

    cycle = make_cycle(questionnaire)
    from capacityhub.plans import services

    services.submission_start(cycle=cycle, country=None, organization=make_record("organization"), actor=None)
    bigger = copy.deepcopy(COMPLETE)
    bigger["areas"][0]["elements"][0]["indicators"].append({"number": "A.1.b", "title": {"en": "Laws"}})
    planfiles.import_plan(bigger)
    newer, _results = generate_status_questionnaire(plan)
    assert newer.version == 2 and questionnaire.questions.count() == 9


def test_element_page_lists_initiatives_and_what_submissions_say(client, roles):
    plan = Plan.objects.get(key="cpb-cb-action-plan-2006")
    area = plan.areas.get(number="c")
    linked = make_record(
        "initiative", title="Linked initiative", actor=roles.publisher_x, organization=roles.org_x
    )
    other = make_record("initiative", title="Same area", organization=roles.org_y)
    url = area.get_absolute_url()
    client.force_login(roles.publisher_x)
    response = client.post(reverse("plans:plan_unit_link", args=[plan.key, "c"]), {"initiative": linked.pk})
    assert response.status_code == 302 and list(area.initiatives.all()) == [linked]
    response = client.post(reverse("plans:plan_unit_link", args=[plan.key, "c"]), {"initiative": other.pk})
    assert list(area.initiatives.all()) == [linked]  # not an initiative of theirs
    html = client.get(url).content.decode()
    assert "Linked initiative" in html and "Same area" in html  # linked, and suggested by its area
    assert "No published submission reports on this part of the plan yet." in html


@override_settings(ROOT_URLCONF="capacityhub.plans.tests.urls")
def test_api(client, roles):
    listing = client.get("/api/plans/").json()
    assert {p["key"] for p in listing["results"]} >= {"cpb-cb-action-plan-2006", "cpb-cb-framework-2012-2020"}
    plan = client.get("/api/plans/cpb-cb-action-plan-2006/").json()
    assert plan["areas"][0]["number"] == "a" and plan["areas"][0]["thematic_area"] == "institutional-capacity"
    assert plan["completeness"].startswith("key areas only")
    assert client.get("/api/plans/cpb-cb-action-plan-2006/export/").json()["key"] == "cpb-cb-action-plan-2006"
    response = client.post("/api/plans/import/", COMPLETE, content_type="application/json")
    assert response.status_code == 403
    client.force_login(roles.admin)
    response = client.post(
        "/api/plans/import/", {**COMPLETE, "areas": "none"}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["errors"]
    assert client.post("/api/plans/import/", COMPLETE, content_type="application/json").status_code == 200
    questionnaire = Questionnaire.objects.get(key="cpb-nr5")
    data = client.get("/api/questionnaires/{}/".format(questionnaire.pk)).json()
    section = data["definition"]["sections"][4]
    assert section["key"] == "Articles7-10"
    q026 = next(q for q in section["questions"] if q["key"] == "Q027")
    assert q026["enabled_when"] == [{"question": "Q026", "op": "any_of", "values": ["true"]}]
    cycle = {"title": {"en": "API cycle"}, "questionnaire": questionnaire.pk, "deadline": "2031-01-31"}
    response = client.post("/api/cycles/", cycle, content_type="application/json")
    assert response.status_code == 201, response.content
    client.force_login(roles.focal_a)
    assert client.post("/api/cycles/", cycle, content_type="application/json").status_code == 403
    assert client.get("/api/cycles/").json()["count"] >= 1
    bad = {**cycle, "opens_on": "2031-02-01"}
    client.force_login(roles.admin)
    assert client.post("/api/cycles/", bad, content_type="application/json").status_code == 400
    assert Status.PUBLISHED  # the workflow of submissions is tested in test_submissions


def test_questionnaire_and_cycle_pages(client, roles):
    nr5 = Questionnaire.objects.get(key="cpb-nr5")
    html = client.get(reverse("plans:questionnaire", args=[nr5.pk])).content.decode()
    assert "229 questions" in html and "Applies if the answer to question 26 is “Yes”." in html
    exported = client.get(reverse("plans:questionnaire_export", args=[nr5.pk])).json()
    assert exported["key"] == "cpb-nr5" and exported["sections"][0]["key"] == "General"
    assert client.get(reverse("plans:questionnaire_list")).status_code == 200
    add = reverse("plans:cycle_add")
    client.force_login(roles.focal_a)
    assert client.get(add).status_code == 403
    client.force_login(roles.admin)
    data = {
        "title_en": "Fifth national reports",
        "title_es": "",
        "title_fr": "",
        "description_en": "",
        "description_es": "",
        "description_fr": "",
        "questionnaire": nr5.pk,
        "respondents": "countries",
        "opens_on": "2031-02-01",
        "deadline": "2031-01-31",
    }
    response = client.post(add, data)
    assert response.status_code == 400
    assert "The deadline is before the opening date." in response.content.decode()
    response = client.post(add, {**data, "deadline": "2031-10-01"})
    assert response.status_code == 302
    cycle = nr5.cycles.get()
    assert response["Location"] == cycle.get_absolute_url()
    assert client.get(reverse("plans:cycle_list")).status_code == 200
    assert client.get(reverse("plans:cycle_edit", args=[cycle.pk])).status_code == 200


def test_admin_pages_for_the_secretariat(admin_client):
    plan = Plan.objects.get(key="cpb-cb-action-plan-2021-2030")
    area = plan.areas.get(number="B")
    for url in (
        reverse("admin:plans_plan_change", args=[plan.pk]),
        reverse("admin:plans_planarea_change", args=[area.pk]),
        reverse("admin:plans_planelement_change", args=[area.elements.get().pk]),
        reverse("admin:plans_question_changelist"),
        reverse("admin:plans_submission_changelist"),
    ):
        assert admin_client.get(url).status_code == 200, url
