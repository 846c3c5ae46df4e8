"""iCal feeds (valid RFC 5545: CRLF lines of at most 75 octets, escaped text, balanced components, all-day
events with exclusive ends; only what the user may see; filtered like the lists) and the API of meetings
and decisions."""

import datetime
import re

import pytest
from django.utils import timezone

from capacityhub.core.choices import Status
from capacityhub.core.testing.factories import make_record
from capacityhub.meetings.calendar import escape, fold

from .test_meetings import make_decision, make_meeting

pytestmark = [pytest.mark.django_db, pytest.mark.urls("capacityhub.meetings.tests.urls")]

DATE = re.compile(r"^\d{8}$")
STAMP = re.compile(r"^\d{8}T\d{6}Z$")


def parse_ics(body):
    """Check the structure of an iCalendar text; return its events as dicts of unfolded properties."""
    assert body.endswith("\r\n")
    raw_lines = body[:-2].split("\r\n")
    for line in raw_lines:
        assert len(line.encode("utf-8")) <= 75, line
        assert "\n" not in line and "\r" not in line
    lines = []
    for line in raw_lines:  # unfold
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    events, current, stack = [], None, []
    for line in lines:
        name, _sep, value = line.partition(":")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
        elif name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                for required in ("UID", "DTSTAMP", "DTSTART;VALUE=DATE", "DTEND;VALUE=DATE", "SUMMARY"):
                    assert required in current, (required, current)
                assert DATE.match(current["DTSTART;VALUE=DATE"]) and DATE.match(current["DTEND;VALUE=DATE"])
                assert current["DTEND;VALUE=DATE"] > current["DTSTART;VALUE=DATE"]
                assert STAMP.match(current["DTSTAMP"])
                events.append(current)
                current = None
        elif current is not None:
            current[name] = value
    assert not stack
    uids = [event["UID"] for event in events]
    assert len(uids) == len(set(uids))
    return events


def test_escaping_and_folding():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("SUMMARY:" + "é" * 100)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts) and parts[1].startswith(" ")
    assert "".join([parts[0]] + [p[1:] for p in parts[1:]]) == "SUMMARY:" + "é" * 100


def test_calendar_of_meetings_conferences_and_deadlines(client, roles):
    from capacityhub.conferences.tests.factories import make_conference

    make_meeting(roles.org_x, title="Fifth coordination meeting, San José; 2009", series_number=5)
    make_meeting(roles.org_x, status=Status.DRAFT, title="Draft meeting")
    make_meeting(roles.org_x, title="Liaison Group", kind="liaison_group", is_online=True, city="")
    make_conference(title="Online conference on plans", start=-2, end=5)
    make_conference(title="Draft conference", status=Status.DRAFT)
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    make_record("opportunity", title="Course on risk assessment", application_deadline=deadline)
    make_record("opportunity", title="No deadline")
    response = client.get("/calendar.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = parse_ics(response.content.decode())
    summaries = [event["SUMMARY"] for event in events]
    assert "Fifth coordination meeting\\, San José\\; 2009" in summaries
    assert "Online conference: Online conference on plans" in summaries
    assert "Application deadline: Course on risk assessment" in summaries
    assert not any("Draft" in s or "No deadline" in s for s in summaries)
    fifth = next(e for e in events if e["SUMMARY"].startswith("Fifth"))
    assert (fifth["DTSTART;VALUE=DATE"], fifth["DTEND;VALUE=DATE"]) == (
        "20090309",
        "20090312",
    )  # end exclusive
    assert fifth["URL"].startswith("http://testserver/en/meetings/")
    deadline_event = next(e for e in events if e["SUMMARY"].startswith("Application"))
    assert deadline_event["DTSTART;VALUE=DATE"] == deadline.strftime("%Y%m%d")
    # One type, filtered as its list is; the lists' own feeds; another language.
    only = parse_ics(
        client.get("/calendar.ics", {"type": "meeting", "kind": "liaison_group"}).content.decode()
    )
    assert [e["SUMMARY"] for e in only] == ["Liaison Group"] and only[0]["LOCATION"] == "Online"
    listed = parse_ics(client.get("/en/meetings/calendar.ics", {"kind": "coordination"}).content.decode())
    assert [e["SUMMARY"] for e in listed] == ["Fifth coordination meeting\\, San José\\; 2009"]
    conferences = parse_ics(client.get("/en/conferences/calendar.ics").content.decode())
    assert [e["SUMMARY"] for e in conferences] == ["Online conference: Online conference on plans"]
    spanish = parse_ics(client.get("/calendar.ics", {"type": "deadline", "lang": "es"}).content.decode())
    assert spanish[0]["SUMMARY"].startswith("Plazo de solicitud")
    # Drafts appear in the feed of those who may see them.
    client.force_login(roles.publisher_x)
    assert "Draft meeting" in client.get("/calendar.ics", {"type": "meeting"}).content.decode()


def test_meetings_and_decisions_api(client, roles):
    meeting = make_meeting(
        roles.org_x, title="Fifth coordination meeting", series_number=5, country=roles.country_b
    )
    meeting.recommendations.create(number="1", text={"en": "Share plans."})
    decision = make_decision(roles.org_x, meeting=meeting)
    decision.recommendations.add(meeting.recommendations.get())
    make_meeting(roles.org_x, status=Status.DRAFT, title="Hidden", series_number=6)
    data = client.get("/api/meetings/").json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["title"] == {"en": "Fifth coordination meeting"} and row["country"] == "CO"
    assert row["recommendations"][0]["decisions"] == ["BS-VI/3"]
    assert client.get("/api/meetings/?kind=workshop").json()["count"] == 0
    detail = client.get("/api/decisions/{}/".format(decision.pk)).json()
    assert detail["symbol"] == "BS-VI/3" and detail["meeting"] == meeting.pk
    # Writes go through the gate and the services: an organization publisher drafts, then publishes.
    client.force_login(roles.publisher_x)
    response = client.post(
        "/api/meetings/",
        {
            "kind": "workshop",
            "title": {"en": "Regional workshop"},
            "start_date": "2010-05-03",
            "end_date": "2010-05-05",
            "is_online": True,
            "organizer": roles.org_x.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content.decode()
    created = response.json()
    assert created["status"] == "draft" and created["revision"] == 1
    published = client.post(
        "/api/meetings/{}/publish/".format(created["id"]), {}, content_type="application/json"
    )
    assert published.json()["status"] == "published"
    client.logout()
    assert client.post("/api/meetings/", {}, content_type="application/json").status_code in (401, 403)
