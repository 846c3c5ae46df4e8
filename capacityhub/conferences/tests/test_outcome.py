"""The compiled outcome: its sections (objectives, each topic's conclusion and key contributions with their
authors, participation) and its figures (participants and posts by regional group, country and stakeholder
type), the same on the page, in the PDF and in the DOCX; attached to the meeting the conference feeds."""

import io

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from capacityhub.conferences import outcome, selectors, services
from capacityhub.conferences.choices import PostStatus, StakeholderType
from capacityhub.conferences.models import Objective, Post
from capacityhub.core import services as record_services
from capacityhub.core.choices import Status
from capacityhub.meetings.models import Meeting

from .factories import days, make_conference, make_topic, moderator_user, participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_conference(roles):
    meeting = record_services.record_save(
        record=Meeting(
            kind="coordination",
            title={"en": "Fifth coordination meeting"},
            start_date=days(20),
            end_date=days(22),
            city="San José",
            organizer=roles.org_x,
            status=Status.PUBLISHED,
        ),
        actor=None,
    )
    moderator = moderator_user()
    conference = make_conference(moderator=moderator, premoderated_posts=0, feeds_meeting=meeting)
    Objective.objects.create(conference=conference, number=1, text={"en": "Take stock of the plans."})
    Objective.objects.create(conference=conference, number=2, text={"en": "Share good practices."})
    t1 = make_topic(conference, 1, "Where do we stand?")
    t2 = make_topic(conference, 2, "Good practices")
    kenya = participant(conference, iso2="KE", stakeholder=StakeholderType.GOVERNMENT)
    senegal = participant(conference, iso2="SN", stakeholder=StakeholderType.ACADEMIA)
    colombia = participant(conference, iso2="CO", stakeholder=StakeholderType.GOVERNMENT)
    norway = participant(conference, iso2="NO", stakeholder=StakeholderType.DONOR)
    participant(conference, iso2="VN", stakeholder=StakeholderType.NGO, approved=False)  # not counted

    def post(topic, who, body, language="en", **flags):
        return Post.objects.create(
            topic=topic, author=who.user, participant=who, body=body, language=language, **flags
        )

    key = post(t1, kenya, "Biosafety sits in the **environment chapter**.", is_key=True)
    post(t1, senegal, "Même constat chez nous.", "fr", parent=key)
    post(t1, senegal, "Un autre message.", "fr")
    post(t1, colombia, "En nuestro caso, en la estrategia agrícola.", "es", is_key=True)
    post(t2, norway, "Funding follows national priorities.", is_pinned=True)
    post(t2, kenya, "Hidden text", status=PostStatus.HIDDEN, hidden_reason="Off topic")
    post(t2, colombia, "Pending text", "es", status=PostStatus.PENDING)
    Post.objects.create(topic=t2, author=moderator, body="Moderator summary", language="en")
    services.topic_conclude(topic=t1, actor=moderator, conclusion={"en": "Plans rarely budget biosafety."})
    return conference, moderator, meeting


def test_compiling_is_for_moderators_of_a_closed_conference(closed_conference, roles):
    conference, moderator, _meeting = closed_conference
    with pytest.raises(ValidationError, match="once the conference is closed"):
        outcome.outcome_compile(conference=conference, actor=moderator)
    services.conference_close(conference=conference, actor=moderator)
    with pytest.raises(PermissionDenied):
        outcome.outcome_compile(conference=conference, actor=roles.registered)
    assert outcome.outcome_compile(conference=conference, actor=moderator).version == 1
    # A conference whose window has passed is closed too.
    ended = make_conference(start=-20, end=-1, moderator=moderator)
    assert outcome.outcome_compile(conference=ended, actor=moderator).data["statistics"]["participants"] == 0


def test_statistics_by_region_country_and_stakeholder(closed_conference):
    conference, _moderator, _meeting = closed_conference
    stats = selectors.participation_statistics(conference)
    assert (stats["participants"], stats["posts"], stats["countries"]) == (4, 6, 4)
    assert stats["posts_by_moderators"] == 1 and stats["posts_by_participants"] == 5
    by_region = {row["key"]: (row["participants"], row["posts"]) for row in stats["by_region"]}
    assert by_region == {"cbd-africa": (2, 3), "cbd-grulac": (1, 1), "cbd-weog": (1, 1)}
    assert stats["by_region"][0]["label"] == "African Group"
    by_country = {row["key"]: (row["participants"], row["posts"]) for row in stats["by_country"]}
    assert by_country == {"KE": (1, 1), "SN": (1, 2), "CO": (1, 1), "NO": (1, 1)}
    by_type = {row["key"]: (row["participants"], row["posts"]) for row in stats["by_stakeholder"]}
    assert by_type == {"government": (2, 2), "academia": (1, 2), "donor": (1, 1)}
    assert {row["key"]: row["posts"] for row in stats["by_language"]} == {"en": 3, "fr": 2, "es": 1}


def test_outcome_sections_on_the_page_in_the_pdf_and_the_docx(closed_conference, client):
    conference, moderator, meeting = closed_conference
    services.conference_close(conference=conference, actor=moderator)
    result = outcome.outcome_compile(conference=conference, actor=moderator)
    data = result.data
    assert [o["text"] for o in data["objectives"]] == ["Take stock of the plans.", "Share good practices."]
    first, second = data["topics"]
    assert first["conclusion"] == "Plans rarely budget biosafety." and first["posts"] == 4
    assert [(c["country"], c["language"]) for c in first["key_contributions"]] == [
        ("Kenya", "en"),
        ("Colombia", "es"),
    ]
    assert first["key_contributions"][0]["author"] == str(
        conference.participants.get(country__iso2="KE").user
    )
    # No post marked in topic 2: its pinned post is the key contribution; hidden and pending never are.
    assert [c["body"] for c in second["key_contributions"]] == ["Funding follows national priorities."]
    assert second["conclusion"] == ""

    page = client.get(result.get_absolute_url()).content.decode()
    for text in (
        "Take stock of the plans.",
        "Plans rarely budget biosafety.",
        "African Group",
        "No conclusion",
    ):
        assert text in page
    assert "<strong>environment chapter</strong>" in page
    assert "Hidden text" not in page and "Pending text" not in page

    pdf = result.pdf.read()
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
    document = docx.Document(io.BytesIO(result.docx.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    for expected in (
        "Take stock of the plans.",
        "Plans rarely budget biosafety.",
        "Funding follows national",
    ):
        assert expected in text
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    assert ["African Group", "2", "3"] in tables[0]
    assert ["Senegal", "1", "2"] in tables[1]
    assert ["Government", "2", "2"] in tables[2]

    # Attached to the meeting, as a background paper in PDF and DOCX; compiling again replaces it.
    document_row = meeting.documents.get()
    assert document_row.kind == "background" and document_row.conference_outcome == result
    assert sorted(document_row.files.values_list("content_type", flat=True)) == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]
    again = outcome.outcome_compile(conference=conference, actor=moderator)
    assert (
        again.version == 2 and meeting.documents.count() == 1 and meeting.documents.get().files.count() == 2
    )
    meeting.refresh_from_db()
    assert meeting.revision >= 3  # each compilation is in the meeting's history


def test_outcome_in_spanish(closed_conference, client):
    from django.utils import translation

    conference, moderator, _meeting = closed_conference
    conference.title["es"] = "La bioseguridad en los planes"
    conference.save()
    services.conference_close(conference=conference, actor=moderator)
    with translation.override("es"):
        result = outcome.outcome_compile(conference=conference, actor=moderator)
    assert result.data["language"] == "es" and result.data["title"] == "La bioseguridad en los planes"
    assert result.data["statistics"]["by_region"][0]["label"] == "Grupo de África"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(result.docx.read())).paragraphs)
    assert "Objetivos" in text or "Objectives" in text
