"""Online conferences: introduction, numbered objectives, topics with their own dates and background
documents, moderators, registered participants (approved by a moderator), threaded posts with their edit
history, attachments and flags, a moderation log, and the compiled outcome.

A conference is a record (``core.models.Record``: draft → published, revisions, versions) belonging to its
organizing organization. Its participation window runs from ``start_date`` to ``end_date`` inclusive (in the
site's time zone); a topic may have a narrower window inside it. After the window, or once a moderator has
closed it, the conference is a read-only archive."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacityhub.accounts.choices import Role
from capacityhub.core.choices import Scope
from capacityhub.core.models import Record
from capacityhub.core.multilingual import MultilingualField, resolve
from capacityhub.reference.models import Country, Organization

from .choices import ConferencePhase, EventAction, ParticipantStatus, PostStatus, StakeholderType


class Conference(Record):
    """An online conference, such as “Capacity-building for integration of biosafety into national
    development plans” (19 January to 6 February 2009)."""

    scope_kind = Scope.ORGANIZATION
    scope_field = "organizer"
    #: Besides the Secretariat, only holders of this role create conferences — through the pages, the API
    #: and imports alike (``core.permissions.can(user, ADD, model=Conference)``).
    add_role = Role.MODERATOR

    title = MultilingualField(_("title"), max_length=300)
    introduction = MultilingualField(_("introduction"), blank=True, textarea=True, help_text=_("Markdown."))
    start_date = models.DateField(_("opens on"), help_text=_("First day participants may post."))
    end_date = models.DateField(_("closes on"), help_text=_("Last day participants may post."))
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Languages participants may write in.")
    )
    organizer = models.ForeignKey(
        Organization, verbose_name=_("organizer"), on_delete=models.PROTECT, related_name="conferences"
    )
    feeds_meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("feeds the meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conferences",
        help_text=_("The meeting whose background paper the outcome becomes."),
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    premoderated_posts = models.PositiveSmallIntegerField(
        _("posts checked before publication"),
        default=2,
        help_text=_("A new participant's first posts wait for a moderator's approval (0: none)."),
    )
    posts_public = models.BooleanField(
        _("discussions public"),
        default=True,
        help_text=_("Anyone may read the posts; otherwise only participants and moderators."),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("online conference")
        verbose_name_plural = _("online conferences")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="conferences_conference_window_in_order",
                violation_error_message=_("The conference cannot close before it opens."),
            )
        ]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("conferences:conference", kwargs={"pk": self.pk})

    def phase(self, today=None):
        today = today or timezone.localdate()
        if self.closed_at or today > self.end_date:
            return ConferencePhase.ARCHIVED
        if today < self.start_date:
            return ConferencePhase.UPCOMING
        return ConferencePhase.OPEN

    def is_archive(self, today=None):
        return self.phase(today) == ConferencePhase.ARCHIVED

    def get_phase_display(self):
        return ConferencePhase(self.phase()).label

    def search_texts(self):
        return super().search_texts() + [(None, str(self.organizer))]


class Objective(models.Model):
    """A numbered objective of a conference."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="objectives"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = MultilingualField(_("objective"), textarea=True)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["conference", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "number"],
                name="conferences_objective_unique_number",
                violation_error_message=_("The conference has another objective with this number."),
            )
        ]

    def __str__(self):
        return "{}. {}".format(self.number, resolve(self.text)[0])


class ConferenceModerator(models.Model):
    """A user who moderates one conference (users with the “conference moderator” role may be appointed)."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="moderators"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.CASCADE,
        related_name="moderated_conferences",
    )
    created_at = models.DateTimeField(_("appointed"), auto_now_add=True)

    class Meta:
        verbose_name = _("conference moderator")
        verbose_name_plural = _("conference moderators")
        ordering = ["conference", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "user"],
                name="conferences_moderator_unique",
                violation_error_message=_("This user moderates the conference already."),
            )
        ]

    def __str__(self):
        return "{} — {}".format(self.conference, self.user)


class Topic(models.Model):
    """A topic or session of the agenda, with its own dates inside the conference's window, its thread of
    posts and, at the end, a moderator's conclusion."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="topics"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = MultilingualField(_("title"), max_length=300)
    description = MultilingualField(_("description"), blank=True, textarea=True, help_text=_("Markdown."))
    start_date = models.DateField(
        _("opens on"), null=True, blank=True, help_text=_("Empty: when the conference opens.")
    )
    end_date = models.DateField(
        _("closes on"), null=True, blank=True, help_text=_("Empty: when the conference closes.")
    )
    is_closed = models.BooleanField(_("closed"), default=False, help_text=_("No new posts in this topic."))
    conclusion = MultilingualField(_("conclusion"), blank=True, textarea=True, help_text=_("Markdown."))
    conclusion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conclusion by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    conclusion_at = models.DateTimeField(_("conclusion written"), null=True, blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["conference", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "number"],
                name="conferences_topic_unique_number",
                violation_error_message=_("The conference has another topic with this number."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="conferences_topic_window_in_order",
                violation_error_message=_("The topic cannot close before it opens."),
            ),
        ]

    def __str__(self):
        return "{}. {}".format(self.number, resolve(self.title)[0])

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("conferences:topic", kwargs={"pk": self.conference_id, "number": self.number})

    def display_title(self, language=None):
        return resolve(self.title, language, self.conference.original_language)[0]

    @property
    def opens_on(self):
        return self.start_date or self.conference.start_date

    @property
    def closes_on(self):
        return self.end_date or self.conference.end_date

    def clean(self):
        from django.core.exceptions import ValidationError

        conference = self.conference
        errors = {}
        if self.start_date and not conference.start_date <= self.start_date <= conference.end_date:
            errors["start_date"] = _("The topic opens inside the conference's window.")
        if self.end_date and not conference.start_date <= self.end_date <= conference.end_date:
            errors["end_date"] = _("The topic closes inside the conference's window.")
        if errors:
            raise ValidationError(errors)


def background_path(instance, filename):
    return "conferences/{}/documents/{}".format(instance.conference_id, filename)


class BackgroundDocument(models.Model):
    """A background document of a conference or of one of its topics: an uploaded file or a link."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="documents"
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = MultilingualField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=8, choices=settings.CONTENT_LANGUAGES, default="en")
    file = models.FileField(_("file"), upload_to=background_path, blank=True, max_length=300)
    url = models.URLField(_("web address"), blank=True, max_length=500)
    content_type = models.CharField(_("content type"), max_length=120, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("background document")
        verbose_name_plural = _("background documents")
        ordering = ["conference", "topic", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="conferences_document_file_or_link",
                violation_error_message=_("A background document is a file or a link, not both."),
            )
        ]

    def __str__(self):
        return resolve(self.title)[0]

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class Participant(models.Model):
    """A user registered in a conference, with a profile; a moderator approves the registration."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="conference_registrations",
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="conference_participants"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conference_participants",
    )
    organization_name = models.CharField(_("organization (if not listed)"), max_length=200, blank=True)
    stakeholder_type = models.CharField(_("stakeholder type"), max_length=20, choices=StakeholderType.choices)
    statement = models.TextField(
        _("about you"), blank=True, max_length=2000, help_text=_("Your work and interest in the topics.")
    )
    status = models.CharField(
        _("registration"),
        max_length=12,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or declined by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved or declined"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["conference", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "user"],
                name="conferences_participant_unique",
                violation_error_message=_("You are registered in this conference already."),
            )
        ]

    def __str__(self):
        return str(self.user)

    @property
    def organization_display(self):
        return str(self.organization) if self.organization_id else self.organization_name

    @property
    def is_approved(self):
        return self.status == ParticipantStatus.APPROVED


class Post(models.Model):
    """A contribution to a topic's discussion: a new thread or a reply, possibly quoting another post.

    The body is Markdown, rendered without raw HTML and sanitized. Edits keep the previous text as a
    :class:`PostRevision`; moderators hide a post with a reason shown in its place."""

    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="posts"
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        help_text=_("The author's registration (empty for moderators)."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    quoted = models.ForeignKey(
        "self",
        verbose_name=_("quotes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quoted_by",
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(
        _("message"), max_length=20000, help_text=_("Markdown: *italic*, **bold**, lists, links.")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.CONTENT_LANGUAGES, default="en")
    status = models.CharField(
        _("status"), max_length=12, choices=PostStatus.choices, default=PostStatus.PUBLISHED, db_index=True
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("thread closed"), default=False, help_text=_("No more replies."))
    is_key = models.BooleanField(
        _("key contribution"), default=False, help_text=_("Quoted in the outcome of the conference.")
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("last edited"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["topic", "created_at", "pk"]
        indexes = [
            models.Index(fields=["topic", "status", "created_at"], name="conferences_post_topic_status")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=PostStatus.HIDDEN) | ~Q(hidden_reason=""),
                name="conferences_post_hidden_has_reason",
                violation_error_message=_("Say why the post is hidden."),
            )
        ]

    def __str__(self):
        return self.subject or "{} #{}".format(_("post"), self.pk)

    def get_absolute_url(self):
        return "{}#post-{}".format(self.topic.get_absolute_url(), self.pk)

    def display_title(self, language=None):
        return self.subject or "{} — {}".format(self.author, self.topic.display_title(language))

    @property
    def is_published(self):
        return self.status == PostStatus.PUBLISHED


class PostRevision(models.Model):
    """A previous text of an edited post."""

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    language = models.CharField(_("language"), max_length=8, choices=settings.CONTENT_LANGUAGES)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    written_at = models.DateTimeField(_("written"))

    class Meta:
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")
        ordering = ["post", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "number"],
                name="conferences_postrevision_unique_number",
                violation_error_message=_("This revision of the post exists already."),
            )
        ]

    def __str__(self):
        return "{} r{}".format(self.post, self.number)


def attachment_path(instance, filename):
    return "conferences/posts/{}/{}".format(instance.post_id, filename)


class Attachment(models.Model):
    """A file attached to a post, checked by its content; served to those who may read the post."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    content_type = models.CharField(_("content type"), max_length=120, editable=False)
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["post", "pk"]

    def __str__(self):
        return self.filename

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1]


class Flag(models.Model):
    """Somebody's report that a post breaks the rules, until a moderator resolves it."""

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("flagged by"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(_("flagged"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"],
                name="conferences_flag_once_per_user",
                violation_error_message=_("You flagged this post already."),
            )
        ]

    def __str__(self):
        return "{} — {}".format(self.post, self.reason)


class ConferenceEvent(models.Model):
    """The moderation log of a conference: who did what, when (registrations, approvals, hidden posts,
    closing, compilation…)."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=32, choices=EventAction.choices)
    post = models.ForeignKey(
        Post, verbose_name=_("post"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("about"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("conference event")
        verbose_name_plural = _("conference events")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return "{} — {}".format(self.get_action_display(), self.subject)


def outcome_path(instance, filename):
    return "conferences/{}/outcome/{}".format(instance.conference_id, filename)


class Outcome(models.Model):
    """The compiled outcome of a conference, a draft background paper: a frozen snapshot (``data``) from
    which its page, PDF and DOCX are made, attached to the meeting the conference feeds."""

    conference = models.OneToOneField(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="outcome"
    )
    data = models.JSONField(_("content"), default=dict)
    pdf = models.FileField(_("PDF"), upload_to=outcome_path, blank=True, max_length=300)
    docx = models.FileField(_("DOCX"), upload_to=outcome_path, blank=True, max_length=300)
    document = models.OneToOneField(
        "meetings.MeetingDocument",
        verbose_name=_("meeting document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conference_outcome",
    )
    compiled_at = models.DateTimeField(_("compiled"))
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compiled by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("conference outcome")
        verbose_name_plural = _("conference outcomes")
        ordering = ["-compiled_at"]

    def __str__(self):
        return "{} — {}".format(_("Outcome"), self.conference)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("conferences:outcome", kwargs={"pk": self.conference_id})


def posting_window(conference, topic=None):
    """``(opens, closes)`` dates of posting for ``topic`` (or the conference), clamped to the conference."""
    opens, closes = conference.start_date, conference.end_date
    if topic is not None:
        opens = max(opens, topic.start_date or opens)
        closes = min(closes, topic.end_date or closes)
    return opens, closes
