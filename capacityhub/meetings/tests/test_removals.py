"""Removing a meeting document or an agenda item (with confirmation, by those who may edit the meeting,
kept in the meeting's history); a paragraph number used twice in a decision is an error next to the row,
not an error page."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from capacityhub.core.choices import Status
from capacityhub.core.demo.pdf import tiny_pdf
from capacityhub.core.models import Version
from capacityhub.core.testing.factories import make_record
from capacityhub.meetings import services
from capacityhub.meetings.models import AgendaItem, DecisionParagraph, DocumentFile, MeetingDocument

pytestmark = pytest.mark.django_db


def history(meeting):
    return list(
        Version.objects.filter(content_type=ContentType.objects.get_for_model(meeting), object_id=meeting.pk)
        .order_by("number")
        .values_list("comment", flat=True)
    )


def add_document(meeting, actor, symbol="UNEP/CBD/BS/CM-CB/5/2"):
    pdf = SimpleUploadedFile("report.pdf", tiny_pdf("Report"), content_type="application/pdf")
    from capacityhub.core.uploads import validate_upload

    checked = validate_upload(pdf, allowed=("pdf",))
    document = MeetingDocument(meeting=meeting, symbol=symbol, title={"en": "Report"}, kind="report")
    return services.document_save(document=document, actor=actor, upload=pdf, language="en", checked=checked)


def test_remove_a_document_and_an_agenda_item(client, roles, django_capture_on_commit_callbacks):
    meeting = make_record("meeting", organization=roles.org_x, title="Fifth coordination meeting")
    item = meeting.agenda_items.get()
    document = add_document(meeting, roles.publisher_x)
    document.agenda_item = item
    document.save()
    stored = document.files.get().file
    storage, name = stored.storage, stored.name
    urls = {
        "document": "/en/meetings/documents/{}/remove/".format(document.pk),
        "agenda_item": "/en/meetings/agenda/{}/remove/".format(item.pk),
    }
    for url in urls.values():
        assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(roles.publisher_y)
    for url in urls.values():
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    client.force_login(roles.publisher_x)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert urls["document"] in page and urls["agenda_item"] in page
    confirm = client.get(urls["agenda_item"])
    assert confirm.status_code == 200 and "Remove this agenda item?" in confirm.content.decode()
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    assert client.post(urls["agenda_item"]).status_code == 302
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    document.refresh_from_db()
    assert document.agenda_item is None  # the document stays
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(urls["document"]).status_code == 302
    assert not MeetingDocument.objects.filter(pk=document.pk).exists()
    assert not DocumentFile.objects.filter(document_id=document.pk).exists()
    assert not storage.exists(name)
    comments = history(meeting)
    assert comments[-2:] == [
        "Agenda item removed: 1. Opening of the meeting",
        "Document removed: UNEP/CBD/BS/CM-CB/5/2 — Report",
    ]
    # Earlier versions keep the document and the agenda item.
    snapshots = Version.objects.filter(
        content_type=ContentType.objects.get_for_model(meeting), object_id=meeting.pk
    ).order_by("number")
    assert any("UNEP/CBD/BS/CM-CB/5/2" in str(v.data) for v in snapshots)


def test_a_document_considered_by_a_decision_is_not_removed(client, roles):
    meeting = make_record("meeting", organization=roles.org_x)
    document = add_document(meeting, roles.publisher_x, symbol="UNEP/CBD/BS/LG-CB/4/3")
    decision = make_record("decision", organization=roles.org_x, symbol="BS-T/99")
    decision.considered_documents.add(document)
    client.force_login(roles.publisher_x)
    response = client.post("/en/meetings/documents/{}/remove/".format(document.pk))
    assert response.status_code == 400
    assert "Decisions consider this document (BS-T/99)" in response.content.decode()
    assert MeetingDocument.objects.filter(pk=document.pk).exists()


def test_a_paragraph_number_used_twice_is_an_error_next_to_the_row(client, roles):
    decision = make_record(
        "decision", organization=roles.org_x, title="Capacity-building", status=Status.DRAFT
    )
    client.force_login(roles.publisher_x)
    data = {
        "original_language": "en",
        "base_revision": decision.revision,
        "symbol": decision.symbol,
        "title_en": "Capacity-building",
        "title_es": "",
        "title_fr": "",
        "summary_en": "",
        "summary_es": "",
        "summary_fr": "",
        "publisher": roles.org_x.pk,
        "meeting": "",
        "adopted_on": "2025-06-01",
        "official_url": "",
        "paragraphs-TOTAL_FORMS": "1",
        "paragraphs-INITIAL_FORMS": "0",
        "paragraphs-MIN_NUM_FORMS": "0",
        "paragraphs-MAX_NUM_FORMS": "1000",
        "paragraphs-0-number": "1",  # the decision has a paragraph 1 already
        "paragraphs-0-text_en": "Another first paragraph",
        "paragraphs-0-position": "",
    }
    response = client.post("/en/decisions/{}/edit/".format(decision.pk), data)
    assert response.status_code == 400
    assert "The decision has another paragraph with this number." in response.content.decode()
    assert DecisionParagraph.objects.filter(decision=decision).count() == 1
    data["paragraphs-0-number"] = "2"
    assert client.post("/en/decisions/{}/edit/".format(decision.pk), data).status_code == 302
    assert DecisionParagraph.objects.filter(decision=decision).count() == 2
