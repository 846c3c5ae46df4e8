"""Meetings and decisions through their pages, by role: visibility, the form (with the agenda), the
workflow, documents with a file per language, recommendations and their follow-up, decisions with their
paragraphs and links (to a record of the site or a web page), the Liaison Group; lists without N+1."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capacityhub.core import services as record_services
from capacityhub.core.choices import Status
from capacityhub.core.demo.pdf import tiny_pdf
from capacityhub.meetings.models import (
    Decision,
    LiaisonGroupMember,
    Link,
    Meeting,
    MeetingDocument,
    Recommendation,
)

pytestmark = pytest.mark.django_db


def make_meeting(organizer, status=Status.PUBLISHED, title="Coordination meeting", **fields):
    fields.setdefault("kind", "coordination")
    fields.setdefault("start_date", datetime.date(2009, 3, 9))
    fields.setdefault("end_date", datetime.date(2009, 3, 11))
    fields.setdefault("city", "San José")
    meeting = record_services.record_save(
        record=Meeting(title={"en": title}, organizer=organizer, **fields), actor=None
    )
    if status == Status.PUBLISHED:
        record_services.record_transition(record=meeting, action="publish", actor=None)
    meeting.refresh_from_db()
    return meeting


def make_decision(publisher, symbol="BS-VI/3", status=Status.PUBLISHED, **fields):
    decision = record_services.record_save(
        record=Decision(symbol=symbol, title={"en": "Capacity-building"}, publisher=publisher, **fields),
        actor=None,
    )
    if status == Status.PUBLISHED:
        record_services.record_transition(record=decision, action="publish", actor=None)
    decision.refresh_from_db()
    return decision


def _ml(name, text=""):
    return {"{}_en".format(name): text, "{}_es".format(name): "", "{}_fr".format(name): ""}


def _formset(prefix, rows=()):
    data = {
        "{}-TOTAL_FORMS".format(prefix): str(len(rows)),
        "{}-INITIAL_FORMS".format(prefix): "0",
        "{}-MIN_NUM_FORMS".format(prefix): "0",
        "{}-MAX_NUM_FORMS".format(prefix): "1000",
    }
    for i, row in enumerate(rows):
        data.update({"{}-{}-{}".format(prefix, i, k): v for k, v in row.items()})
    return data


def test_visibility_of_meetings(client, roles):
    public = make_meeting(roles.org_x, title="Public meeting alpha")
    draft = make_meeting(roles.org_x, status=Status.DRAFT, title="Draft meeting omega", series_number=9)
    for user, sees_draft in [
        (None, False),
        (roles.publisher_y, False),
        (roles.publisher_x, True),
        (roles.admin, True),
    ]:
        client.logout()
        if user:
            client.force_login(user)
        page = client.get("/en/meetings/").content.decode()
        assert "Public meeting alpha" in page and ("Draft meeting omega" in page) is sees_draft
        assert client.get(draft.get_absolute_url()).status_code == (200 if sees_draft else 404)
        assert client.get(public.get_absolute_url()).status_code == 200
    client.logout()
    assert "Public meeting alpha" in client.get("/en/meetings/", {"q": "alpha"}).content.decode()
    assert "Public meeting alpha" not in client.get("/en/meetings/", {"kind": "workshop"}).content.decode()


def test_create_a_meeting_with_its_agenda_then_publish(client, roles):
    data = {
        "original_language": "en",
        "kind": "coordination",
        "series_number": "6",
        **_ml("title", "Sixth coordination meeting"),
        **_ml("summary"),
        **_ml("report"),
        "start_date": "2010-02-01",
        "end_date": "2010-02-03",
        "city": "",
        "organizer": roles.org_x.pk,
        **_formset("agenda", [{"number": "1", **_ml("title", "Opening"), "position": "0"}]),
    }
    assert client.get("/en/meetings/add/").status_code == 302
    client.force_login(roles.registered)
    response = client.post("/en/meetings/add/", data)
    assert response.status_code == 400 and "tick" in response.content.decode()  # a place or online
    data.update(city="Cartagena", country=roles.country_b.pk, end_date="2010-01-01")
    response = client.post("/en/meetings/add/", data)
    assert response.status_code == 400 and "cannot end before it starts" in response.content.decode()
    data["end_date"] = "2010-02-03"
    response = client.post("/en/meetings/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get()
    assert meeting.status == Status.DRAFT and meeting.agenda_items.get().number == "1"
    client.post("/en/meetings/{}/submit/".format(meeting.pk))
    client.force_login(roles.publisher_y)  # another organization's publisher
    client.post("/en/meetings/{}/publish/".format(meeting.pk))
    meeting.refresh_from_db()
    assert meeting.status == Status.SUBMITTED
    client.force_login(roles.publisher_x)
    client.post("/en/meetings/{}/publish/".format(meeting.pk))
    meeting.refresh_from_db()
    assert meeting.status == Status.PUBLISHED
    # The same series number twice is refused with a message.
    data["start_date"], data["end_date"] = "2011-01-01", "2011-01-02"
    data["agenda-TOTAL_FORMS"] = "0"
    response = client.post("/en/meetings/add/", data)
    assert (
        response.status_code == 400
        and "Another meeting of this kind has this number" in response.content.decode()
    )


def test_documents_with_a_file_per_language(client, roles):
    meeting = make_meeting(roles.org_x)
    url = "/en/meetings/{}/documents/add/".format(meeting.pk)
    client.force_login(roles.publisher_y)
    assert client.get(url).status_code == 403
    client.force_login(roles.publisher_x)
    pdf = SimpleUploadedFile("report.pdf", tiny_pdf("Report"), content_type="application/pdf")
    data = {
        "symbol": "UNEP/CBD/BS/COP-MOP/2/INF/10",
        **_ml("title", "Report"),
        "kind": "report",
        "position": 0,
    }
    response = client.post(url, {**data, "language": "en", "upload": pdf})
    assert response.status_code == 302, response.content.decode()[:2000]
    document = MeetingDocument.objects.get()
    assert document.files.get().language == "en"
    french = SimpleUploadedFile("rapport.pdf", tiny_pdf("Rapport"), content_type="application/pdf")
    client.post("/en/meetings/documents/{}/files/".format(document.pk), {"language": "fr", "file": french})
    assert sorted(document.files.values_list("language", flat=True)) == ["en", "fr"]
    bad = SimpleUploadedFile("notes.txt", b"plain text", content_type="text/plain")
    client.post("/en/meetings/documents/{}/files/".format(document.pk), {"language": "es", "file": bad})
    assert document.files.count() == 2
    response = client.post(url, {**data, "language": "en"})
    assert response.status_code == 400 and "Another document has this symbol" in response.content.decode()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "UNEP/CBD/BS/COP-MOP/2/INF/10" in page and "FR · PDF" in page
    client.logout()
    file_url = "/en/meetings/files/{}/".format(document.files.get(language="fr").pk)
    response = client.get(file_url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    meeting.refresh_from_db()
    assert meeting.revision >= 3  # the additions are in the meeting's history


def test_recommendations_follow_up_and_what_acted_on_them(client, roles):
    meeting = make_meeting(roles.org_x)
    client.force_login(roles.publisher_x)
    response = client.post(
        "/en/meetings/{}/recommendations/add/".format(meeting.pk),
        {
            "number": "1",
            **_ml("text", "Share plans."),
            "follow_up_status": "pending",
            **_ml("follow_up_note"),
        },
    )
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    response = client.post(
        "/en/meetings/recommendations/{}/edit/".format(recommendation.pk),
        {
            "number": "1",
            **_ml("text", "Share plans."),
            "follow_up_status": "acted_on",
            **_ml("follow_up_note", "Done by the Secretariat."),
            "position": 0,
        },
    )
    assert response.status_code == 302
    decision = make_decision(roles.org_x)
    decision.recommendations.add(recommendation)
    other = make_meeting(roles.org_x, title="Workshop that acted", kind="workshop")
    client.post(
        "/en/links/recommendation/{}/add/".format(recommendation.pk),
        {
            "relation": "acted_on",
            "address": "http://testserver" + other.get_absolute_url(),
            "label": "",
            "note": "",
        },
    )
    link = Link.objects.get()
    assert link.target == other and link.source == recommendation
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Acted on" in page and "Done by the Secretariat." in page and "BS-VI/3" in page


def test_decisions_with_paragraphs_and_links(client, roles):
    cop = make_meeting(roles.org_x, title="Sixth meeting of the Parties", kind="cop_mop", series_number=6)
    considered = make_meeting(roles.org_x, title="Liaison Group meeting", kind="liaison_group")
    client.force_login(roles.publisher_x)
    data = {
        "original_language": "en",
        "symbol": " BS-VI/3 ",
        **_ml("title", "Capacity-building"),
        "publisher": roles.org_x.pk,
        "meeting": cop.pk,
        "adopted_on": "2012-10-05",
        **_ml("summary"),
        "considered_meetings": [considered.pk],
        **_formset("paragraphs", [{"number": "1", **_ml("text", "Demo summary."), "position": 0}]),
    }
    response = client.post("/en/decisions/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    decision = Decision.objects.get()
    assert decision.symbol == "BS-VI/3" and decision.paragraphs.get().number == "1"
    client.post("/en/decisions/{}/publish/".format(decision.pk))
    link_url = "/en/links/decision/{}/add/".format(decision.pk)
    draft = make_meeting(roles.org_x, status=Status.DRAFT, title="A draft target", kind="workshop")
    client.post(link_url, {"relation": "related", "address": draft.get_absolute_url()})
    client.post(
        link_url, {"relation": "adopted", "address": "https://example.org/plan-2012-2020", "label": "Plan"}
    )
    response = client.post(link_url, {"relation": "adopted", "address": "/en/no-such-page/"})
    assert Link.objects.count() == 2
    client.logout()
    page = client.get(decision.get_absolute_url()).content.decode()
    assert (
        "Demo summary." in page and "Sixth meeting of the Parties" in page and "Liaison Group meeting" in page
    )
    assert "https://example.org/plan-2012-2020" in page and "A draft target" not in page  # drafts stay hidden
    assert "BS-VI/3" in client.get(cop.get_absolute_url()).content.decode()
    client.force_login(roles.publisher_y)
    assert (
        client.post(link_url, {"relation": "related", "address": "https://example.org/"}).status_code == 403
    )


def test_liaison_group(client, roles):
    make_meeting(roles.org_x, title="Liaison Group meeting one", kind="liaison_group")
    member = LiaisonGroupMember.objects.create(
        name="Member One", organization=roles.org_x, term_start=datetime.date(2011, 1, 1)
    )
    LiaisonGroupMember.objects.create(
        name="Former Member", term_start=datetime.date(2005, 1, 1), term_end=datetime.date(2008, 1, 1)
    )
    page = client.get("/en/liaison-group/").content.decode()
    assert "Member One" in page and "Former Member" in page and "Liaison Group meeting one" in page
    client.force_login(roles.publisher_x)
    assert client.get("/en/liaison-group/members/add/").status_code == 403
    client.force_login(roles.admin)
    response = client.post(
        "/en/liaison-group/members/{}/edit/".format(member.pk),
        {"name": "Member One", "role": "chair", "term_start": "2011-01-01", "term_end": "2010-01-01"},
    )
    assert response.status_code == 400 and "cannot end before it starts" in response.content.decode()


def test_lists_do_not_grow_in_queries(client, roles):
    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        make_meeting(roles.org_x, title="Meeting {}".format(n))
        make_decision(roles.org_x, symbol="BS-I/{}".format(n))
    small = (count("/en/meetings/"), count("/en/decisions/"))
    for n in range(2, 8):
        make_meeting(roles.org_x, title="Meeting {}".format(n))
        make_decision(roles.org_x, symbol="BS-I/{}".format(n))
    assert (count("/en/meetings/"), count("/en/decisions/")) == small
    assert count(Meeting.objects.first().get_absolute_url()) <= 30
