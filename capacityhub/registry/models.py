"""The shared records: initiatives, needs, opportunities, resources, experts and country profiles."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacityhub.core.choices import Scope
from capacityhub.core.models import Record
from capacityhub.core.multilingual import MultilingualField
from capacityhub.reference.choices import Vocabularies
from capacityhub.reference.models import Contact, Country, Organization, Region, Term

from .choices import Availability, GeographicScope, NeedSource, NeedStatus, Priority, Timeframe

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def terms_of(vocabulary):
    return Q(vocabulary__code=vocabulary)


def _names(objects):
    """Names of related records in every interface language, for the search index."""
    texts = []
    for obj in objects:
        if isinstance(obj, Country):
            texts += [(None, obj.localized_name(code)) for code, _n in settings.LANGUAGES]
        elif hasattr(obj, "label"):
            texts += [(lang, text) for lang, text in obj.label.items()]
        elif hasattr(obj, "name") and isinstance(obj.name, dict):
            texts += [(lang, text) for lang, text in obj.name.items()]
            if getattr(obj, "acronym", ""):
                texts.append((None, obj.acronym))
    return texts


class Initiative(Record):
    """A capacity-building initiative (project or programme): the BCH record mapped onto IATI concepts."""

    scope_kind = Scope.ORGANIZATION
    scope_field = "publisher"

    title = MultilingualField(_("title"), max_length=500)
    project_number = models.CharField(
        _("project number"),
        max_length=100,
        blank=True,
        help_text=_("The implementer's own reference, if any."),
    )
    iati_identifier = models.CharField(
        _("IATI identifier"),
        max_length=150,
        blank=True,
        db_index=True,
        help_text=_("For example XM-DAC-41116-1234."),
    )
    description = MultilingualField(
        _("description"), blank=True, textarea=True, help_text=_("Goals and objectives of the initiative.")
    )
    objectives = MultilingualField(_("objectives"), blank=True, textarea=True)
    activity_status = models.ForeignKey(
        Term,
        verbose_name=_("status of the activity"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=terms_of(Vocabularies.ACTIVITY_STATUS),
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    geographic_scope = models.CharField(
        _("geographic scope"),
        max_length=16,
        choices=GeographicScope.choices,
        default=GeographicScope.NATIONAL,
    )
    countries = models.ManyToManyField(
        Country,
        through="InitiativeCountry",
        verbose_name=_("recipient countries"),
        related_name="initiatives",
    )
    regions = models.ManyToManyField(
        Region, through="InitiativeRegion", verbose_name=_("recipient regions"), related_name="initiatives"
    )
    organizations = models.ManyToManyField(
        Organization,
        through="Participation",
        verbose_name=_("participating organizations"),
        related_name="initiatives",
    )
    publisher = models.ForeignKey(
        Organization,
        verbose_name=_("publishing organization"),
        on_delete=models.PROTECT,
        related_name="published_initiatives",
        help_text=_("The organization responsible for this record."),
    )
    budget = models.DecimalField(_("total budget"), max_digits=16, decimal_places=2, null=True, blank=True)
    co_financing = models.DecimalField(
        _("co-financing"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD", help_text=_("ISO 4217 code."))
    thematic_areas = models.ManyToManyField(
        Term,
        verbose_name=_("thematic areas"),
        related_name="initiatives",
        limit_choices_to=terms_of(Vocabularies.THEMATIC_AREAS),
    )
    categories = models.ManyToManyField(
        Term,
        verbose_name=_("categories of activities"),
        related_name="+",
        blank=True,
        limit_choices_to=terms_of(Vocabularies.ACTIVITY_CATEGORIES),
    )
    target_groups = models.ManyToManyField(
        Term,
        verbose_name=_("target groups"),
        related_name="+",
        blank=True,
        limit_choices_to=terms_of(Vocabularies.TARGET_GROUPS),
    )
    funding_source_types = models.ManyToManyField(
        Term,
        verbose_name=_("types of funding source"),
        related_name="+",
        blank=True,
        limit_choices_to=terms_of(Vocabularies.FUNDING_SOURCE_TYPES),
    )
    outcomes = MultilingualField(_("outcomes and results"), blank=True, textarea=True)
    lessons_learned = MultilingualField(_("good practices and lessons learned"), blank=True, textarea=True)
    links = models.JSONField(
        _("documents and links"),
        default=list,
        blank=True,
        help_text=_("Web addresses of documents and pages."),
    )
    contacts = models.ManyToManyField(
        Contact, verbose_name=_("contacts"), related_name="initiatives", blank=True
    )
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("part of a larger programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="components",
    )

    class Meta:
        verbose_name = _("capacity-building initiative")
        verbose_name_plural = _("capacity-building initiatives")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="registry_initiative_planned_dates_in_order",
                violation_error_message=_("The planned end date is before the planned start date."),
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=models.F("actual_start")),
                name="registry_initiative_actual_dates_in_order",
                violation_error_message=_("The actual end date is before the actual start date."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="registry_initiative_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["status", "-updated_at"], name="registry_initiative_list")]

    @property
    def start(self):
        return self.actual_start or self.planned_start

    @property
    def end(self):
        return self.actual_end or self.planned_end

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end date is before the planned start date.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end date is before the actual start date.")
        if errors:
            raise ValidationError(errors)

    def search_texts(self):
        texts = super().search_texts()
        texts += [(None, t) for t in (self.project_number, self.iati_identifier) if t]
        if self.pk:
            texts += _names(self.countries.all())
            texts += _names(self.organizations.all())
        return texts

    def snapshot_related(self):
        return {
            "countries": [
                [c.country_id, c.percentage and float(c.percentage)]
                for c in self.country_shares.order_by("country_id")
            ],
            "regions": [
                [r.region_id, r.percentage and float(r.percentage)]
                for r in self.region_shares.order_by("region_id")
            ],
            "organizations": [
                [p.organization_id, p.role_id]
                for p in self.participations.order_by("organization_id", "role_id")
            ],
        }


class InitiativeCountry(models.Model):
    """A recipient country of an initiative, with the share of the initiative it receives."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="country_shares")
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    percentage = models.DecimalField(
        _("percentage"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )

    class Meta:
        verbose_name = _("recipient country")
        verbose_name_plural = _("recipient countries")
        ordering = ["initiative", "country__name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "country"],
                name="registry_initiativecountry_unique",
                violation_error_message=_("This country is listed twice."),
            )
        ]

    def __str__(self):
        return str(self.country)


class InitiativeRegion(models.Model):
    """A recipient region of an initiative, with the share of the initiative it receives."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="region_shares")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    percentage = models.DecimalField(
        _("percentage"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )

    class Meta:
        verbose_name = _("recipient region")
        verbose_name_plural = _("recipient regions")
        ordering = ["initiative", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "region"],
                name="registry_initiativeregion_unique",
                violation_error_message=_("This region is listed twice."),
            )
        ]

    def __str__(self):
        return str(self.region)


class Participation(models.Model):
    """An organization taking part in an initiative in a role: funding, implementing, executing…"""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="participations")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.ForeignKey(
        Term,
        verbose_name=_("role"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=terms_of(Vocabularies.ORGANIZATION_ROLES),
    )

    class Meta:
        verbose_name = _("participating organization")
        verbose_name_plural = _("participating organizations")
        ordering = ["initiative", "role__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organization", "role"],
                name="registry_participation_unique",
                violation_error_message=_("This organization is listed twice in the same role."),
            )
        ]

    def __str__(self):
        return f"{self.organization} ({self.role})"


class Need(Record):
    """A country's capacity-building need or priority, submitted through its focal point."""

    scope_kind = Scope.COUNTRY
    scope_field = "country"

    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="needs"
    )
    title = MultilingualField(_("title"), max_length=300)
    description = MultilingualField(_("description"), blank=True, textarea=True)
    thematic_areas = models.ManyToManyField(
        Term,
        verbose_name=_("thematic areas"),
        related_name="needs",
        limit_choices_to=terms_of(Vocabularies.THEMATIC_AREAS),
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM
    )
    timeframe = models.CharField(
        _("timeframe"), max_length=8, choices=Timeframe.choices, default=Timeframe.MEDIUM
    )
    source = models.CharField(
        _("source"), max_length=20, choices=NeedSource.choices, default=NeedSource.NEEDS_ASSESSMENT
    )
    need_status = models.CharField(
        _("status of the need"),
        max_length=20,
        choices=NeedStatus.choices,
        default=NeedStatus.OPEN,
        db_index=True,
    )

    class Meta:
        verbose_name = _("capacity-building need")
        verbose_name_plural = _("capacity-building needs")
        ordering = ["-updated_at"]

    def search_texts(self):
        return super().search_texts() + _names([self.country])


class Opportunity(Record):
    """A training course, workshop, fellowship, academic programme, e-learning course or internship."""

    scope_kind = Scope.ORGANIZATION
    scope_field = "publisher"

    title = MultilingualField(_("title"), max_length=300)
    description = MultilingualField(_("description"), blank=True, textarea=True)
    kind = models.ForeignKey(
        Term,
        verbose_name=_("type of opportunity"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=terms_of(Vocabularies.OPPORTUNITY_TYPES),
    )
    publisher = models.ForeignKey(
        Organization,
        verbose_name=_("publishing organization"),
        on_delete=models.PROTECT,
        related_name="published_opportunities",
    )
    providers = models.ManyToManyField(
        Organization, verbose_name=_("provider organizations"), related_name="opportunities", blank=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True, db_index=True)
    is_online = models.BooleanField(_("online"), default=False)
    city = models.CharField(_("place"), max_length=120, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    eligible_countries = models.ManyToManyField(
        Country, verbose_name=_("eligible countries"), related_name="+", blank=True
    )
    eligible_regions = models.ManyToManyField(
        Region, verbose_name=_("eligible regions"), related_name="+", blank=True
    )
    eligibility = MultilingualField(_("eligible profiles"), blank=True, textarea=True)
    cost = MultilingualField(_("cost and funding available"), blank=True, textarea=True)
    funding_available = models.BooleanField(_("funding available"), default=False)
    thematic_areas = models.ManyToManyField(
        Term,
        verbose_name=_("thematic areas"),
        related_name="opportunities",
        limit_choices_to=terms_of(Vocabularies.THEMATIC_AREAS),
    )
    link = models.URLField(_("web page"), blank=True, max_length=500)

    class Meta:
        verbose_name = _("capacity-building opportunity")
        verbose_name_plural = _("capacity-building opportunities")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="registry_opportunity_dates_in_order",
                violation_error_message=_("The end date is before the start date."),
            )
        ]

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})

    def search_texts(self):
        texts = super().search_texts()
        if self.pk:
            texts += _names(self.providers.all())
        return texts + [(None, self.city)] if self.city else texts


class Resource(Record):
    """A biosafety information resource: guidance, manual, toolkit, e-learning module, report, video…"""

    scope_kind = Scope.ORGANIZATION
    scope_field = "publisher"

    title = MultilingualField(_("title"), max_length=500)
    summary = MultilingualField(_("summary"), blank=True, textarea=True)
    resource_type = models.ForeignKey(
        Term,
        verbose_name=_("type of resource"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=terms_of(Vocabularies.RESOURCE_TYPES),
    )
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    publisher = models.ForeignKey(
        Organization, verbose_name=_("publisher"), on_delete=models.PROTECT, related_name="resources"
    )
    year = models.PositiveIntegerField(
        _("year of publication"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    thematic_areas = models.ManyToManyField(
        Term,
        verbose_name=_("thematic areas"),
        related_name="resources",
        limit_choices_to=terms_of(Vocabularies.THEMATIC_AREAS),
    )
    link = models.URLField(_("web address"), blank=True, max_length=500)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-updated_at"]

    def search_texts(self):
        texts = super().search_texts()
        return texts + [(None, self.authors)] if self.authors else texts

    def snapshot_related(self):
        return {"files": [[f.language, f.file.name, f.sha256] for f in self.files.order_by("language")]}


def resource_file_path(instance, filename):
    return f"resources/{instance.resource_id}/{instance.language}/{filename}"


class ResourceFile(models.Model):
    """One file of a resource, in one language. Checked by content; served through a permission check."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=8, choices=settings.CONTENT_LANGUAGES)
    file = models.FileField(_("file"), upload_to=resource_file_path, max_length=300)
    content_type = models.CharField(_("content type"), max_length=120, editable=False)
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("resource file")
        verbose_name_plural = _("resource files")
        ordering = ["resource", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "language"],
                name="registry_resourcefile_one_per_language",
                violation_error_message=_("A resource has one file per language."),
            )
        ]

    def __str__(self):
        return "{} ({})".format(self.file.name.rsplit("/", 1)[-1], self.language)

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1]


def expert_cv_path(instance, filename):
    return "experts/{}/{}".format(instance.pk or "new", filename)


class Expert(Record):
    """An expert on the roster, nominated by a country's focal point; on the roster four years from the
    last nomination or update (decision BS-IV/4)."""

    scope_kind = Scope.COUNTRY
    scope_field = "country"
    title_field = "name"

    name = MultilingualField(_("name"), max_length=200)
    country = models.ForeignKey(
        Country,
        verbose_name=_("nominating country"),
        on_delete=models.PROTECT,
        related_name="nominated_experts",
    )
    nationality = models.ForeignKey(
        Country,
        verbose_name=_("nationality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="experts",
    )
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Shown only to signed-in users."))
    expertise = models.ManyToManyField(
        Term,
        verbose_name=_("fields of expertise"),
        related_name="experts",
        limit_choices_to=terms_of(Vocabularies.EXPERTISE),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    experience = MultilingualField(_("summary of experience"), blank=True, textarea=True)
    cv = models.FileField(_("curriculum vitae"), upload_to=expert_cv_path, blank=True, max_length=300)
    availability = models.CharField(
        _("availability"), max_length=16, choices=Availability.choices, default=Availability.AVAILABLE
    )
    nominated_at = models.DateField(_("nominated or last renewed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["sort_title"]

    @property
    def roster_until(self):
        if not self.nominated_at:
            return None
        years = settings.EXPERT_ROSTER_YEARS
        try:
            return self.nominated_at.replace(year=self.nominated_at.year + years)
        except ValueError:  # 29 February
            return self.nominated_at.replace(year=self.nominated_at.year + years, day=28)

    @property
    def on_roster(self):
        return bool(self.is_published and self.roster_until and self.roster_until >= timezone.localdate())

    @property
    def expires_soon(self):
        until = self.roster_until
        if not until or not self.on_roster:
            return False
        return until - timezone.localdate() <= datetime.timedelta(days=settings.EXPERT_EXPIRY_WARNING_DAYS)

    def on_transition(self, action):
        if action == "publish":
            self.nominated_at = timezone.localdate()

    def search_texts(self):
        texts = super().search_texts() + _names([self.country])
        if self.pk:
            texts += _names(self.expertise.all())
        return texts


class CountryProfile(Record):
    """A country's own description of its biosafety capacity-building situation, kept by its focal point."""

    scope_kind = Scope.COUNTRY
    scope_field = "country"
    title_field = "summary"

    country = models.OneToOneField(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="profile"
    )
    summary = MultilingualField(_("summary"), textarea=True)
    framework = MultilingualField(_("national biosafety framework"), blank=True, textarea=True)
    institutions = MultilingualField(
        _("competent national authorities and institutions"), blank=True, textarea=True
    )
    priorities = MultilingualField(_("capacity-building priorities"), blank=True, textarea=True)
    website = models.URLField(_("national biosafety website"), blank=True)

    class Meta:
        verbose_name = _("country profile")
        verbose_name_plural = _("country profiles")
        ordering = ["country__name_en"]

    def display_title(self, language=None):
        return str(self.country)

    def search_texts(self):
        return super().search_texts() + _names([self.country])
