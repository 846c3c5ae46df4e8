"""The rules of posting: the window (the topic's, within the conference's), closed topics and conferences,
pre-moderation of a new participant's first posts, the rate limit, attachments, and text never run as
markup."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from capacityhub.conferences import services
from capacityhub.conferences.choices import PostStatus
from capacityhub.conferences.models import Post
from capacityhub.core.choices import Status
from capacityhub.core.demo.pdf import tiny_pdf
from capacityhub.core.testing.factories import UserFactory

from .factories import days, make_conference, make_topic, moderator_user, participant

pytestmark = pytest.mark.django_db


def _post(topic, user, body="Hello", **kwargs):
    topic.refresh_from_db()
    return services.post_create(topic=topic, actor=user, body=body, language="en", **kwargs)


@pytest.mark.parametrize(
    ("conference_window", "topic_window", "message"),
    [
        ((2, 10), (None, None), "The discussion opens on"),  # not yet open
        ((-10, -1), (None, None), "read-only archive"),  # over
        ((-3, 10), (2, 5), "This topic is open for posts from"),  # the topic opens later
        ((-3, 10), (-3, -1), "This topic is open for posts from"),  # the topic closed already
    ],
)
def test_posting_only_inside_the_window(roles, conference_window, topic_window, message):
    start, end = conference_window
    conference = make_conference(start=start, end=end)
    opens, closes = topic_window
    topic = make_topic(
        conference,
        start_date=days(opens) if opens is not None else None,
        end_date=days(closes) if closes is not None else None,
    )
    person = participant(conference).user
    with pytest.raises(ValidationError, match=message):
        _post(topic, person)
    assert not Post.objects.exists()


def test_inside_the_window_the_topic_and_the_conference_must_both_be_open(roles):
    conference = make_conference(start=-3, end=10)
    topic = make_topic(conference, start_date=days(-1), end_date=days(1))
    person = participant(conference).user
    post = _post(topic, person)
    assert post.pk
    topic.is_closed = True
    topic.save()
    with pytest.raises(ValidationError, match="This topic is closed"):
        _post(topic, person)
    topic.is_closed = False
    topic.save()
    moderator = moderator_user()
    conference.moderators.create(user=moderator)
    services.conference_close(conference=conference, actor=moderator)
    with pytest.raises(ValidationError, match="read-only archive"):
        _post(topic, person)
    with pytest.raises(ValidationError, match="read-only archive"):
        _post(topic, moderator)  # moderators too: the archive is read-only


def test_only_approved_participants_and_moderators_post_in_published_conferences(roles):
    draft = make_conference(status=Status.DRAFT)
    topic = make_topic(draft)
    with pytest.raises(ValidationError, match="not published"):
        _post(topic, participant(draft).user)
    conference = make_conference()
    topic = make_topic(conference)
    with pytest.raises(ValidationError, match="Only approved participants"):
        _post(topic, participant(conference, approved=False).user)
    with pytest.raises(ValidationError, match="Only approved participants"):
        _post(topic, roles.registered)
    assert _post(topic, roles.admin).status == PostStatus.PUBLISHED  # the Secretariat moderates


def test_first_posts_of_a_new_participant_wait_for_approval(roles):
    moderator = moderator_user()
    conference = make_conference(moderator=moderator, premoderated_posts=2)
    topic = make_topic(conference)
    person = participant(conference).user
    first, second = _post(topic, person, "one"), _post(topic, person, "two")
    assert first.status == second.status == PostStatus.PENDING
    third = _post(topic, person, "three")
    assert third.status == PostStatus.PENDING  # still no approved post
    for post in (first, second):
        services.post_moderate(post=post, actor=moderator, action="approve")
    assert _post(topic, person, "four").status == PostStatus.PUBLISHED
    assert _post(topic, moderator, "moderator").status == PostStatus.PUBLISHED
    # Nobody but the author and the moderators sees a pending post.
    from capacityhub.conferences.selectors import visible_posts

    assert third in visible_posts(topic, person)
    assert third in visible_posts(topic, moderator)
    assert third not in visible_posts(topic, roles.registered)
    with pytest.raises(Exception, match="moderators"):
        services.post_moderate(post=third, actor=person, action="approve")


def test_no_premoderation_when_the_conference_says_none(roles):
    conference = make_conference(premoderated_posts=0)
    topic = make_topic(conference)
    assert _post(topic, participant(conference).user).status == PostStatus.PUBLISHED


def test_script_in_a_post_or_a_title_is_shown_as_text(client, roles):
    conference = make_conference(title='<script>alert("title")</script> Conference', premoderated_posts=0)
    topic = make_topic(conference, title="<img src=x onerror=alert(1)> Topic")
    person = participant(conference).user
    _post(
        topic,
        person,
        '<script>alert("post")</script> **bold** [link](javascript:alert(2)) <a href="#" onclick="x()">a</a>',
        subject="<b>Subject</b>",
    )
    for url in (conference.get_absolute_url(), topic.get_absolute_url(), "/en/conferences/"):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, page[page.find("<script>alert") - 300 :][:600]
        assert "<img src=x" not in page and '<a href="#" onclick' not in page
        assert "javascript:alert" not in page
    page = client.get(topic.get_absolute_url()).content.decode()
    assert '&lt;script&gt;alert("post")&lt;/script&gt;' in page
    assert "<strong>bold</strong>" in page
    assert "&lt;b&gt;Subject&lt;/b&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt; Topic" in page


def test_flooding_is_rate_limited_per_user(client, roles, settings):
    settings.CONFERENCE_POST_RATE = (3, 60)
    moderator = moderator_user()
    conference = make_conference(premoderated_posts=0, moderator=moderator)
    topic = make_topic(conference)
    person, other = participant(conference).user, participant(conference).user
    client.force_login(person)
    url = topic.get_absolute_url() + "post/"
    for n in range(3):
        assert client.post(url, {"body": "Message {}".format(n), "language": "en"}).status_code == 302
    response = client.post(url, {"body": "One too many", "language": "en"})
    assert response.status_code == 429 and "posting too fast" in response.content.decode()
    assert Post.objects.filter(author=person).count() == 3
    assert _post(topic, other, "Another user is not limited").pk
    for n in range(5):  # moderators are not limited
        _post(topic, moderator, "Moderator {}".format(n))


def test_attachments_are_checked(client, roles, settings):
    conference = make_conference(premoderated_posts=0)
    topic = make_topic(conference)
    person = participant(conference).user
    client.force_login(person)
    url = topic.get_absolute_url() + "post/"
    pdf = SimpleUploadedFile("paper.pdf", tiny_pdf("Paper"), content_type="application/pdf")
    assert (
        client.post(url, {"body": "With a file", "language": "en", "attachments": [pdf]}).status_code == 302
    )
    post = Post.objects.get(body="With a file")
    attachment = post.attachments.get()
    assert attachment.content_type == "application/pdf" and attachment.sha256
    download = client.get("/en/conferences/attachments/{}/".format(attachment.pk))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    script = SimpleUploadedFile("virus.exe", b"MZ\x90\x00binary", content_type="application/octet-stream")
    response = client.post(url, {"body": "Bad file", "language": "en", "attachments": [script]})
    assert response.status_code == 400 and "This type of file is not accepted" in response.content.decode()
    settings.UPLOAD_MAX_BYTES = 100
    big = SimpleUploadedFile("big.pdf", tiny_pdf("Big", ["x" * 80] * 5), content_type="application/pdf")
    response = client.post(url, {"body": "Big file", "language": "en", "attachments": [big]})
    assert response.status_code == 400 and "files may be at most" in response.content.decode()
    assert not Post.objects.filter(body__in=["Bad file", "Big file"]).exists()
    # A hidden post's attachment is not served to others.
    moderator = moderator_user()
    conference.moderators.create(user=moderator)
    services.post_moderate(post=post, actor=moderator, action="hide", reason="Wrong file")
    client.force_login(roles.registered)
    assert client.get("/en/conferences/attachments/{}/".format(attachment.pk)).status_code == 404


def test_discussions_reserved_to_participants(client, roles):
    conference = make_conference(premoderated_posts=0, posts_public=False)
    topic = make_topic(conference)
    person = participant(conference).user
    _post(topic, person, "Members only text")
    assert "Members only text" not in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(roles.registered)
    assert "Members only text" not in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(person)
    assert "Members only text" in client.get(topic.get_absolute_url()).content.decode()


def test_a_quote_from_another_conference_is_refused(roles):
    conference, other = make_conference(premoderated_posts=0), make_conference(premoderated_posts=0)
    topic, other_topic = make_topic(conference), make_topic(other)
    person = participant(conference).user
    foreign = _post(other_topic, participant(other).user)
    with pytest.raises(ValidationError, match="quote posts of this conference only"):
        _post(topic, person, quoted=foreign)


def test_flags(roles):
    conference = make_conference(premoderated_posts=0)
    topic = make_topic(conference)
    author = participant(conference).user
    post = _post(topic, author)
    services.flag_create(post=post, actor=roles.registered, reason="Spam")
    with pytest.raises(ValidationError, match="flagged this post already"):
        services.flag_create(post=post, actor=roles.registered, reason="Spam again")
    with pytest.raises(Exception, match="may not flag"):
        services.flag_create(post=post, actor=author, reason="My own")
    assert UserFactory().pk  # any signed-in user may flag
