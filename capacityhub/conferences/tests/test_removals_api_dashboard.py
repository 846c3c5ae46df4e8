"""Removing objectives, topics and background documents (moderators, with confirmation, kept in the
history); posting with attachments through the API (same checks as the pages); conferences written and
published through the API; the moderation queue on the dashboard."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from capacityhub.accounts.choices import Role
from capacityhub.conferences import services
from capacityhub.conferences.choices import EventAction, PostStatus
from capacityhub.conferences.models import (
    BackgroundDocument,
    Conference,
    ConferenceEvent,
    Flag,
    Objective,
    Post,
    Topic,
)
from capacityhub.core.choices import Status
from capacityhub.core.demo.pdf import tiny_pdf
from capacityhub.core.models import Version
from capacityhub.core.testing.factories import UserFactory, grant

from .factories import make_conference, make_topic, moderator_user, participant

pytestmark = pytest.mark.django_db


def api_for(user=None):
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION="Token {}".format(token.key))
    return client


def versions(conference):
    return Version.objects.filter(
        content_type=ContentType.objects.get_for_model(Conference), object_id=conference.pk
    ).order_by("number")


# -- removals -----------------------------------------------------------------------------------------------


def test_moderators_remove_an_objective_a_topic_and_a_document_with_confirmation(client, roles):
    moderator = moderator_user()
    conference = make_conference(moderator=moderator)
    objective = Objective.objects.create(conference=conference, number=2, text={"en": "Share lessons."})
    topic = make_topic(conference, 2, "A topic nobody wrote in")
    document = BackgroundDocument.objects.create(
        conference=conference, title={"en": "Background note"}, url="https://example.org/note"
    )
    urls = {
        "objective": "/en/conferences/{}/objectives/{}/remove/".format(conference.pk, objective.pk),
        "topic": "/en/conferences/{}/topics/2/remove/".format(conference.pk),
        "document": "/en/conferences/{}/documents/{}/remove/".format(conference.pk, document.pk),
    }
    # Not signed in: to the sign-in page; not a moderator: refused; nothing removed.
    for url in urls.values():
        assert client.get(url).status_code == 302
        assert client.post(url).status_code == 302
    client.force_login(roles.publisher_y)
    for url in urls.values():
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert Objective.objects.filter(pk=objective.pk).exists() and Topic.objects.filter(pk=topic.pk).exists()
    client.force_login(moderator)
    page = client.get("/en/conferences/{}/".format(conference.pk)).content.decode()
    for url in urls.values():
        assert url in page  # the links are offered to moderators
    before = versions(conference).count()
    # GET only asks for confirmation.
    confirm = client.get(urls["objective"])
    assert confirm.status_code == 200 and "Remove this objective?" in confirm.content.decode()
    assert Objective.objects.filter(pk=objective.pk).exists()
    for kind, url in urls.items():
        response = client.post(url)
        assert response.status_code == 302, (kind, response.content.decode()[:500])
    assert not Objective.objects.filter(pk=objective.pk).exists()
    assert not Topic.objects.filter(pk=topic.pk).exists()
    assert not BackgroundDocument.objects.filter(pk=document.pk).exists()
    # Kept in the history: a version of the conference per removal, and the removed texts in the log.
    comments = list(versions(conference).values_list("comment", flat=True))[before:]
    assert comments == [
        "Objective removed: 2. Share lessons.",
        "Topic removed: 2. A topic nobody wrote in",
        "Background document removed: Background note",
    ]
    events = {e.action: e for e in ConferenceEvent.objects.filter(conference=conference)}
    assert events[EventAction.OBJECTIVE_REMOVED].detail["text"] == {"en": "Share lessons."}
    assert events[EventAction.TOPIC_REMOVED].detail["title"] == {"en": "A topic nobody wrote in"}
    assert events[EventAction.DOCUMENT_REMOVED].detail["url"] == "https://example.org/note"
    assert events[EventAction.TOPIC_REMOVED].actor == moderator
    history = client.get("/en/conferences/{}/history/".format(conference.pk)).content.decode()
    assert "Topic removed: 2. A topic nobody wrote in" in history


def test_a_topic_with_posts_is_not_removed(client, roles):
    cache.clear()
    moderator = moderator_user()
    conference = make_conference(moderator=moderator, premoderated_posts=0)
    topic = make_topic(conference)
    person = participant(conference).user
    services.post_create(topic=topic, actor=person, body="A contribution", language="en")
    client.force_login(moderator)
    response = client.post("/en/conferences/{}/topics/1/remove/".format(conference.pk))
    assert response.status_code == 400
    assert "This topic has posts" in response.content.decode()
    assert Topic.objects.filter(pk=topic.pk).exists() and Post.objects.filter(topic=topic).count() == 1


def test_removing_a_document_removes_its_file(client, roles, django_capture_on_commit_callbacks):
    moderator = moderator_user()
    conference = make_conference(moderator=moderator)
    client.force_login(moderator)
    pdf = SimpleUploadedFile("note.pdf", tiny_pdf("Note"), content_type="application/pdf")
    response = client.post(
        "/en/conferences/{}/documents/add/".format(conference.pk),
        {"title_en": "Note", "title_es": "", "title_fr": "", "language": "en", "file": pdf, "url": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = BackgroundDocument.objects.get(conference=conference)
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/conferences/{}/documents/{}/remove/".format(conference.pk, document.pk))
    assert response.status_code == 302
    assert not BackgroundDocument.objects.filter(pk=document.pk).exists()
    assert not storage.exists(name)


# -- the conference's workflow page ------------------------------------------------------------------------


def test_conference_moderators_publish_through_the_workflow(client, roles):
    moderator = moderator_user()
    conference = make_conference(moderator=moderator, status=Status.DRAFT)
    url = "/en/conferences/{}/workflow/publish/".format(conference.pk)
    client.force_login(roles.publisher_y)
    assert client.post(url).status_code == 404  # a draft is not visible to them
    client.force_login(moderator)  # not a publisher of the organizer, but its moderator
    assert client.post(url).status_code == 302
    conference.refresh_from_db()
    assert conference.status == Status.PUBLISHED
    assert ConferenceEvent.objects.filter(
        conference=conference, action=EventAction.CONFERENCE_PUBLISHED, actor=moderator
    ).exists()
    assert client.post("/en/conferences/{}/workflow/delete/".format(conference.pk)).status_code == 404


# -- the API ------------------------------------------------------------------------------------------------


def test_posting_with_attachments_through_the_api(roles, settings):
    cache.clear()
    conference = make_conference(premoderated_posts=0)
    make_topic(conference)
    person = participant(conference).user
    api = api_for(person)
    url = "/api/conferences/{}/posts/".format(conference.pk)
    pdf = SimpleUploadedFile("paper.pdf", tiny_pdf("Paper"), content_type="application/pdf")
    response = api.post(
        url,
        {"topic": 1, "body": "With a file", "language": "en", "attachments": [pdf]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    post = Post.objects.get(pk=response.json()["id"])
    attachment = post.attachments.get()
    assert attachment.content_type == "application/pdf" and len(attachment.sha256) == 64
    # The same checks as the pages: kinds by content, size, how many; nothing half-written.
    script = SimpleUploadedFile("notes.pdf", b"MZ\x90\x00binary", content_type="application/pdf")
    refused = api.post(
        url, {"topic": 1, "body": "Bad file", "language": "en", "attachments": [script]}, format="multipart"
    )
    assert refused.status_code == 400
    assert "attachments" in refused.json()
    too_many = [
        SimpleUploadedFile("p{}.pdf".format(n), tiny_pdf("P"), content_type="application/pdf")
        for n in range(4)
    ]
    refused = api.post(
        url, {"topic": 1, "body": "Four files", "language": "en", "attachments": too_many}, format="multipart"
    )
    assert refused.status_code == 400 and "at most 3 files" in str(refused.json())
    settings.UPLOAD_MAX_BYTES = 100
    big = SimpleUploadedFile("big.pdf", tiny_pdf("Big", ["x" * 80] * 5), content_type="application/pdf")
    refused = api.post(
        url, {"topic": 1, "body": "Big file", "language": "en", "attachments": [big]}, format="multipart"
    )
    assert refused.status_code == 400 and "files may be at most" in str(refused.json())
    assert not Post.objects.filter(body__in=["Bad file", "Four files", "Big file"]).exists()
    # JSON without files still works.
    plain = api.post(url, {"topic": 1, "body": "Plain", "language": "fr"}, format="json")
    assert plain.status_code == 201 and plain.json()["language"] == "fr"


def test_conferences_are_written_and_published_through_the_api(roles):
    body = {
        "original_language": "en",
        "title": {"en": "Conference from the API"},
        "start_date": "2026-01-19",
        "end_date": "2026-02-06",
        "languages": ["en", "es"],
        "organizer": roles.org_x.pk,
    }
    assert api_for(roles.registered).post("/api/conferences/", body, format="json").status_code == 403
    bad = api_for(roles.admin).post("/api/conferences/", {**body, "languages": ["xx"]}, format="json")
    assert bad.status_code == 400 and "languages" in bad.json()
    moderator = grant(UserFactory(username="api_moderator"), Role.MODERATOR)
    created = api_for(moderator).post("/api/conferences/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "draft" and data["languages"] == ["en", "es"] and data["phase"]
    conference = Conference.objects.get(pk=data["id"])
    assert conference.moderators.filter(user=moderator).exists()  # its creator moderates it
    # Its moderator edits and publishes it, though not a publisher of organization X.
    edited = api_for(moderator).patch(
        "/api/conferences/{}/".format(conference.pk), {"premoderated_posts": 0, "revision": 1}, format="json"
    )
    assert edited.status_code == 200, edited.content
    assert api_for(roles.publisher_y).post(
        "/api/conferences/{}/publish/".format(conference.pk)
    ).status_code in (
        403,
        404,
    )
    published = api_for(moderator).post("/api/conferences/{}/publish/".format(conference.pk))
    assert published.status_code == 200 and published.json()["status"] == "published"
    again = api_for(moderator).post("/api/conferences/{}/publish/".format(conference.pk))
    assert again.status_code == 409


def test_conference_list_queries_do_not_grow_with_topics_and_posts(roles):
    cache.clear()

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api_for().get("/api/conferences/").status_code == 200
        return len(queries)

    first = make_conference(title="One", premoderated_posts=0)
    topic = make_topic(first)
    services.post_create(topic=topic, actor=participant(first).user, body="Hello", language="en")
    small = count()
    for n in range(4):
        conference = make_conference(title="More {}".format(n))
        make_topic(conference, 1)
        make_topic(conference, 2, "Second")
    assert count() == small
    data = api_for().get("/api/conferences/").json()
    row = next(r for r in data["results"] if r["id"] == first.pk)
    assert row["topics"][0]["post_count"] == 1


# -- the dashboard ------------------------------------------------------------------------------------------


def test_moderators_see_their_queue_on_the_dashboard(client, roles):
    cache.clear()
    moderator = moderator_user()
    conference = make_conference(title="Moderated conference", moderator=moderator, premoderated_posts=1)
    other = make_conference(title="Conference of others")
    topic = make_topic(conference)
    newcomer = participant(conference, UserFactory(username="newcomer")).user
    pending = services.post_create(topic=topic, actor=newcomer, body="First words", language="es")
    assert pending.status == PostStatus.PENDING
    waiting = participant(conference, UserFactory(username="waiting_person"), approved=False).user
    regular = participant(conference, UserFactory(username="regular")).user
    services.post_moderate(post=pending, actor=moderator, action="approve")
    flagged = services.post_create(topic=topic, actor=newcomer, body="Questionable", language="en")
    Flag.objects.create(post=flagged, user=regular, reason="Off topic")
    second_pending = services.post_create(
        topic=topic,
        actor=participant(conference, UserFactory(username="second")).user,
        body="Hi",
        language="en",
    )
    other_topic = make_topic(other)
    elsewhere = participant(other, UserFactory(username="elsewhere"), approved=False).user
    assert other_topic.pk
    client.force_login(moderator)
    page = client.get("/en/dashboard/").content.decode()
    assert "Conferences waiting for a moderator" in page and "Moderated conference" in page
    assert "/en/conferences/{}/moderation/".format(conference.pk) in page
    assert "1 post to approve" in page and "1 registration to approve" in page and "1 flagged post" in page
    assert str(waiting) in page and second_pending.display_title() in page
    assert "Conference of others" not in page  # not theirs
    # The Secretariat sees every conference's queue; others see none.
    client.force_login(roles.admin)
    page = client.get("/en/dashboard/").content.decode()
    assert "Moderated conference" in page and "Conference of others" in page and str(elsewhere) in page
    client.force_login(roles.registered)
    assert "Conferences waiting for a moderator" not in client.get("/en/dashboard/").content.decode()
    # Once all is handled, nothing waits.
    services.post_moderate(post=second_pending, actor=moderator, action="approve")
    services.flags_resolve(post=flagged, actor=moderator)
    for person in conference.participants.filter(status="pending"):
        services.participant_decide(participant=person, approve=True, actor=moderator)
    client.force_login(moderator)
    assert "Conferences waiting for a moderator" not in client.get("/en/dashboard/").content.decode()


def test_dashboard_queries_do_not_grow_with_conferences(client, roles):
    cache.clear()

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/dashboard/").status_code == 200
        return len(queries)

    client.force_login(roles.admin)

    def add(n):
        conference = make_conference(title="Queue {}".format(n), premoderated_posts=2)
        topic = make_topic(conference)
        person = participant(conference, UserFactory(username="p{}".format(n))).user
        services.post_create(topic=topic, actor=person, body="Post {}".format(n), language="en")
        participant(conference, UserFactory(username="w{}".format(n)), approved=False)

    add(0)
    small = count()
    for n in range(1, 4):
        add(n)
    assert count() == small


def test_publishers_see_the_quality_of_their_records_on_the_dashboard(client, roles):
    import datetime

    from capacityhub.core.testing.factories import make_record

    make_record(
        "initiative",
        organization=roles.org_x,
        title="Initiative past its end",
        planned_start=datetime.date(2019, 1, 1),
        planned_end=datetime.date(2020, 12, 31),
    )
    client.force_login(roles.publisher_x)
    page = client.get("/en/dashboard/").content.decode()
    assert "Your records to update" in page and "Initiative past its end" in page
    client.force_login(roles.publisher_y)
    assert "Initiative past its end" not in client.get("/en/dashboard/").content.decode()


def test_only_moderators_and_the_secretariat_add_conferences_by_any_way(client, roles):
    from capacityhub.core import permissions as gate

    moderator = grant(UserFactory(username="role_moderator"), Role.MODERATOR)
    assert gate.can(roles.admin, gate.ADD, model=Conference) and gate.can(
        moderator, gate.ADD, model=Conference
    )
    assert not gate.can(roles.registered, gate.ADD, model=Conference)
    assert not gate.can(roles.publisher_x, gate.ADD, model=Conference)
    client.force_login(roles.publisher_x)
    for url in ("/en/conferences/add/", "/en/conferences/import/"):
        assert client.get(url).status_code == 403, url
    client.force_login(moderator)
    for url in ("/en/conferences/add/", "/en/conferences/import/"):
        assert client.get(url).status_code == 200, url


def test_meetings_decisions_and_conferences_are_counted_on_the_home_page(client, roles):
    from capacityhub.core.testing.factories import make_record

    make_record("meeting", organization=roles.org_x)
    make_record("decision", organization=roles.org_x)
    make_record("conference", organization=roles.org_x)
    make_record("conference", organization=roles.org_x, status=Status.DRAFT)  # not counted
    context = client.get("/en/").context
    counts = {record_type.key: n for record_type, n in context["counts"]}
    assert counts["meeting"] == 1 and counts["decision"] == 1 and counts["conference"] == 1
    page = client.get("/en/").content.decode()
    assert "Online conferences" in page and "/en/decisions/" in page
