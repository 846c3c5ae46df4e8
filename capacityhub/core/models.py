"""Base models shared by every record type: timestamps, the workflow, versions and the search index."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Status, VersionAction
from .multilingual import resolve


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class Record(TimeStampedModel):
    """A shared record of the clearing-house: workflow, original language, authorship and revision.

    Subclasses name the field that scopes them (``scope_field``: a country or an organization) and the
    multilingual field used as their title (``title_field``).
    """

    title_field = "title"
    scope_field = None  # e.g. "country" or "publisher"; set by each record type
    record_type = None  # the RecordType descriptor, set by the registry

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    original_language = models.CharField(
        _("original language"),
        max_length=8,
        choices=settings.CONTENT_LANGUAGES,
        default="en",
        help_text=_("The language the record was written in; translations fall back to it."),
    )
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    review_comment = models.TextField(_("review comment"), blank=True, editable=False)
    sort_title = models.CharField(_("sort title"), max_length=255, blank=True, db_index=True, editable=False)
    is_demo = models.BooleanField(
        _("demo record"), default=False, editable=False, help_text=_("Generated demonstration data.")
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.display_title()

    def save(self, *args, **kwargs):
        self.sort_title = (self.text(self.title_field, self.original_language) or "")[:255].casefold()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.record_type.url("detail", pk=self.pk)

    def text(self, field, language=None):
        return resolve(getattr(self, field), language, self.original_language)[0]

    def display_title(self, language=None):
        return self.text(self.title_field, language) or f"#{self.pk}"

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def search_texts(self):
        """``(language or None, text)`` pairs to index: every language of every multilingual field.

        Record types extend this with the names of related records (countries, organizations)."""
        from .multilingual import MultilingualField

        texts = []
        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname)
            if isinstance(field, MultilingualField) and value:
                texts.extend((code, text) for code, text in value.items() if text)
        return texts


class Version(models.Model):
    """One state of a record: who changed it, when, how, and a snapshot of its fields."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("record type"))
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    number = models.PositiveIntegerField(_("version"))
    action = models.CharField(_("action"), max_length=16, choices=VersionAction.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    data = models.JSONField(_("snapshot"), default=dict)
    changes = models.JSONField(_("changed fields"), default=list)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["content_type", "object_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "number"],
                name="core_version_unique_number",
                violation_error_message=_("This version of the record exists already."),
            )
        ]

    def __str__(self):
        return f"{self.content_type} #{self.object_id} v{self.number}"


class SearchEntry(models.Model):
    """The full-text document of one record, in all its languages.

    PostgreSQL searches ``vector`` (a ``tsvector`` with a GIN index, one configuration per language);
    SQLite searches an FTS5 table kept in step with this one by triggers (see migration 0002).
    """

    record_type = models.CharField(_("record type"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("record id"))
    document = models.TextField(_("document"), blank=True)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        ordering = ["record_type", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "object_id"],
                name="core_searchentry_unique_record",
                violation_error_message=_("A record is indexed once."),
            )
        ]

    def __str__(self):
        return f"{self.record_type} #{self.object_id}"
