"""A conference in a real browser: a participant posts in Spanish, the moderator approves the post (it was
the participant's first, so it waited), marks it as a key contribution, closes the conference and compiles
the outcome, which quotes the Spanish post and offers its PDF and DOCX."""

import re

import pytest
from playwright.sync_api import expect

from capacityhub.conferences.models import ConferenceModerator, Participant, Post
from capacityhub.conferences.tests.factories import make_conference, make_topic
from capacityhub.core import services as record_services
from capacityhub.core.choices import Status
from capacityhub.core.testing.factories import UserFactory, organization
from capacityhub.meetings.models import Meeting
from capacityhub.reference.models import Country

SPANISH = "La bioseguridad debe figurar en el plan nacional de desarrollo, con presupuesto propio."


@pytest.fixture
def conference(reference_data):
    org = organization("Secretariat")
    meeting = record_services.record_save(
        record=Meeting(
            kind="coordination",
            title={"en": "Fifth coordination meeting"},
            start_date="2030-03-09",
            end_date="2030-03-11",
            city="San José",
            organizer=org,
            status=Status.PUBLISHED,
        ),
        actor=None,
    )
    conference = make_conference(
        title="Biosafety in national development plans",
        organizer=org,
        premoderated_posts=1,
        feeds_meeting=meeting,
    )
    make_topic(conference, 1, "Where do we stand?")
    moderator = UserFactory(username="moderator")
    ConferenceModerator.objects.create(conference=conference, user=moderator)
    person = UserFactory(username="participante", name="Carla Participante")
    Participant.objects.create(
        conference=conference,
        user=person,
        country=Country.objects.get(iso2="CO"),
        organization_name="Ministerio de Ambiente",
        stakeholder_type="government",
        status="approved",
    )
    return conference


def _sign_in(page, base, username):
    page.goto(base + "/en/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pass")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="My dashboard")).to_be_visible()


def test_participant_posts_in_spanish_moderator_approves_outcome_compiled(live_server, page, conference):
    base = live_server.url
    topic_url = "{}/es/conferences/{}/topics/1/".format(base, conference.pk)

    _sign_in(page, base, "participante")
    page.goto(topic_url)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    compose = page.locator("form[action$='/post/']")
    compose.locator("input[name=subject]").fill("Presupuesto")
    compose.locator("textarea[name=body]").fill(SPANISH)
    compose.locator("select[name=language]").select_option("es")
    compose.locator("button[type=submit]").click()
    post = page.locator("article.post", has_text=SPANISH)
    expect(post).to_be_visible()
    expect(post).to_have_attribute("lang", "es")
    expect(post.locator(".badge.warning")).to_be_visible()  # waiting for approval
    assert Post.objects.get().status == "pending"

    # Before approval, an anonymous reader does not see it.
    anonymous = page.context.browser.new_context().new_page()
    anonymous.goto(topic_url)
    expect(anonymous.get_by_text(SPANISH)).to_have_count(0)

    page.goto(base + "/en/")
    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, base, "moderator")
    page.goto("{}/en/conferences/{}/moderation/".format(base, conference.pk))
    queued = page.locator("article.post", has_text=SPANISH)
    queued.get_by_role("button", name="Approve").click()
    expect(page.locator(".messages")).to_contain_text("Done")
    assert Post.objects.get().status == "published"
    anonymous.goto(topic_url)
    expect(anonymous.get_by_text(SPANISH)).to_be_visible()

    page.goto(topic_url.replace("/es/", "/en/"))
    page.locator("article.post", has_text=SPANISH).get_by_role("button", name="Key contribution").click()
    page.goto("{}/en/conferences/{}/".format(base, conference.pk))
    page.get_by_role("button", name="Close the conference").click()
    expect(page.locator(".messages")).to_contain_text("read-only archive")
    page.get_by_role("button", name="Compile the outcome").click()
    expect(page).to_have_url(re.compile(r"/conferences/\d+/outcome/$"))
    expect(page.locator("h1")).to_contain_text("Biosafety in national development plans")
    expect(page.get_by_text(SPANISH)).to_be_visible()
    expect(page.get_by_text("Carla Participante")).to_be_visible()
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()

    # After closing, the archive is read-only: the form is gone for the participant.
    anonymous.goto(topic_url)
    expect(anonymous.locator("form[action$='/post/']")).to_have_count(0)
    anonymous.context.close()
    assert conference.feeds_meeting.documents.count() == 1
