"""The demo: the 2009 conference (four objectives, posts in three languages, closed, compiled into the
background paper of the fifth coordination meeting), an open conference, meetings and the five decisions;
everything marked demo; a second run writes nothing."""

import datetime
from io import StringIO

import pytest

from capacityhub.conferences.demo import CONFERENCE_2009, load_demo
from capacityhub.conferences.models import Conference, Outcome, Post
from capacityhub.meetings.models import Decision, Meeting, MeetingDocument

pytestmark = pytest.mark.django_db


def test_demo_is_complete_marked_and_idempotent(client):
    out = StringIO()
    load_demo(stdout=out)
    assert "demo-moderator" in out.getvalue()
    past = Conference.objects.get(title__en=CONFERENCE_2009)
    assert (
        past.is_demo
        and past.start_date == datetime.date(2009, 1, 19)
        and past.end_date == datetime.date(2009, 2, 6)
    )
    assert past.objectives.count() == 4 and past.is_archive()
    languages = set(Post.objects.filter(topic__conference=past).values_list("language", flat=True))
    assert languages == {"en", "es", "fr"}
    fifth = Meeting.objects.get(kind="coordination", series_number=5)
    assert (fifth.start_date, fifth.end_date, fifth.city, fifth.country.iso2) == (
        datetime.date(2009, 3, 9),
        datetime.date(2009, 3, 11),
        "San José",
        "CR",
    )
    outcome = Outcome.objects.get(conference=past)
    assert outcome.document.meeting == fifth and outcome.document.kind == "background"
    assert outcome.data["statistics"]["participants"] == 8
    symbols = set(Decision.objects.filter(is_demo=True).values_list("symbol", flat=True))
    assert symbols == {"BS-I/5", "BS-II/3", "BS-III/3", "BS-IV/3", "BS-VI/3"}
    bs6 = Decision.objects.get(symbol="BS-VI/3")
    assert (
        bs6.meeting.series_number == 6
        and bs6.meeting.city == "Hyderabad"
        and bs6.considered_meetings.exists()
    )
    assert Conference.objects.filter(is_demo=True).count() == 2
    current = Conference.objects.exclude(pk=past.pk).get()
    assert current.phase() == "open"
    assert (
        Meeting.objects.filter(is_demo=False).count() == 0
        and Decision.objects.filter(is_demo=False).count() == 0
    )
    counts = (
        Meeting.objects.count(),
        MeetingDocument.objects.count(),
        Post.objects.count(),
        Decision.objects.count(),
    )
    load_demo(stdout=StringIO())
    assert counts == (
        Meeting.objects.count(),
        MeetingDocument.objects.count(),
        Post.objects.count(),
        Decision.objects.count(),
    )
    for url in (
        past.get_absolute_url(),
        outcome.get_absolute_url(),
        fifth.get_absolute_url(),
        bs6.get_absolute_url(),
    ):
        assert client.get(url).status_code == 200
    page = client.get(past.get_absolute_url() + "topics/1/").content.decode()
    assert "read-only archive" in page and "Demo post" in page
