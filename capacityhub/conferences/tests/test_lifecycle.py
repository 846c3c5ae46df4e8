"""The conference lifecycle end to end, through the pages, by role: the Secretariat creates and publishes a
conference with objectives and topics, a user registers and a moderator approves; the participant's first
post waits for approval; replies, quotes, flags, hiding, pinning, closing a thread, edit history; the
moderator concludes, closes the conference (a read-only archive) and compiles the outcome, which lands in
the meeting the conference feeds."""

import io

import docx
import pytest
from django.core import mail

from capacityhub.accounts.choices import Role
from capacityhub.conferences.choices import ParticipantStatus, PostStatus
from capacityhub.conferences.models import Conference, ConferenceEvent, Outcome, Post
from capacityhub.core.choices import Status
from capacityhub.core.models import Version
from capacityhub.core.testing.factories import UserFactory, grant
from capacityhub.meetings.models import Meeting

from .factories import days


def _meeting(roles):
    from capacityhub.core import services

    meeting = Meeting(
        kind="coordination",
        series_number=5,
        title={"en": "Fifth coordination meeting"},
        start_date=days(30),
        end_date=days(32),
        city="San José",
        organizer=roles.org_x,
        status=Status.PUBLISHED,
    )
    return services.record_save(record=meeting, actor=None)


@pytest.mark.django_db
def test_conference_lifecycle_by_role(client, roles, django_capture_on_commit_callbacks):
    meeting = _meeting(roles)
    admin, registered = roles.admin, roles.registered
    moderator = grant(UserFactory(username="mod"), Role.MODERATOR)

    # Who may create: the Secretariat and conference moderators; not a registered user nor anonymous.
    assert client.get("/en/conferences/add/").status_code == 302
    client.force_login(registered)
    assert client.get("/en/conferences/add/").status_code == 403
    client.force_login(moderator)
    response = client.post(
        "/en/conferences/add/",
        {
            "original_language": "en",
            "title_en": "Biosafety in national development plans",
            "title_es": "La bioseguridad en los planes nacionales",
            "title_fr": "",
            "introduction_en": "Welcome to **the** conference.",
            "introduction_es": "",
            "introduction_fr": "",
            "start_date": days(-2).isoformat(),
            "end_date": days(10).isoformat(),
            "languages": ["en", "es", "fr"],
            "organizer": roles.org_x.pk,
            "feeds_meeting": meeting.pk,
            "registration_open": "on",
            "premoderated_posts": "1",
            "posts_public": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    conference = Conference.objects.get()
    assert conference.status == Status.DRAFT and conference.created_by == moderator
    assert conference.moderators.filter(user=moderator).exists()
    url = conference.get_absolute_url()

    # A draft is seen by its moderators only.
    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(moderator)
    ml = {"text_es": "", "text_fr": ""}
    assert (
        client.post(url + "objectives/add/", {"number": 1, "text_en": "Take stock.", **ml}).status_code == 302
    )
    assert (
        client.post(url + "objectives/add/", {"number": 2, "text_en": "Share practices.", **ml}).status_code
        == 302
    )
    topic_data = {
        "title_es": "",
        "title_fr": "",
        "description_en": "",
        "description_es": "",
        "description_fr": "",
    }
    response = client.post(
        url + "topics/add/",
        {"number": 1, "title_en": "Where do we stand?", "start_date": days(20).isoformat(), **topic_data},
    )
    assert response.status_code == 400  # a topic opens inside the conference's window
    response = client.post(url + "topics/add/", {"number": 1, "title_en": "Where do we stand?", **topic_data})
    assert response.status_code == 302
    client.post(url + "topics/add/", {"number": 2, "title_en": "Good practices", **topic_data})
    assert client.post(url + "do/publish/").status_code == 302
    conference.refresh_from_db()
    assert conference.status == Status.PUBLISHED
    assert list(conference.objectives.values_list("number", flat=True)) == [1, 2]

    # Anyone reads it; a registered user registers with a profile and waits.
    client.logout()
    page = client.get(url).content.decode()
    assert "Take stock." in page and "Where do we stand?" in page
    client.force_login(registered)
    response = client.post(
        url + "register/",
        {
            "country": roles.country_b.pk,
            "organization": "",
            "organization_name": "",
            "stakeholder_type": "ngo",
        },
    )
    assert response.status_code == 400  # organization required (listed or named)
    response = client.post(
        url + "register/",
        {
            "country": roles.country_b.pk,
            "organization_name": "Red de Bioseguridad",
            "stakeholder_type": "ngo",
        },
    )
    assert response.status_code == 302
    participant = conference.participants.get(user=registered)
    assert participant.status == ParticipantStatus.PENDING
    topic_url = url + "topics/1/"
    post_data = {"subject": "", "body": "Primer mensaje.", "language": "es"}
    response = client.post(topic_url + "post/", post_data)
    assert response.status_code == 400 and "Only approved participants" in response.content.decode()

    # Only moderators approve registrations.
    assert client.get(url + "participants/").status_code == 403
    client.force_login(moderator)
    client.post(url + "participants/", {"participant": participant.pk, "decision": "approve"})
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.APPROVED

    # The participant's first post waits for approval; the public does not see it.
    client.force_login(registered)
    response = client.post(topic_url + "post/", {**post_data, "subject": "Planes"})
    assert response.status_code == 302
    first = Post.objects.get()
    assert first.status == PostStatus.PENDING and first.language == "es"
    assert "Primer mensaje." in client.get(topic_url).content.decode()  # the author sees it
    client.logout()
    assert "Primer mensaje." not in client.get(topic_url).content.decode()
    client.force_login(moderator)
    assert "Primer mensaje." in client.get(url + "moderation/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/conferences/posts/{}/approve/".format(first.pk))
    first.refresh_from_db()
    assert first.status == PostStatus.PUBLISHED and first.moderated_by == moderator
    client.logout()
    assert "Primer mensaje." in client.get(topic_url).content.decode()

    # After the first approved post (premoderated_posts=1), the next ones are published at once.
    client.force_login(registered)
    client.post(topic_url + "post/", {"body": "Second thought.", "language": "en", "parent": first.pk})
    reply = Post.objects.get(body="Second thought.")
    assert reply.status == PostStatus.PUBLISHED and reply.parent == first

    # A moderator replies quoting; another user flags; the moderator hides with a reason.
    client.force_login(moderator)
    client.post(
        topic_url + "post/", {"body": "Thank you.", "language": "en", "parent": first.pk, "quoted": reply.pk}
    )
    answer = Post.objects.get(body="Thank you.")
    assert answer.quoted == reply and answer.status == PostStatus.PUBLISHED
    spam = Post.objects.create(topic=first.topic, author=registered, body="Buy now", language="en")
    client.force_login(roles.focal_a)
    client.post("/en/conferences/posts/{}/flag/".format(spam.pk), {"reason": "Advertising"})
    assert spam.flags.count() == 1
    client.force_login(registered)
    assert client.post("/en/conferences/posts/{}/hide/".format(spam.pk), {"reason": "x"}).status_code == 403
    client.force_login(moderator)
    response = client.post("/en/conferences/posts/{}/hide/".format(spam.pk), {"reason": ""})
    assert response.status_code == 400
    client.post("/en/conferences/posts/{}/hide/".format(spam.pk), {"reason": "Advertising, off topic."})
    spam.refresh_from_db()
    assert spam.status == PostStatus.HIDDEN and spam.flags.filter(resolved_at__isnull=False).count() == 1
    client.logout()
    page = client.get(topic_url).content.decode()
    assert "Advertising, off topic." in page and "Buy now" not in page

    # Pin, then close the thread: a reply is refused with a clear message.
    client.force_login(moderator)
    client.post("/en/conferences/posts/{}/pin/".format(first.pk))
    client.post("/en/conferences/posts/{}/key/".format(first.pk))
    client.post("/en/conferences/posts/{}/lock/".format(first.pk))
    first.refresh_from_db()
    assert first.is_pinned and first.is_locked and first.is_key
    client.force_login(registered)
    response = client.post(topic_url + "post/", {"body": "Late reply", "language": "en", "parent": reply.pk})
    assert response.status_code == 400 and "This thread is closed" in response.content.decode()

    # The author edits a post: the previous text is kept.
    response = client.post(
        "/en/conferences/posts/{}/edit/".format(reply.pk),
        {"body": "Second thought, revised.", "language": "en"},
    )
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.revision == 2 and reply.revisions.get().body == "Second thought."
    history = client.get("/en/conferences/posts/{}/history/".format(reply.pk)).content.decode()
    assert "Second thought." in history and "Second thought, revised." in history
    client.force_login(roles.focal_a)  # somebody else's post
    assert client.get("/en/conferences/posts/{}/edit/".format(reply.pk)).status_code == 403

    # The moderator concludes the topic, closes the conference; posting is refused afterwards.
    client.force_login(moderator)
    client.post(
        topic_url + "conclusion/", {"conclusion_en": "Plans rarely mention biosafety.", "conclusion_es": ""}
    )
    client.post(url + "do/close/")
    conference.refresh_from_db()
    assert conference.closed_at is not None and conference.is_archive()
    client.force_login(registered)
    response = client.post(topic_url + "post/", {"body": "After closing", "language": "en"})
    assert response.status_code == 400 and "read-only archive" in response.content.decode()
    assert client.get("/en/conferences/posts/{}/edit/".format(reply.pk)).status_code == 403
    assert not Post.objects.filter(body="After closing").exists()

    # Compile: only moderators; the outcome is a page, a PDF and a DOCX attached to the meeting.
    assert client.post(url + "do/compile/").status_code == 403
    assert not Outcome.objects.exists()
    client.force_login(moderator)
    response = client.post(url + "do/compile/")
    outcome = Outcome.objects.get()
    assert response.status_code == 302 and response["Location"] == outcome.get_absolute_url()
    page = client.get(outcome.get_absolute_url()).content.decode()
    for expected in ("Take stock.", "Plans rarely mention biosafety.", "Primer mensaje.", "Registered"):
        assert expected in page
    pdf = client.get(url + "outcome.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    document = docx.Document(io.BytesIO(b"".join(client.get(url + "outcome.docx").streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Plans rarely mention biosafety." in text and "Take stock." in text
    attached = meeting.documents.get()
    assert attached.kind == "background" and attached.files.count() == 2
    assert "Outcome of the online conference" in client.get(meeting.get_absolute_url()).content.decode()

    # Every step is in the moderation log, and the record's versions.
    actions = set(ConferenceEvent.objects.filter(conference=conference).values_list("action", flat=True))
    assert {
        "participant_registered",
        "participant_approved",
        "post_approved",
        "post_hidden",
        "post_flagged",
    } <= actions
    assert {"thread_closed", "conclusion_saved", "conference_closed", "outcome_compiled"} <= actions
    assert Version.objects.filter(object_id=conference.pk, comment__icontains="closed").exists()
    assert admin.is_secretariat  # the Secretariat moderates every conference
    client.force_login(admin)
    assert client.get(url + "moderation/").status_code == 200
    assert mail.outbox == []  # nobody subscribed
