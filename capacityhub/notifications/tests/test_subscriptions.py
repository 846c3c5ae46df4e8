"""Saved searches and follows, e-mailed as immediate alerts or daily digests: what a digest contains, that
an item is never sent twice (even when two subscriptions find it, or two senders run), that only what the
user may see is sent, and the page where users manage their subscriptions."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from capacityhub.conferences import services as conference_services
from capacityhub.conferences.tests.factories import make_conference, make_topic, moderator_user, participant
from capacityhub.core import services as record_services
from capacityhub.core.choices import Status
from capacityhub.core.testing.factories import country, make_record, term
from capacityhub.core.testing.tasks import run_task_worker
from capacityhub.notifications import services
from capacityhub.notifications.choices import Frequency
from capacityhub.notifications.models import Follow, SavedSearch, SentItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean(settings, tmp_path):
    from django.core.cache import cache

    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    mail.outbox.clear()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks of a block, as a real commit would. (The test's transaction never commits,
    so callbacks registered before the block are still listed: forget the pending alert callback.)"""
    from contextlib import contextmanager

    from django.db import connection

    @contextmanager
    def block():
        connection._capacityhub_alerts = None
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield callbacks

    return block


def _backdate(*subscriptions):
    """Subscriptions made a minute ago, so records published in the test are newer."""
    for subscription in subscriptions:
        type(subscription).objects.filter(pk=subscription.pk).update(
            created_at=timezone.now() - datetime.timedelta(minutes=1)
        )


def test_daily_digest_contents_and_no_repeats(roles):
    user = roles.registered
    moderator = moderator_user()
    conference = make_conference(moderator=moderator, premoderated_posts=0)
    topic = make_topic(conference)
    author = participant(conference).user
    old_post = conference_services.post_create(
        topic=topic, actor=author, body="Before following", language="en"
    )
    old_need = make_record("need", country=roles.country_a, title="Old need in Kenya")
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    type(old_post).objects.filter(pk=old_post.pk).update(created_at=long_ago)
    type(old_need).objects.filter(pk=old_need.pk).update(published_at=long_ago)
    follow_conference = services.follow_create(target=conference, actor=user)
    follow_kenya = services.follow_create(target=country("KE"), actor=user)
    search = services.saved_search_create(
        actor=user, record_type="need", query="q=customs", name="Customs needs"
    )
    _backdate(follow_conference, follow_kenya, search)

    conference_services.post_create(
        topic=topic, actor=author, body="Plans rarely **mention** biosafety.", language="en"
    )
    make_record("need", country=roles.country_a, title="Training of customs officers")  # found twice
    make_record("need", country=roles.country_b, title="Customs in Colombia")  # by the search only
    make_record("need", country=roles.country_a, title="Draft need", status=Status.DRAFT)  # not visible
    make_record("initiative", country=roles.country_a, title="Initiative in Kenya")

    call_command("send_digests", stdout=StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email] and "daily digest: 4 new items" in message.subject
    body = message.body
    assert "Plans rarely **mention** biosafety." in body and "Before following" not in body
    assert body.count("Training of customs officers") == 1  # two subscriptions found it: sent once
    assert "Customs in Colombia" in body and "Initiative in Kenya" in body
    assert "Draft need" not in body and "Old need in Kenya" not in body
    html = message.alternatives[0][0]
    assert "Training of customs officers" in html and "/en/subscriptions/" in html
    assert SentItem.objects.filter(user=user).count() == 4

    # The next digest holds only what is new since.
    mail.outbox.clear()
    call_command("send_digests", stdout=StringIO())
    assert mail.outbox == []
    conference_services.post_create(topic=topic, actor=author, body="A later post", language="fr")
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert (
        len(mail.outbox) == 1
        and "A later post" in mail.outbox[0].body
        and "Training" not in mail.outbox[0].body
    )
    assert "Sent 1 items to 1 users." in out.getvalue()


def test_immediate_alert_when_a_post_is_published(roles, on_commit):
    user = roles.registered
    moderator = moderator_user()
    conference = make_conference(moderator=moderator, premoderated_posts=1)
    topic = make_topic(conference)
    _backdate(services.follow_create(target=topic, actor=user, frequency=Frequency.IMMEDIATE))
    author = participant(conference).user
    with on_commit():
        pending = conference_services.post_create(
            topic=topic, actor=author, body="Waiting post", language="es"
        )
    assert mail.outbox == []  # a post waiting for approval is not sent
    with on_commit():
        conference_services.post_moderate(post=pending, actor=moderator, action="approve")
    assert len(mail.outbox) == 1 and "Waiting post" in mail.outbox[0].body
    with on_commit():
        conference_services.post_moderate(post=pending, actor=moderator, action="pin")
        conference_services.post_create(topic=topic, actor=moderator, body="By the moderator", language="en")
    assert (
        len(mail.outbox) == 2
        and "By the moderator" in mail.outbox[1].body
        and "Waiting post" not in mail.outbox[1].body
    )
    # The author is not told of their own posts; nobody else follows.
    assert all(message.to == [user.email] for message in mail.outbox)


def test_following_a_record_sends_its_new_published_versions(roles, on_commit):
    follower = roles.focal_b
    record = make_record(
        "initiative", title="Biosafety project", actor=roles.publisher_x, organization=roles.org_x
    )
    _backdate(services.follow_create(target=record, actor=follower, frequency=Frequency.IMMEDIATE))
    with on_commit():
        record.title = {"en": "Biosafety project, phase 2"}
        record_services.record_save(record=record, actor=roles.publisher_x)
    assert len(mail.outbox) == 1 and "Biosafety project, phase 2 — version" in mail.outbox[0].body
    # The follower's own changes are not sent back to them.
    services.follow_create(target=record, actor=roles.publisher_x, frequency=Frequency.IMMEDIATE)
    with on_commit():
        record.title = {"en": "Biosafety project, phase 3"}
        record_services.record_save(record=record, actor=roles.publisher_x)
    recipients = [message.to[0] for message in mail.outbox]
    assert recipients == [follower.email, follower.email]


def test_follow_an_area_and_no_access_no_mail(roles):
    user = roles.registered
    area = term("thematic-areas", "risk-assessment")
    _backdate(services.follow_create(target=area, actor=user))
    private = make_conference(posts_public=False, premoderated_posts=0)
    topic = make_topic(private)
    _backdate(services.follow_create(target=private, actor=user))
    conference_services.post_create(
        topic=topic, actor=participant(private).user, body="Members only", language="en"
    )
    make_record("resource", title="Manual on risk assessment")
    services.send_all(Frequency.DAILY)
    assert len(mail.outbox) == 1
    assert "Manual on risk assessment" in mail.outbox[0].body and "Members only" not in mail.outbox[0].body


def test_the_ledger_wins_against_a_concurrent_sender(roles):
    user = roles.registered
    _backdate(services.follow_create(target=country("KE"), actor=user))
    need = make_record("need", country=roles.country_a, title="Need sent elsewhere")
    SentItem.objects.create(
        user=user, content_type=ContentType.objects.get_for_model(need), object_id=need.pk, frequency="daily"
    )
    assert services.send_to_user(user, Frequency.DAILY) == 0 and mail.outbox == []


def test_a_failed_send_marks_nothing_as_sent(roles):
    user = roles.registered
    _backdate(services.follow_create(target=country("KE"), actor=user))
    make_record("need", country=roles.country_a, title="Need to send")
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")):
        assert services.send_all(Frequency.DAILY) == (0, 0)
    assert not SentItem.objects.exists()
    assert services.send_all(Frequency.DAILY) == (1, 1)


def test_no_email_frequency_sends_nothing(roles):
    user = roles.registered
    _backdate(services.follow_create(target=country("KE"), actor=user, frequency=Frequency.NONE))
    make_record("need", country=roles.country_a, title="Quiet need")
    assert services.send_all(Frequency.DAILY) == (0, 0) and services.send_all(Frequency.IMMEDIATE) == (0, 0)


def test_enqueue_runs_the_task(roles):
    _backdate(services.follow_create(target=country("KE"), actor=roles.registered))
    make_record("need", country=roles.country_a, title="Need by task")
    out = StringIO()
    call_command("send_digests", "--enqueue", stdout=out)
    assert "Enqueued task" in out.getvalue() and len(mail.outbox) == 1


def test_manage_subscriptions_page(client, roles):
    user = roles.registered
    assert client.get("/en/subscriptions/").status_code == 302
    client.force_login(user)
    # Save the search of a list, with its filters.
    response = client.get(
        "/en/subscriptions/searches/add/", {"type": "need", "q": "customs", "country": "KE"}
    )
    assert response.status_code == 200 and "q=customs&amp;country=KE" in response.content.decode()
    response = client.post(
        "/en/subscriptions/searches/add/",
        {
            "type": "need",
            "query": "q=customs&country=KE",
            "name": "Customs in Kenya",
            "frequency": "immediate",
        },
    )
    assert response.status_code == 302
    search = SavedSearch.objects.get()
    assert (search.record_type, search.query, search.frequency) == (
        "need",
        "q=customs&country=KE",
        "immediate",
    )
    assert client.get("/en/subscriptions/searches/add/", {"type": "nothing"}).status_code == 404
    # Follow a country, a conference; a draft one cannot be followed.
    client.post("/en/subscriptions/follow/", {"target": "reference.country:{}".format(roles.country_a.pk)})
    conference = make_conference()
    response = client.post(
        "/en/subscriptions/follow/",
        {"target": "conferences.conference:{}".format(conference.pk), "next": "/en/"},
    )
    assert response.status_code == 302 and response["Location"] == "/en/"
    draft = make_record("need", country=roles.country_a, title="Draft", status=Status.DRAFT)
    assert (
        client.post("/en/subscriptions/follow/", {"target": "registry.need:{}".format(draft.pk)}).status_code
        == 404
    )
    assert Follow.objects.filter(user=user).count() == 2
    page = client.get("/en/subscriptions/").content.decode()
    assert "Customs in Kenya" in page and "Kenya" in page and "Biosafety in development plans" in page
    follow = Follow.objects.get(kind="country")
    client.post("/en/subscriptions/", {"kind": "follow", "id": follow.pk, "frequency": "none"})
    follow.refresh_from_db()
    assert follow.frequency == "none"
    client.post("/en/subscriptions/", {"kind": "search", "id": search.pk, "delete": "1"})
    assert not SavedSearch.objects.exists()
    client.post(
        "/en/subscriptions/follow/",
        {"target": "conferences.conference:{}".format(conference.pk), "unfollow": "1"},
    )
    assert Follow.objects.filter(user=user).count() == 1
    # Somebody else's subscription is not theirs to change.
    client.force_login(roles.focal_a)
    assert (
        client.post("/en/subscriptions/", {"kind": "follow", "id": follow.pk, "delete": "1"}).status_code
        == 404
    )
    # The follow button is on conference pages.
    assert "Follow: e-mail me what is new" in client.get(conference.get_absolute_url()).content.decode()


def test_the_daily_digest_runs_in_the_task_worker(roles, settings):
    """With the database backend of ``make run``: the cron job only enqueues; the worker sends, once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    from django_tasks_db.models import DBTaskResult

    _backdate(services.follow_create(target=country("KE"), actor=roles.registered))
    make_record("need", country=roles.country_a, title="Need for the worker")
    out = StringIO()
    call_command("send_digests", "--enqueue", stdout=out)
    assert "Enqueued task" in out.getvalue() and mail.outbox == []  # nothing sent by the cron job
    assert DBTaskResult.objects.filter(task_path__endswith="send_digests_task").count() == 1
    run_task_worker()
    assert len(mail.outbox) == 1 and "Need for the worker" in mail.outbox[0].body
    result = DBTaskResult.objects.get(task_path__endswith="send_digests_task")
    assert result.status == "SUCCESSFUL" and result.return_value == {"users": 1, "items": 1}
    call_command("send_digests", "--enqueue", stdout=StringIO())
    run_task_worker()
    assert len(mail.outbox) == 1  # the next day's run sends nothing twice
