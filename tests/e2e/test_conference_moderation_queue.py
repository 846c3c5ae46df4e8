"""The moderation queue and removals in a real browser: a moderator finds a waiting post on their dashboard,
approves it from the moderation page, then removes an objective after confirming, and the conference's
history says so."""

import pytest
from playwright.sync_api import expect

from capacityhub.conferences import services
from capacityhub.conferences.models import ConferenceModerator, Objective, Participant, Post
from capacityhub.conferences.tests.factories import make_conference, make_topic
from capacityhub.core.testing.factories import UserFactory, organization
from capacityhub.reference.models import Country

WAITING = "A first contribution that waits for a moderator."


@pytest.fixture
def conference(reference_data):
    conference = make_conference(
        title="Queue conference", organizer=organization("Organizer"), premoderated_posts=1
    )
    topic = make_topic(conference, 1, "Where do we stand?")
    Objective.objects.create(conference=conference, number=1, text={"en": "Take stock of needs."})
    moderator = UserFactory(username="queue_moderator")
    ConferenceModerator.objects.create(conference=conference, user=moderator)
    person = UserFactory(username="newcomer", name="Nora Newcomer")
    Participant.objects.create(
        conference=conference,
        user=person,
        country=Country.objects.get(iso2="KE"),
        organization_name="Ministry",
        stakeholder_type="government",
        status="approved",
    )
    services.post_create(topic=topic, actor=person, body=WAITING, language="en", subject="Hello")
    return conference


def test_moderator_works_the_queue_from_the_dashboard_and_removes_an_objective(live_server, page, conference):
    base = live_server.url
    page.goto(base + "/en/accounts/login/")
    page.get_by_label("Username").fill("queue_moderator")
    page.get_by_label("Password").fill("pass")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="My dashboard").click()
    queue = page.locator("#moderation-queue")
    expect(queue).to_contain_text("Queue conference")
    expect(queue).to_contain_text("1 post to approve")
    queue.get_by_role("link", name="Open the moderation page").click()
    page.locator("article.post", has_text=WAITING).get_by_role("button", name="Approve").click()
    expect(page.locator(".messages")).to_contain_text("Done")
    assert Post.objects.get().status == "published"
    page.get_by_role("link", name="My dashboard").click()
    expect(page.locator("#moderation-queue")).to_have_count(0)

    page.goto("{}/en/conferences/{}/".format(base, conference.pk))
    page.locator("#objectives").get_by_role("link", name="Remove").click()
    expect(page.locator("h1")).to_have_text("Remove this objective?")
    assert Objective.objects.filter(conference=conference).count() == 1  # asking removes nothing
    page.get_by_role("button", name="Remove").click()
    expect(page.locator(".messages")).to_contain_text("The conference's history keeps it")
    expect(page.locator("#objectives")).not_to_contain_text("Take stock of needs.")
    assert not Objective.objects.filter(conference=conference).exists()
    page.goto("{}/en/conferences/{}/history/".format(base, conference.pk))
    expect(page.get_by_text("Objective removed: 1. Take stock of needs.")).to_be_visible()
