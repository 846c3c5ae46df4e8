"""Data of the interoperability layer: the IATI mapping rules the Secretariat edits, and the identifiers
records have in other systems (the BCH)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    SECTOR = "sector", _("Sector code")
    POLICY_MARKER = "policy-marker", _("Policy marker")
    TAG = "tag", _("Tag code")
    KEYWORD = "keyword", _("Keyword or phrase")
    DEFAULT = "default", _("Default areas")


class MappingRule(models.Model):
    """One rule of the IATI import mapping.

    A rule matches an IATI activity by a code (a sector, policy marker or tag of a given vocabulary) or by a
    keyword found in its title, descriptions or tags, in any language. A matching rule may make the activity
    count as biosafety capacity-building (``selects``) and adds its thematic areas. The ``default`` rule
    gives the areas of a selected activity that no other rule gave an area to."""

    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    vocabulary = models.CharField(
        _("IATI vocabulary"),
        max_length=10,
        blank=True,
        default="1",
        help_text=_("For codes: the IATI vocabulary (1 = OECD DAC for sectors and policy markers)."),
    )
    code = models.CharField(
        _("code or keyword"),
        max_length=200,
        help_text=_(
            "A code, or a keyword in any language. Keywords match the start of words, ignoring case and "
            "accents (“biosafet” matches “biosafety”); in Chinese or Arabic they match "
            "anywhere."
        ),
    )
    selects = models.BooleanField(
        _("counts as biosafety capacity-building"),
        default=False,
        help_text=_("Activities matching this rule are imported; the others are skipped."),
    )
    areas = models.JSONField(
        _("thematic areas"), default=list, blank=True, help_text=_("Codes of the thematic areas it adds.")
    )
    min_significance = models.PositiveSmallIntegerField(
        _("minimum significance"),
        default=1,
        help_text=_("For policy markers: the lowest significance that matches (0 = not targeted)."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("IATI mapping rule")
        verbose_name_plural = _("IATI mapping rules")
        ordering = ["kind", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "vocabulary", "code"],
                name="interop_mappingrule_unique",
                violation_error_message=_("This rule exists already."),
            )
        ]

    def __str__(self):
        if self.kind in (RuleKind.KEYWORD, RuleKind.DEFAULT):
            return "{}: {}".format(self.get_kind_display(), self.code)
        return "{} {} ({})".format(self.get_kind_display(), self.code, self.vocabulary)


class ExternalIdentifier(models.Model):
    """The identifier a record has in another system, e.g. its BCH document identifier, so that imports and
    exports keep pointing at the same record."""

    class System(models.TextChoices):
        BCH = "bch", _("Biosafety Clearing-House")

    system = models.CharField(_("system"), max_length=16, choices=System.choices)
    content_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("record id"))
    identifier = models.CharField(_("identifier"), max_length=100)

    class Meta:
        verbose_name = _("external identifier")
        verbose_name_plural = _("external identifiers")
        ordering = ["system", "content_type", "identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "content_type", "identifier"],
                name="interop_externalidentifier_unique_identifier",
                violation_error_message=_("This identifier belongs to another record already."),
            ),
            models.UniqueConstraint(
                fields=["system", "content_type", "object_id"],
                condition=~Q(identifier=""),
                name="interop_externalidentifier_one_per_record",
                violation_error_message=_("This record has an identifier in this system already."),
            ),
        ]

    def __str__(self):
        return "{}:{}".format(self.system, self.identifier)


class ImportJob(models.Model):
    """A file of records being imported (``capacityhub.interop.imports``): checked first (dry run) or
    imported, in the background for long files, with its progress, its preview and its errors."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("In progress")
        CHECKED = "checked", _("Checked: ready to import")
        IMPORTED = "imported", _("Imported")
        INVALID = "invalid", _("Not imported: the file has errors")
        FAILED = "failed", _("Stopped by an unexpected error; nothing was written")

    record_type = models.CharField(_("record type"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=8, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    dry_run = models.BooleanField(_("dry run"), default=True, help_text=_("Check the file; write nothing."))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    created_count = models.PositiveIntegerField(_("records created"), default=0)
    updated_count = models.PositiveIntegerField(_("records updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("rows unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True, help_text=_("[{row, column, message}]"))
    notices = models.JSONField(_("notices"), default=list, blank=True)
    preview = models.JSONField(
        _("preview"), default=list, blank=True, help_text=_("[{row, id, action, title, changes}]")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return "{} ({}, {})".format(self.filename, self.record_type, self.get_status_display())

    @property
    def is_active(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self):
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
