"""The issue's finishing pieces: several publishers of one organization share its draft submission, and the
API's lists are ordered (no pagination warning)."""

import warnings

import pytest
from django.urls import reverse

from capacityhub.accounts.choices import Role
from capacityhub.core import permissions
from capacityhub.core.choices import Status
from capacityhub.core.testing.factories import UserFactory, grant
from capacityhub.plans import services
from capacityhub.plans.models import Plan, Submission
from capacityhub.plans.testing import complete_answers, make_cycle

pytestmark = pytest.mark.django_db


def test_every_publisher_of_the_organization_edits_its_draft(client, roles):
    cycle = make_cycle()
    colleague = grant(UserFactory(username="publisher_x2"), Role.ORG_PUBLISHER, organization=roles.org_x)
    submission = services.submission_start(cycle=cycle, organization=roles.org_x, actor=roles.publisher_x)
    # Through the gate: the colleague (not the author) may view, change and submit; another organization's
    # publisher and a national user may not; nobody but the Secretariat publishes.
    assert permissions.can(colleague, permissions.CHANGE, submission)
    assert permissions.can(colleague, permissions.SUBMIT, submission)
    assert not permissions.can(colleague, permissions.PUBLISH, submission)
    for outsider in (roles.publisher_y, roles.focal_a, roles.registered):
        assert not permissions.can(outsider, permissions.CHANGE, submission)
        assert not permissions.can(outsider, permissions.VIEW, submission)
    assert submission in permissions.restrict(Submission.objects.all(), colleague, permissions.CHANGE)
    others = permissions.restrict(Submission.objects.all(), roles.publisher_y, permissions.VIEW)
    assert submission not in others
    # The colleague answers on the page, then submits.
    answers, explanations = complete_answers(cycle.questionnaire)
    services.submission_save_answers(
        submission=submission, actor=colleague, answers=answers, explanations=explanations
    )
    client.force_login(colleague)
    assert client.get(reverse("plans:submission_answers", args=[submission.pk])).status_code == 200
    client.post(reverse("plans:submission_transition", args=[submission.pk, "submit"]))
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED
    client.force_login(roles.publisher_y)
    assert client.get(reverse("plans:submission_answers", args=[submission.pk])).status_code in (403, 404)
    # The other organization's publisher cannot save answers through the API either.
    response = client.patch(
        "/api/submissions/{}/".format(submission.pk),
        {"answers": answers, "revision": submission.revision},
        content_type="application/json",
    )
    assert response.status_code in (403, 404)


def test_api_lists_are_ordered(client, roles):
    make_cycle()
    make_cycle()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for url in ("/api/cycles/", "/api/plans/", "/api/questionnaires/", "/api/submissions/"):
            assert client.get(url).status_code == 200, url


# -- the header of the fifth national report (questions 1 to 6) ------------------------------------
def test_nr5_header_questions_render_and_validate(client, roles):
    from capacityhub.plans import engine
    from capacityhub.plans.models import Questionnaire

    nr5 = Questionnaire.objects.get(key="cpb-nr5")
    definition = nr5.definition()
    assert definition.sections[0].key == "General"
    header = [q.key for q in definition.section_questions("General")]
    assert header == [
        "Q001",
        "Q002",
        "Q002_contact",
        "Q003",
        "Q004",
        "Q004_start",
        "Q004_end",
        "Q005",
        "Q006",
    ]
    assert definition["Q003"].type == "date" and definition["Q005"].type == "single"
    assert definition["Q001"].mandatory and not definition["Q006"].mandatory
    # Dates are checked; the mandatory header questions are listed as missing.
    _answers, _x, errors = engine.check_values(definition, {"Q003": "2023-02-30"})
    assert errors == {"Q003": ["Enter a date as YYYY-MM-DD."]}
    answers, _x, errors = engine.check_values(definition, {"Q003": "2023-09-30"})
    assert answers == {"Q003": "2023-09-30"} and not errors
    period = {"Q004_start": "2023-09-30", "Q004_end": "2019-10-01"}
    assert engine.check_values(definition, period)[2] == {
        "Q004_end": ["The end of the period is before its start."]
    }
    missing = {q.key for q in engine.missing_answers(definition, {})}
    assert {"Q001", "Q002", "Q002_contact", "Q003", "Q004_start", "Q004_end", "Q005"} <= missing
    assert "Q006" not in missing
    # Starting Kenya's report fills in question 1 with the country.
    cycle = make_cycle(nr5)
    submission = services.submission_start(cycle=cycle, country=roles.country_a, actor=roles.focal_a)
    assert submission.answers == {"Q001": "Kenya"}
    url = reverse("plans:submission_answers", args=[submission.pk])
    client.force_login(roles.focal_a)
    html = client.get(url, {"section": "General"}).content.decode()
    assert 'type="date" name="q:Q003"' in html and 'name="q:Q004_start"' in html and "Kenya" in html
    assert "General Information" in html and "Date of submission" in html
    data = {
        "section": "General",
        "base_revision": submission.revision,
        "q:Q001": "Kenya",
        "q:Q002": "The national biosafety authority and universities",
        "q:Q002_contact": "A. Focal, focal@example.org",
        "q:Q003": "31/12/2023",
        "q:Q004_start": "2019-10-01",
        "q:Q004_end": "2023-09-30",
        "q:Q005": "false",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and "Enter a date as YYYY-MM-DD." in response.content.decode()
    submission.refresh_from_db()
    assert "Q002" not in submission.answers  # nothing saved
    response = client.post(url, {**data, "q:Q003": "2023-12-31"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.answers["Q003"] == "2023-12-31" and submission.answers["Q004_end"] == "2023-09-30"
    assert not {"Q001", "Q003", "Q005"} & {
        q.key for q in engine.missing_answers(definition, submission.answers)
    }


# -- the crosswalk between plan versions -----------------------------------------------------------
NEW_PLAN = {
    "key": "test-successor",
    "title": {"en": "Successor plan"},
    "period": [2013, 2020],
    "areas": [
        {
            "number": "1",
            "title": {"en": "Area one"},
            "elements": [{"number": "1.1", "kind": "expected_result", "title": {"en": "Result 1.1"}}],
        },
        {"number": "2", "title": {"en": "Area two"}, "elements": []},
    ],
}
CROSSWALK = {
    "key": "cpb-cb-action-plan-2006",
    "crosswalk": [
        {"from": "a", "to_plan": "test-successor", "to": "1.1", "relation": "continues"},
        {
            "from": "c",
            "to_plan": "test-successor",
            "to": "2",
            "relation": "partly",
            "note": {"en": "In part."},
        },
    ],
}


def _upload(client, data, **extra):
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("file.json", json.dumps(data).encode(), content_type="application/json")
    return client.post(reverse("plans:plan_import"), {"file": upload, **extra})


def _confirm(client, response):
    confirm = response.context["confirm"]
    return client.post(
        reverse("plans:plan_import"),
        {
            "content": confirm.initial["content"],
            "name": confirm.initial["name"],
            "kind": response.context["preview_kind"],
            "confirm": "1",
        },
    )


def test_crosswalk_file_page_element_page_and_api(client, roles):
    from capacityhub.plans import crosswalks, planfiles
    from capacityhub.plans.models import Crosswalk

    planfiles.import_plan(NEW_PLAN)
    client.force_login(roles.admin)
    # Errors name the place; nothing is written.
    bad = {
        "key": "cpb-cb-action-plan-2006",
        "crosswalk": [
            {"from": "z", "to_plan": "test-successor", "to": "1.1"},
            {"from": "a", "to_plan": "nowhere", "to": "1"},
            {"from": "a", "to_plan": "test-successor", "to": "9.9", "relation": "maybe"},
        ],
    }
    response = _upload(client, bad)
    html = response.content.decode()
    assert response.status_code == 400
    assert "crosswalk[0].from: z is not a part of plan cpb-cb-action-plan-2006." in html
    assert "crosswalk[1].to_plan: no plan has the key nowhere." in html
    assert "crosswalk[2].relation: unknown relation maybe" in html and "crosswalk[2].to: 9.9" in html
    assert not Crosswalk.objects.filter(target_area__plan__key="test-successor").exists()
    # A valid file: checked first (nothing written), then imported on confirmation.
    response = _upload(client, CROSSWALK)
    assert response.status_code == 200 and response.context["preview_kind"] == "crosswalk"
    assert "crosswalk links: 2 created" in response.content.decode()
    assert not Crosswalk.objects.filter(target_area__plan__key="test-successor").exists()
    response = _confirm(client, response)
    assert response.status_code == 302
    assert Crosswalk.objects.filter(target_area__plan__key="test-successor").count() == 2
    # The crosswalk page of the pair, both ways, and its file.
    client.logout()
    page = client.get(reverse("plans:crosswalk", args=["cpb-cb-action-plan-2006", "test-successor"]))
    html = page.content.decode()
    assert page.status_code == 200 and "Result 1.1" in html and "In part." in html
    assert html.count("No counterpart recorded") == 13  # 15 key areas, two with a counterpart
    back = client.get(reverse("plans:crosswalk", args=["test-successor", "cpb-cb-action-plan-2006"]))
    assert "Institutional capacity" in back.content.decode() and "continued from" in back.content.decode()
    exported = client.get(
        reverse("plans:crosswalk_export", args=["cpb-cb-action-plan-2006", "test-successor"])
    )
    assert [link["to"] for link in exported.json()["crosswalk"]] == ["1.1", "2"]
    assert crosswalks.export_crosswalk(Plan.objects.get(key="cpb-cb-action-plan-2006"))["crosswalk"]
    # The element's page shows its predecessor; the area's page its successor.
    html = client.get(reverse("plans:plan_unit", args=["test-successor", "1.1"])).content.decode()
    assert "Predecessors" in html and "Institutional capacity" in html
    html = client.get(reverse("plans:plan_unit", args=["cpb-cb-action-plan-2006", "c"])).content.decode()
    assert "Successors" in html and "Area two" in html
    html = client.get(reverse("plans:plan", args=["cpb-cb-action-plan-2006"])).content.decode()
    assert reverse("plans:crosswalk", args=["cpb-cb-action-plan-2006", "test-successor"]) in html
    # The API.
    data = client.get("/api/plans/cpb-cb-action-plan-2006/crosswalk/?to=test-successor").json()
    assert {(link["from"], link["to"], link["relation"]) for link in data["links"]} == {
        ("a", "1.1", "continues"),
        ("c", "2", "partly"),
    }
    assert "test-successor" in data["related_plans"]
    tree = client.get("/api/plans/test-successor/").json()
    assert {(link["from_plan"], link["to"]) for link in tree["crosswalk"]} == {
        ("cpb-cb-action-plan-2006", "1.1"),
        ("cpb-cb-action-plan-2006", "2"),
    }
    # Re-importing a file without a link removes it (for the plans the file names only).
    client.force_login(roles.admin)
    response = client.post(
        "/api/plans/import/?dry_run=1",
        {**CROSSWALK, "crosswalk": CROSSWALK["crosswalk"][:1]},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["dry_run"]
    assert Crosswalk.objects.filter(target_area__plan__key="test-successor").count() == 2
    client.post(
        "/api/plans/import/",
        {**CROSSWALK, "crosswalk": CROSSWALK["crosswalk"][:1]},
        content_type="application/json",
    )
    assert Crosswalk.objects.filter(target_area__plan__key="test-successor").count() == 1


# -- what the submissions say about a part of the 2006 plan ----------------------------------------
def test_area_page_quotes_status_and_national_report_answers(client, roles):
    from capacityhub.core import services as core_services
    from capacityhub.plans.models import Questionnaire, QuestionPlanLink

    # The mapping of national-report questions to the key areas is loaded as data.
    area_a = Plan.objects.get(key="cpb-cb-action-plan-2006").areas.get(number="a")
    links = QuestionPlanLink.objects.filter(plan_area=area_a)
    assert {(link.question.questionnaire.key, link.question.key) for link in links} == {
        ("cpb-nr5", "Q119"),
        ("cpb-nr5", "Q123"),
        ("cpb-nr4", "Q132"),
        ("cpb-nr4", "Q135"),
    }
    assert QuestionPlanLink.objects.filter(question__key="Q119").count() == 15
    nr5 = Questionnaire.objects.get(key="cpb-nr5")
    cycle = make_cycle(nr5)
    answers, explanations = complete_answers(nr5, seed=3)
    answers.update(Q118="true", Q119=["BB3CA716-E122-4445-9FAD-9F6B440363BD"])
    kenya = services.submission_start(cycle=cycle, country=roles.country_a, actor=roles.focal_a)
    services.submission_save_answers(
        submission=kenya, actor=roles.focal_a, answers=answers, explanations=explanations
    )
    kenya.refresh_from_db()
    core_services.record_transition(record=kenya, action=permissions.PUBLISH, actor=roles.focal_a)
    # A draft does not count.
    colombia = services.submission_start(cycle=cycle, country=roles.country_b, actor=roles.focal_b)
    services.submission_save_answers(
        submission=colombia, actor=roles.focal_b, answers=answers, explanations=explanations
    )
    status_cycle = make_cycle()
    status_answers = complete_answers(status_cycle.questionnaire, seed=4)
    status_answers[0]["area-a-status"] = "in_progress"
    status_answers[0]["area-a-results"] = "Staff of the authority were trained."
    report = services.submission_start(cycle=status_cycle, country=roles.country_a, actor=roles.focal_a)
    services.submission_save_answers(
        submission=report, actor=roles.focal_a, answers=status_answers[0], explanations=status_answers[1]
    )
    report.refresh_from_db()
    core_services.record_transition(record=report, action=permissions.PUBLISH, actor=roles.focal_a)
    html = client.get(reverse("plans:plan_unit", args=["cpb-cb-action-plan-2006", "a"])).content.decode()
    assert "In the national reports" in html and "119." in html
    assert "1 of 1 reports that answered" in html
    assert html.count(kenya.get_absolute_url()) >= 1 and colombia.get_absolute_url() not in html
    assert "In progress" in html and report.get_absolute_url() in html
    data = client.get("/api/plans/cpb-cb-action-plan-2006/submissions/?part=a").json()
    q119 = next(m for m in data["national_reports"] if m["question"] == "Q119")
    assert q119["count"] == 1 and q119["answered"] == 1 and q119["submissions"][0]["id"] == kenya.pk
    status = data["status_cycles"][0]["status"]
    assert status == [
        {
            "status": "In progress",
            "submissions": [{"id": report.pk, "respondent": "Kenya", "url": report.get_absolute_url()}],
        }
    ]
    assert client.get("/api/plans/cpb-cb-action-plan-2006/submissions/?part=zz").status_code == 400


# -- uploading questionnaires ----------------------------------------------------------------------
SURVEY = {
    "key": "test-survey",
    "version": 1,
    "kind": "survey",
    "title": {"en": "Survey"},
    "sections": [
        {
            "key": "s1",
            "title": {"en": "One"},
            "questions": [
                {
                    "key": "S1",
                    "number": "1",
                    "type": "single",
                    "title": {"en": "Yes or no?"},
                    "mandatory": True,
                    "options": [
                        {"value": "true", "title": {"en": "Yes"}},
                        {"value": "false", "title": {"en": "No"}},
                    ],
                },
                {
                    "key": "S2",
                    "number": "2",
                    "type": "text",
                    "title": {"en": "Why?"},
                    "enabled_when": [{"question": "S1", "op": "any_of", "values": ["true"]}],
                },
            ],
        }
    ],
}


def test_questionnaire_upload_is_checked_first_and_for_the_secretariat_only(client, roles):
    import copy

    from capacityhub.plans.models import Questionnaire

    client.force_login(roles.focal_a)
    assert _upload(client, SURVEY).status_code == 403
    client.force_login(roles.admin)
    bad = copy.deepcopy(SURVEY)
    bad["sections"][0]["questions"][1]["enabled_when"][0]["question"] = "S9"
    bad["sections"][0]["questions"][0]["type"] = "dropdown"
    response = _upload(client, bad)
    html = response.content.decode()
    assert response.status_code == 400 and "S1: unknown type dropdown." in html
    assert "S2: its condition refers to an unknown question S9." in html
    assert not Questionnaire.objects.filter(key="test-survey").exists()
    response = _upload(client, SURVEY)
    assert response.status_code == 200 and response.context["preview_kind"] == "questionnaire"
    assert "questions: 2 created" in response.content.decode()
    assert not Questionnaire.objects.filter(key="test-survey").exists()
    response = _confirm(client, response)
    survey = Questionnaire.objects.get(key="test-survey")
    assert response.status_code == 302 and response["Location"] == survey.get_absolute_url()
    assert [q.key for q in survey.definition()] == ["S1", "S2"]
    # A version with submissions cannot change its questions: a new version is asked for.
    cycle = make_cycle(survey)
    services.submission_start(cycle=cycle, country=roles.country_a, actor=roles.focal_a)
    changed = copy.deepcopy(SURVEY)
    changed["sections"][0]["questions"][1]["type"] = "number"
    response = _upload(client, changed)
    assert response.status_code == 400 and "give the file a new version" in response.content.decode()
    response = client.post(
        "/api/questionnaires/import/?dry_run=1", {**changed, "version": 2}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["id"] is None
    assert not Questionnaire.objects.filter(key="test-survey", version=2).exists()
    response = client.post(
        "/api/questionnaires/import/", {**changed, "version": 2}, content_type="application/json"
    )
    assert response.status_code == 200 and Questionnaire.objects.filter(key="test-survey", version=2).exists()
    client.force_login(roles.focal_a)
    assert (
        client.post("/api/questionnaires/import/", SURVEY, content_type="application/json").status_code == 403
    )


# -- deadline reminders ----------------------------------------------------------------------------
def test_deadline_reminders_are_sent_once_to_those_who_have_not_submitted(roles, mailoutbox):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from capacityhub.core import services as core_services
    from capacityhub.plans.models import CycleReminder
    from capacityhub.plans.reminders import send_cycle_reminders
    from capacityhub.plans.tasks import send_cycle_reminders_task

    today = timezone.localdate()
    cycle = make_cycle(deadline=today + datetime.timedelta(days=10), reminder_days="30, 7")
    # Colombia has published: its focal point is not reminded.
    colombia = services.submission_start(cycle=cycle, country=roles.country_b, actor=roles.focal_b)
    answers, explanations = complete_answers(cycle.questionnaire)
    services.submission_save_answers(
        submission=colombia, actor=roles.focal_b, answers=answers, explanations=explanations
    )
    colombia.refresh_from_db()
    core_services.record_transition(record=colombia, action=permissions.PUBLISH, actor=roles.focal_b)
    # Ten days before: the 30-day reminder is due (and only that one).
    sent = send_cycle_reminders(today=today, base_url="https://hub.example.org")
    countries = {r.country.iso2 for r in sent if r.country}
    organizations = {r.organization.pk for r in sent if r.organization}
    assert countries == {"KE"} and organizations == {roles.org_x.pk, roles.org_y.pk}
    assert {r.days_before for r in sent} == {30}
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == ["focal_a@example.org", "publisher_x@example.org", "publisher_y@example.org"]
    kenya = next(m for m in mailoutbox if m.to == ["focal_a@example.org"])
    assert "Kenya" in kenya.body and "https://hub.example.org" + cycle.get_absolute_url() in kenya.body
    assert "10 days" in kenya.subject
    # Never twice: the same day again, or the day after.
    assert send_cycle_reminders(today=today) == []
    assert send_cycle_reminders(today=today + datetime.timedelta(days=1)) == []
    assert len(mailoutbox) == 3
    # Seven days before: the 7-day reminder, through the command (dry run first, then for real) and the task.
    seven = (today + datetime.timedelta(days=3)).isoformat()
    call_command(
        "send_cycle_reminders", "--dry-run", "--today", seven, stdout=(out := __import__("io").StringIO())
    )
    assert "3 reminder(s) due." in out.getvalue() and len(mailoutbox) == 3
    call_command("send_cycle_reminders", "--today", seven, stdout=out)
    assert len(mailoutbox) == 6 and CycleReminder.objects.filter(cycle=cycle, days_before=7).count() == 3
    assert send_cycle_reminders_task.enqueue().return_value == 0
    # A cycle for organizations only does not remind countries; the setting gives the default days.
    other = make_cycle(deadline=today + datetime.timedelta(days=2), respondents="organizations")
    assert other.reminder_schedule() == [14, 3]
    assert {bool(r.organization) for r in send_cycle_reminders(today=today)} == {True}
    # The days are checked.
    from django.core.exceptions import ValidationError

    cycle.reminder_days = "seven"
    with pytest.raises(ValidationError):
        cycle.full_clean()
