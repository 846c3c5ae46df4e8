"""``/api/conferences/``: conferences with their objectives and topics; posts for those allowed to read
them; posting through the same rules as the pages."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from capacityhub.conferences import services
from capacityhub.conferences.choices import PostStatus
from capacityhub.conferences.models import Objective, Post
from capacityhub.core.choices import Status

from .factories import make_conference, make_topic, moderator_user, participant

pytestmark = [pytest.mark.django_db, pytest.mark.urls("capacityhub.meetings.tests.urls")]


def test_list_and_detail(client, roles):
    conference = make_conference(title="Open conference")
    Objective.objects.create(
        conference=conference, number=1, text={"en": "Take stock.", "fr": "Faire le point."}
    )
    make_topic(conference, 1, "Where do we stand?")
    draft = make_conference(title="Draft conference", status=Status.DRAFT)
    data = client.get("/api/conferences/").json()
    assert [row["id"] for row in data["results"]] == [conference.pk]
    detail = client.get("/api/conferences/{}/?lang=fr".format(conference.pk)).json()
    assert detail["phase"] == "open" and detail["objectives"][0]["text"]["fr"] == "Faire le point."
    assert (
        detail["topics"][0]["title"] == {"en": "Where do we stand?"}
        and detail["topics"][0]["post_count"] == 0
    )
    assert client.get("/api/conferences/{}/".format(draft.pk)).status_code == 404
    assert client.get("/api/conferences/?phase=archived").json()["count"] == 0


def test_posts_for_those_allowed(client, roles):
    moderator = moderator_user()
    conference = make_conference(moderator=moderator, premoderated_posts=1)
    topic = make_topic(conference)
    person = participant(conference).user
    pending = services.post_create(topic=topic, actor=person, body="Pending one", language="es")
    assert pending.status == PostStatus.PENDING
    services.post_moderate(post=pending, actor=moderator, action="approve")
    hidden = services.post_create(topic=topic, actor=person, body="Secret text", language="en")
    services.post_moderate(post=hidden, actor=moderator, action="hide", reason="Off topic")
    rows = client.get("/api/conferences/{}/posts/".format(conference.pk)).json()["results"]
    assert [(row["body"], row["language"]) for row in rows] == [("Pending one", "es"), (None, "en")]
    assert rows[1]["hidden_reason"] == "Off topic" and rows[0]["country"] == "KE"
    client.force_login(moderator)
    rows = client.get("/api/conferences/{}/posts/?topic=1".format(conference.pk)).json()["results"]
    assert rows[1]["body"] == "Secret text"
    private = make_conference(posts_public=False)
    client.logout()
    assert client.get("/api/conferences/{}/posts/".format(private.pk)).status_code == 403


@override_settings(CONFERENCE_POST_RATE=(2, 60))
def test_posting_through_the_api(client, roles):
    cache.clear()
    conference = make_conference(premoderated_posts=0)
    make_topic(conference)
    person = participant(conference).user
    url = "/api/conferences/{}/posts/".format(conference.pk)
    assert client.post(
        url, {"topic": 1, "body": "x", "language": "en"}, content_type="application/json"
    ).status_code in (
        401,
        403,
    )
    client.force_login(roles.registered)
    response = client.post(url, {"topic": 1, "body": "x", "language": "en"}, content_type="application/json")
    assert response.status_code == 403 and "approved participants" in response.json()["detail"]
    client.force_login(person)
    response = client.post(
        url, {"topic": 1, "body": "From the API", "language": "fr"}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["status"] == "published"
    reply = client.post(
        url,
        {"topic": 1, "body": "Reply", "language": "en", "parent": response.json()["id"]},
        content_type="application/json",
    )
    assert reply.status_code == 201 and reply.json()["parent"] == response.json()["id"]
    response = client.post(
        url, {"topic": 1, "body": "Third", "language": "en"}, content_type="application/json"
    )
    assert response.status_code == 429
    assert Post.objects.count() == 2
    archived = make_conference(start=-10, end=-1)
    make_topic(archived)
    participant(archived, person)
    response = client.post(
        "/api/conferences/{}/posts/".format(archived.pk),
        {"topic": 1, "body": "Late", "language": "en"},
        content_type="application/json",
    )
    assert response.status_code == 403 and "read-only archive" in response.json()["detail"]
