"""The outcome of a conference, compiled in one action into a background-paper draft: its objectives,
each topic's conclusion and key contributions (with their authors), and the participation statistics
(participants and posts by CBD regional group, country and stakeholder type). The draft is a frozen
snapshot (``Outcome.data``) shown as a page and written as a PDF (WeasyPrint) and a DOCX (python-docx),
then attached to the meeting the conference feeds, as a background paper."""

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from capacityhub.core.multilingual import current_language, resolve

from . import permissions, selectors
from .choices import EventAction, PostStatus, StakeholderType
from .markup import plain_paragraphs
from .models import Conference, Outcome, Post
from .services import log

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NOT_CLOSED = gettext_lazy("Compile the outcome once the conference is closed.")
MAX_KEY_CONTRIBUTIONS = 8


def _text(value, language, original):
    return resolve(value, language, original)[0]


def key_contributions(topic):
    """The posts a moderator marked as key contributions; if none, the pinned ones."""
    posts = (
        Post.objects.filter(topic=topic, status=PostStatus.PUBLISHED)
        .select_related("author", "participant__country", "participant__organization")
        .order_by("created_at", "pk")
    )
    marked = [p for p in posts if p.is_key] or [p for p in posts if p.is_pinned]
    return marked[:MAX_KEY_CONTRIBUTIONS]


def build_data(conference, *, actor=None, language=None, version=1):
    """The outcome's content, as JSON-ready data, in ``language`` (with the usual fallbacks)."""
    language = language or current_language()
    original = conference.original_language
    stakeholders = dict(StakeholderType.choices)
    topics = []
    for topic in conference.topics.order_by("number"):
        contributions = []
        for post in key_contributions(topic):
            participant = post.participant
            contributions.append(
                {
                    "post": post.pk,
                    "author": str(post.author),
                    "country": participant.country.name if participant else "",
                    "organization": participant.organization_display if participant else "",
                    "stakeholder": str(stakeholders.get(participant.stakeholder_type, ""))
                    if participant
                    else "",
                    "language": post.language,
                    "subject": post.subject,
                    "body": post.body,
                    "date": post.created_at.date().isoformat(),
                }
            )
        topics.append(
            {
                "number": topic.number,
                "title": _text(topic.title, language, original),
                "opens": topic.opens_on.isoformat(),
                "closes": topic.closes_on.isoformat(),
                "conclusion": _text(topic.conclusion, language, original),
                "posts": Post.objects.filter(topic=topic, status=PostStatus.PUBLISHED).count(),
                "key_contributions": contributions,
            }
        )
    meeting = conference.feeds_meeting
    return {
        "language": language,
        "version": version,
        "title": conference.display_title(language),
        "conference": conference.pk,
        "start": conference.start_date.isoformat(),
        "end": conference.end_date.isoformat(),
        "organizer": str(conference.organizer),
        "meeting": {"id": meeting.pk, "title": meeting.display_title(language)} if meeting else None,
        "introduction": _text(conference.introduction, language, original),
        "objectives": [
            {"number": o.number, "text": _text(o.text, language, original)}
            for o in conference.objectives.all()
        ],
        "topics": topics,
        "statistics": selectors.participation_statistics(conference),
        "compiled_at": timezone.now().isoformat(),
        "compiled_by": str(actor) if actor else "",
    }


def render_html(data, *, standalone=True):
    """The background paper as HTML (the PDF's source)."""
    return render_to_string("conferences/outcome_document.html", {"data": data, "standalone": standalone})


def render_pdf(data):
    import weasyprint

    return weasyprint.HTML(string=render_html(data)).write_pdf()


def render_docx(data):
    """The background paper as a DOCX, with the same sections and tables as the page."""
    import docx

    document = docx.Document()
    document.core_properties.title = data["title"]
    document.add_heading(data["title"], level=0)
    document.add_paragraph(
        _("Draft background paper compiled from the online conference held from {start} to {end}.").format(
            start=data["start"], end=data["end"]
        )
    )
    if data.get("meeting"):
        document.add_paragraph(_("Prepared for: {meeting}").format(meeting=data["meeting"]["title"]))
    document.add_heading(_("Objectives"), level=1)
    for objective in data["objectives"]:
        document.add_paragraph("{}. {}".format(objective["number"], objective["text"]), style="List Number")
    document.add_heading(_("Conclusions and key contributions by topic"), level=1)
    for topic in data["topics"]:
        document.add_heading("{}. {}".format(topic["number"], topic["title"]), level=2)
        document.add_paragraph(
            _("{posts} posts, from {opens} to {closes}.").format(
                posts=topic["posts"], opens=topic["opens"], closes=topic["closes"]
            )
        )
        document.add_heading(_("Conclusion"), level=3)
        for paragraph in plain_paragraphs(topic["conclusion"]) or [_("No conclusion was written.")]:
            document.add_paragraph(paragraph)
        document.add_heading(_("Key contributions"), level=3)
        if not topic["key_contributions"]:
            document.add_paragraph(_("No key contribution was marked."))
        for item in topic["key_contributions"]:
            author = ", ".join(
                part for part in (item["author"], item["organization"], item["country"]) if part
            )
            heading = document.add_paragraph()
            heading.add_run(author).bold = True
            heading.add_run(" ({}, {})".format(item["date"], item["language"]))
            for paragraph in plain_paragraphs(item["body"]):
                document.add_paragraph(paragraph, style="Quote")
    statistics = data["statistics"]
    document.add_heading(_("Participation"), level=1)
    document.add_paragraph(
        _("{participants} participants from {countries} countries wrote {posts} posts.").format(
            participants=statistics["participants"],
            countries=statistics["countries"],
            posts=statistics["posts"],
        )
    )
    for key, title in (
        ("by_region", _("By regional group")),
        ("by_country", _("By country")),
        ("by_stakeholder", _("By stakeholder type")),
    ):
        document.add_heading(title, level=2)
        rows = statistics[key]
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        header = table.rows[0].cells
        header[0].text, header[1].text, header[2].text = title, _("Participants"), _("Posts")
        for row in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = (
                str(row["label"]),
                str(row["participants"]),
                str(row["posts"]),
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def outcome_compile(*, conference, actor, today=None):
    """Compile the outcome of a closed conference (again, if it was compiled before: a new version), write
    its PDF and DOCX, and attach them to the meeting it feeds as a background paper."""
    conference = (
        Conference.objects.select_for_update(of=("self",))
        .select_related("feeds_meeting")
        .get(pk=conference.pk)
    )
    if not permissions.is_moderator(actor, conference):
        raise PermissionDenied(_("Only the conference's moderators may do this."))
    if not conference.is_archive(today):
        raise ValidationError(NOT_CLOSED)
    outcome = Outcome.objects.select_for_update().filter(conference=conference).first()
    version = outcome.version + 1 if outcome else 1
    language = current_language()
    with translation.override(language):
        data = build_data(conference, actor=actor, language=language, version=version)
        pdf, docx_bytes = render_pdf(data), render_docx(data)
    if outcome is None:
        outcome = Outcome(conference=conference)
    outcome.data, outcome.version = data, version
    outcome.compiled_at, outcome.compiled_by = timezone.now(), actor
    stem = "outcome-{}-v{}".format(slugify(data["title"])[:60] or conference.pk, version)
    for field, content in (("pdf", pdf), ("docx", docx_bytes)):
        old = getattr(outcome, field)
        if old:
            old.delete(save=False)
        getattr(outcome, field).save("{}.{}".format(stem, field), ContentFile(content), save=False)
    outcome.save()
    if conference.feeds_meeting_id:
        from capacityhub.meetings.choices import DocumentKind
        from capacityhub.meetings.services import document_generate

        title = {
            language: _("Outcome of the online conference: {title} (draft background paper)").format(
                title=data["title"]
            )
        }
        outcome.document = document_generate(
            meeting=conference.feeds_meeting,
            document=outcome.document,
            symbol="",
            title=title,
            kind=DocumentKind.BACKGROUND,
            files=[
                (language, stem + ".pdf", pdf, "application/pdf"),
                (language, stem + ".docx", docx_bytes, DOCX_TYPE),
            ],
            actor=actor,
        )
        outcome.save(update_fields=["document"])
    log(conference, actor, EventAction.OUTCOME_COMPILED, subject=data["title"], version=version)
    return outcome
