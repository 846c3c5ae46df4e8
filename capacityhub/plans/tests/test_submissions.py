"""Submissions end to end through the pages and the API: the workflow by role (national drafts published by
the
focal point; organizations' submissions published by the Secretariat), the late flag, answering section by
section without JavaScript, the check page, the public list of submissions received."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from capacityhub.core import permissions
from capacityhub.core import services as core_services
from capacityhub.core.choices import Status
from capacityhub.core.models import Version
from capacityhub.plans import engine, services
from capacityhub.plans.models import AnswerValue, Submission
from capacityhub.plans.testing import complete_answers, make_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    return make_cycle()


def start(client, user, cycle, **respondent):
    client.force_login(user)
    data = {"cycle": cycle.pk, "original_language": "en", "title_en": "", "title_es": "", "title_fr": ""}
    data.update({"country": "", "organization": ""})
    data.update({k: v.pk for k, v in respondent.items()})
    return client.post(reverse("plans:submission_add"), data)


def answer_everything(submission, actor):
    answers, explanations = complete_answers(submission.cycle.questionnaire)
    return services.submission_save_answers(
        submission=submission, actor=actor, answers=answers, explanations=explanations
    )[0]


def transition(client, user, submission, action, **data):
    client.force_login(user)
    client.post(reverse("plans:submission_transition", args=[submission.pk, action]), data)
    submission.refresh_from_db()
    return submission


def test_national_workflow(client, roles, cycle):
    response = start(client, roles.author_a, cycle, country=roles.country_a)
    submission = Submission.objects.get(cycle=cycle, country=roles.country_a)
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("plans:submission_answers", args=[submission.pk])
    )
    assert submission.status == Status.DRAFT and submission.created_by == roles.author_a
    assert submission.display_title() == "Kenya — {}".format(cycle.title["en"])
    # An incomplete submission cannot be submitted: the page says which questions are missing.
    transition(client, roles.author_a, submission, "submit")
    assert submission.status == Status.DRAFT
    answer_everything(submission, roles.author_a)
    for user in (roles.author_b, roles.focal_b, roles.publisher_x):
        assert transition(client, user, submission, "submit").status == Status.DRAFT
    assert transition(client, roles.author_a, submission, "submit").status == Status.SUBMITTED
    assert transition(client, roles.author_a, submission, "publish").status == Status.SUBMITTED
    assert transition(client, roles.focal_a, submission, "publish").status == Status.PUBLISHED
    assert submission.received_at is not None and not submission.is_late


def test_organization_workflow(client, roles, cycle):
    # Another organization's publisher, or a national user, cannot start it.
    assert start(client, roles.publisher_y, cycle, organization=roles.org_x).status_code == 400
    client.force_login(roles.registered)
    assert client.get(reverse("plans:submission_add")).status_code == 403
    response = start(client, roles.publisher_x, cycle, organization=roles.org_x)
    assert response.status_code == 302
    submission = Submission.objects.get(cycle=cycle, organization=roles.org_x)
    answer_everything(submission, roles.publisher_x)
    assert transition(client, roles.publisher_x, submission, "submit").status == Status.SUBMITTED
    assert submission.received_at is not None  # received when submitted to the Secretariat
    # The organization's publisher does not publish; the Secretariat does, or returns it with a comment.
    assert transition(client, roles.publisher_x, submission, "publish").status == Status.SUBMITTED
    assert (
        transition(client, roles.admin, submission, "return", comment="Add lessons.").status == Status.DRAFT
    )
    assert transition(client, roles.publisher_x, submission, "submit").status == Status.SUBMITTED
    assert transition(client, roles.admin, submission, "publish").status == Status.PUBLISHED


def test_late_submissions_are_accepted_and_flagged(roles):
    cycle = make_cycle(deadline=timezone.localdate() - datetime.timedelta(days=3))
    submission = services.submission_start(cycle=cycle, country=roles.country_a, actor=roles.focal_a)
    answer_everything(submission, roles.focal_a)
    core_services.record_transition(record=submission, action=permissions.PUBLISH, actor=roles.focal_a)
    submission.refresh_from_db()
    assert submission.status == Status.PUBLISHED and submission.is_late


def test_one_submission_per_respondent_and_cycle(roles, cycle):
    services.submission_start(cycle=cycle, country=roles.country_a, actor=roles.focal_a)
    with pytest.raises(Exception) as error:
        services.submission_start(cycle=cycle, country=roles.country_a, actor=roles.author_a)
    assert "already" in str(error.value)


def test_answering_a_section_without_javascript(client, roles):
    from capacityhub.plans.models import Questionnaire

    cycle = make_cycle(Questionnaire.objects.get(key="cpb-nr5"))
    submission = services.submission_start(cycle=cycle, country=roles.country_a, actor=roles.author_a)
    url = reverse("plans:submission_answers", args=[submission.pk])
    client.force_login(roles.author_b)
    assert client.get(url).status_code == 404  # another country's draft is invisible
    client.force_login(roles.author_a)
    page = client.get(url, {"section": "Articles7-10"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="q:Q026"' in html and "Applies if the answer to question 26 is “Yes”." in html
    data = {
        "section": "Articles7-10",
        "base_revision": submission.revision,
        "q:Q026": "true",
        "q:Q026_adq": "3",
        "q:Q027": ["3EFF4792-A896-4DC7-9945-04FE9C8B5B4F"],
        "x:Q027:3EFF4792-A896-4DC7-9945-04FE9C8B5B4F": "60",
        "q:Q027_a": "true.some",
        "go": "section:Article11",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("?section=Article11")
    submission.refresh_from_db()
    assert submission.answers["Q027"] == ["3EFF4792-A896-4DC7-9945-04FE9C8B5B4F"]
    assert submission.explanations == {"Q027": {"3EFF4792-A896-4DC7-9945-04FE9C8B5B4F": 60}}
    assert AnswerValue.objects.filter(submission=submission, question__key="Q027", number=60).exists()
    # Changing Q026 to No drops the answers that no longer apply, and says so.
    data.update({"q:Q026": "false", "base_revision": submission.revision, "go": ""})
    response = client.post(url, data, follow=True)
    assert "no longer apply" in response.content.decode()
    submission.refresh_from_db()
    assert "Q027" not in submission.answers and "Q027_a" not in submission.answers
    # An unknown option is refused: nothing is saved, the page says where.
    response = client.post(url, {**data, "q:Q026": "maybe", "base_revision": submission.revision})
    assert response.status_code == 400 and "Unknown option" in response.content.decode()
    # Somebody else's save since the page was opened is a conflict: nothing is overwritten.
    opened_at = submission.revision
    services.submission_save_answers(
        submission=submission, actor=roles.focal_a, answers={"Q175": "Two agreements."}, keys=["Q175"]
    )
    response = client.post(url, {**data, "q:Q026": "true", "base_revision": opened_at})
    assert response.status_code == 409
    submission.refresh_from_db()
    assert submission.answers["Q026"] == "false" and submission.answers["Q175"] == "Two agreements."
    # One's own saves in between (the page's background saves) are not.
    client.post(url, {**data, "base_revision": submission.revision})
    response = client.post(url, {**data, "q:Q026": "false", "base_revision": submission.revision})
    assert response.status_code == 302
    submission.refresh_from_db()
    # The background save answers in JSON.
    response = client.post(
        url, {**data, "q:Q026": "true", "base_revision": submission.revision}, headers={"X-Autosave": "1"}
    )
    assert response.status_code == 200 and response.json()["revision"] == submission.revision + 1


def test_check_page_lists_the_missing_questions_with_links(client, roles):
    from capacityhub.plans.models import Questionnaire

    cycle = make_cycle(Questionnaire.objects.get(key="cpb-nr5"))
    submission = services.submission_start(cycle=cycle, country=roles.country_a, actor=roles.focal_a)
    client.force_login(roles.focal_a)
    html = client.get(reverse("plans:submission_check", args=[submission.pk])).content.decode()
    assert "Mandatory questions still unanswered" in html
    assert "?section=Article2#q-Q007" in html
    assert "disabled>Publish" in html.replace("\n", "")


def test_public_list_of_submissions_received(client, roles, cycle):
    published = services.submission_start(cycle=cycle, country=roles.country_a, actor=roles.focal_a)
    answer_everything(published, roles.focal_a)
    core_services.record_transition(record=published, action=permissions.PUBLISH, actor=roles.focal_a)
    services.submission_start(cycle=cycle, country=roles.country_b, actor=roles.author_b)
    html = client.get(reverse("plans:cycle", args=[cycle.pk])).content.decode()
    assert "Kenya" in html and "Colombia" not in html
    assert "1 submission has been received and published." in html
    detail = client.get(published.get_absolute_url(), {"print": "1"})
    assert detail.status_code == 200 and "Answers" in detail.content.decode()


def test_versions_record_the_answers(roles, cycle):
    submission = services.submission_start(cycle=cycle, country=roles.country_a, actor=roles.author_a)
    answer_everything(submission, roles.author_a)
    versions = Version.objects.filter(
        content_type=ContentType.objects.get_for_model(Submission), object_id=submission.pk
    ).order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert "answers" in versions[1].changes and versions[1].actor == roles.author_a


# -- the API ---------------------------------------------------------------------------------------------
def test_api_submission_with_answers(client, roles, cycle):
    definition = cycle.questionnaire.definition()
    client.force_login(roles.author_a)
    response = client.post(
        "/api/submissions/",
        {"cycle": cycle.pk, "country": "KE", "answers": {"area-a-status": "sideways"}},
        content_type="application/json",
    )
    assert response.status_code == 400 and "area-a-status" in response.json()["answers"]
    answers, explanations = complete_answers(cycle.questionnaire)
    response = client.post(
        "/api/submissions/",
        {"cycle": cycle.pk, "country": "KE", "answers": answers, "explanations": explanations},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["answers"] == answers and data["status"] == "draft" and data["respondent"] == "Kenya"
    submission = Submission.objects.get(pk=data["id"])
    assert engine.missing_answers(definition, submission.answers) == []
    # Updating drops what the skip logic disables; a stale revision is a 409.
    changed = {**answers, "area-a-status": "not_started", "area-a-results": "Done."}
    response = client.patch(
        "/api/submissions/{}/".format(submission.pk),
        {"answers": changed, "revision": data["revision"]},
        content_type="application/json",
    )
    assert response.status_code == 200 and "area-a-results" not in response.json()["answers"]
    response = client.patch(
        "/api/submissions/{}/".format(submission.pk),
        {"answers": answers, "revision": data["revision"]},
        content_type="application/json",
    )
    assert response.status_code == 409
    act = "/api/submissions/{}/{{}}/".format(submission.pk)
    assert client.post(act.format("publish"), {}, content_type="application/json").status_code == 403
    assert client.post(act.format("submit"), {}, content_type="application/json").status_code == 200
    client.force_login(roles.focal_a)
    response = client.post(act.format("publish"), {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "published"
    client.logout()
    assert client.get("/api/submissions/{}/".format(submission.pk)).json()["received_at"]


def test_api_organization_submission(client, roles, cycle):
    client.force_login(roles.publisher_x)
    response = client.post(
        "/api/submissions/",
        {"cycle": cycle.pk, "organization": roles.org_x.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    response = client.post(
        "/api/submissions/",
        {"cycle": cycle.pk, "organization": roles.org_y.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
