"""Coordination and Liaison Group meetings, their documents and recommendations, the decisions of the
governing body, the members of the Liaison Group, and generic links between any two records (a decision
adopting a plan, an initiative acting on a recommendation) so the history of the mechanism can be navigated.

Meetings and decisions are records (``core.models.Record``): draft → submitted → published, revisions and
versions. They are organization records: a meeting belongs to its organizer, a decision to the
Secretariat that publishes it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from capacityhub.core.choices import Scope
from capacityhub.core.models import Record
from capacityhub.core.multilingual import MultilingualField, resolve
from capacityhub.reference.models import Country, Organization

from .choices import DocumentKind, FollowUpStatus, LiaisonRole, LinkRelation, MeetingKind


def _names(objects):
    return [(None, str(obj)) for obj in objects if obj is not None]


class Meeting(Record):
    """A coordination meeting, a Liaison Group meeting, a workshop or a session of the governing body."""

    scope_kind = Scope.ORGANIZATION
    scope_field = "organizer"

    kind = models.CharField(_("kind of meeting"), max_length=20, choices=MeetingKind.choices, db_index=True)
    series_number = models.PositiveSmallIntegerField(
        _("number in its series"),
        null=True,
        blank=True,
        help_text=_("5 for the fifth coordination meeting; empty for a one-off workshop."),
    )
    title = MultilingualField(_("title"), max_length=300)
    summary = MultilingualField(_("summary"), blank=True, textarea=True, help_text=_("Markdown."))
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(_("end date"))
    is_online = models.BooleanField(_("online"), default=False)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    organizer = models.ForeignKey(
        Organization,
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="organized_meetings",
        help_text=_("The organization that convenes the meeting and publishes its record."),
    )
    participant_organizations = models.ManyToManyField(
        Organization, verbose_name=_("participating organizations"), blank=True, related_name="meetings"
    )
    participant_countries = models.ManyToManyField(
        Country, verbose_name=_("participating countries"), blank=True, related_name="meetings_attended"
    )
    participant_count = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)
    report = MultilingualField(
        _("report"), blank=True, textarea=True, help_text=_("The report of the meeting or its summary.")
    )
    website = models.URLField(_("web page"), blank=True, max_length=500)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="meetings_meeting_dates_in_order",
                violation_error_message=_("The meeting cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["kind", "series_number"],
                condition=Q(series_number__isnull=False),
                name="meetings_meeting_unique_series_number",
                violation_error_message=_("Another meeting of this kind has this number."),
            ),
        ]

    @property
    def place(self):
        if self.is_online:
            return str(_("Online"))
        return ", ".join(part for part in (self.city, str(self.country or "")) if part)

    def search_texts(self):
        texts = super().search_texts()
        texts += _names([self.organizer, self.country]) + [(None, t) for t in (self.venue, self.city) if t]
        return texts

    def snapshot_related(self):
        """Agenda, documents and recommendations belong to the meeting's versions."""
        if not self.pk:
            return {}
        return {
            "agenda": [[a.number, a.title] for a in self.agenda_items.all()],
            "documents": [[d.symbol, d.title, d.kind] for d in self.documents.all()],
            "recommendations": [[r.number, r.text, r.follow_up_status] for r in self.recommendations.all()],
        }


class AgendaItem(models.Model):
    """An item of a meeting's agenda."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    number = models.CharField(_("item"), max_length=12, help_text=_("For example 3 or 3.1."))
    title = MultilingualField(_("title"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return "{}. {}".format(self.number, resolve(self.title)[0])


class MeetingDocument(models.Model):
    """A document of a meeting, with its official symbol, in one or more languages."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents"
    )
    symbol = models.CharField(
        _("official symbol"),
        max_length=80,
        blank=True,
        help_text=_("For example UNEP/CBD/BS/COP-MOP/2/INF/10."),
    )
    title = MultilingualField(_("title"), max_length=400)
    kind = models.CharField(
        _("kind of document"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.WORKING
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting", "position", "symbol", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["symbol"],
                condition=~Q(symbol=""),
                name="meetings_document_unique_symbol",
                violation_error_message=_("Another document has this symbol."),
            )
        ]

    def __str__(self):
        title = resolve(self.title)[0]
        return "{} — {}".format(self.symbol, title) if self.symbol else title

    def get_absolute_url(self):
        return "{}#document-{}".format(self.meeting.get_absolute_url(), self.pk)


def document_file_path(instance, filename):
    return "meetings/{}/{}/{}".format(instance.document_id, instance.language, filename)


class DocumentFile(models.Model):
    """One file of a meeting document, in one language and format; served through a permission check."""

    document = models.ForeignKey(
        MeetingDocument, verbose_name=_("document"), on_delete=models.CASCADE, related_name="files"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.CONTENT_LANGUAGES)
    file = models.FileField(_("file"), upload_to=document_file_path, max_length=300)
    content_type = models.CharField(_("content type"), max_length=120, editable=False)
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["document", "language", "content_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language", "content_type"],
                name="meetings_documentfile_one_per_language_and_format",
                violation_error_message=_("This document has a file in this language and format already."),
            )
        ]

    def __str__(self):
        return "{} ({})".format(self.filename, self.language)

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def format_label(self):
        return self.filename.rsplit(".", 1)[-1].upper() if "." in self.filename else ""


class Recommendation(models.Model):
    """A recommendation of a meeting, with the state of its follow-up."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.CharField(_("number"), max_length=12)
    text = MultilingualField(_("text"), textarea=True)
    follow_up_status = models.CharField(
        _("follow-up"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.PENDING
    )
    follow_up_note = MultilingualField(
        _("follow-up note"), blank=True, textarea=True, help_text=_("What was done, by whom, when.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="meetings_recommendation_unique_number",
                violation_error_message=_("The meeting has another recommendation with this number."),
            )
        ]

    def __str__(self):
        return "{} — {} {}".format(self.meeting, _("recommendation"), self.number)

    def get_absolute_url(self):
        return "{}#recommendation-{}".format(self.meeting.get_absolute_url(), self.pk)


class Decision(Record):
    """A decision of the governing body (COP-MOP), such as BS-VI/3, with its paragraphs and what it links:
    the session that adopted it, the meetings and documents it considered, the recommendations it took up
    and (through :class:`Link`) the plans it adopted."""

    scope_kind = Scope.ORGANIZATION
    scope_field = "publisher"

    symbol = models.CharField(_("symbol"), max_length=40, unique=True, help_text=_("For example BS-VI/3."))
    title = MultilingualField(_("title"), max_length=300)
    publisher = models.ForeignKey(
        Organization,
        verbose_name=_("publishing organization"),
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text=_("Usually the Secretariat."),
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("adopted at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions_adopted",
        help_text=_("The session of the governing body that adopted the decision."),
    )
    adopted_on = models.DateField(_("date of adoption"), null=True, blank=True, db_index=True)
    summary = MultilingualField(_("summary"), blank=True, textarea=True, help_text=_("Markdown."))
    official_url = models.URLField(_("official text"), blank=True, max_length=500)
    considered_meetings = models.ManyToManyField(
        Meeting,
        verbose_name=_("meetings considered"),
        blank=True,
        related_name="decisions",
        help_text=_("Coordination and Liaison Group meetings whose reports the decision considered."),
    )
    considered_documents = models.ManyToManyField(
        MeetingDocument, verbose_name=_("documents considered"), blank=True, related_name="decisions"
    )
    recommendations = models.ManyToManyField(
        Recommendation, verbose_name=_("recommendations taken up"), blank=True, related_name="decisions"
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-adopted_on", "symbol"]

    def display_title(self, language=None):
        title = super().display_title(language)
        return "{} {}".format(self.symbol, title) if self.symbol else title

    def search_texts(self):
        return super().search_texts() + [(None, self.symbol)]

    def snapshot_related(self):
        if not self.pk:
            return {}
        return {"paragraphs": [[p.number, p.text] for p in self.paragraphs.all()]}


class DecisionParagraph(models.Model):
    """A paragraph of a decision (or, for demonstration data, a summary of it)."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="paragraphs"
    )
    number = models.CharField(_("paragraph"), max_length=12)
    text = MultilingualField(_("text"), textarea=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        ordering = ["decision", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "number"],
                name="meetings_paragraph_unique_number",
                violation_error_message=_("The decision has another paragraph with this number."),
            )
        ]

    def __str__(self):
        return "{} {}".format(self.decision.symbol, self.number)


class LiaisonGroupMember(models.Model):
    """A member of the Liaison Group on capacity-building for biosafety, for a term."""

    name = models.CharField(_("name"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaison_group_terms",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="liaison_group_members",
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="liaison_group_members",
        help_text=_("For members nominated by a government."),
    )
    role = models.CharField(_("role"), max_length=12, choices=LiaisonRole.choices, default=LiaisonRole.MEMBER)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False, editable=False)

    class Meta:
        verbose_name = _("Liaison Group member")
        verbose_name_plural = _("Liaison Group members")
        ordering = ["-term_start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="meetings_liaisonmember_term_in_order",
                violation_error_message=_("A term cannot end before it starts."),
            )
        ]

    def __str__(self):
        return self.name


class Link(models.Model):
    """“<source> <relation> <target>”: a decision adopted a plan, an initiative acted on a recommendation.

    Either end may be any record (generic relation), so links to plans need no dependency on their app;
    a target outside the platform is a web address."""

    source_type = models.ForeignKey(
        ContentType, verbose_name=_("source type"), on_delete=models.CASCADE, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(_("source id"))
    source = GenericForeignKey("source_type", "source_id")
    relation = models.CharField(_("relation"), max_length=16, choices=LinkRelation.choices)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("target type"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    target_id = models.PositiveBigIntegerField(_("target id"), null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    url = models.URLField(_("web address"), blank=True, max_length=500)
    label = models.CharField(_("label"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["source_type", "source_id", "relation", "pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="meetings_link_target")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target_type__isnull=False, target_id__isnull=False) & Q(url=""))
                | (Q(target_type__isnull=True, target_id__isnull=True) & ~Q(url="")),
                name="meetings_link_record_or_address",
                violation_error_message=_("A link points to a record or to a web address, not both."),
            ),
            models.UniqueConstraint(
                fields=["source_type", "source_id", "relation", "target_type", "target_id"],
                name="meetings_link_unique",
                violation_error_message=_("This link exists already."),
            ),
        ]

    def __str__(self):
        return "{} {} {}".format(self.source, self.get_relation_display(), self.target or self.url)

    def target_label(self):
        if self.label:
            return self.label
        target = self.target
        if target is None:
            return self.url
        return target.display_title() if hasattr(target, "display_title") else str(target)

    def target_url(self):
        if self.url:
            return self.url
        target = self.target
        return target.get_absolute_url() if target is not None and hasattr(target, "get_absolute_url") else ""
