"""Plans as data: a plan version and its tree (areas → elements → activities and indicators), and the
crosswalk between versions."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from capacityhub.core.models import TimeStampedModel
from capacityhub.core.multilingual import MultilingualField, resolve

from ..choices import CrosswalkRelation, ElementKind, IndicatorValueType

#: Path segments under /plans/ that are pages, not plans: a plan's key may not be one of them.
RESERVED_KEYS = {"submissions", "cycles", "questionnaires", "import", "reports", "add", "api", "crosswalk"}


class Plan(TimeStampedModel):
    """A version of the capacity-building Framework and Action Plan, adopted by a decision of the governing
    body.

    Shipped plans are loaded from data files (``plans/data/plans/``) and hold only the official text that was
    available; ``completeness`` says what is still missing, and the Secretariat completes the plan in the
    administration or by importing a plan file."""

    key = models.SlugField(
        _("key"), max_length=80, unique=True, help_text=_("Stable identifier, e.g. cpb-cb-action-plan-2006.")
    )
    title = MultilingualField(_("title"), max_length=500)
    short_title = MultilingualField(_("short title"), blank=True, max_length=120)
    adopted_by = models.CharField(
        _("adopted by decision"),
        max_length=40,
        blank=True,
        help_text=_("Symbol of the decision, e.g. BS-III/3."),
    )
    annex = models.CharField(_("annex"), max_length=20, blank=True)
    period_start = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
    )
    notes = MultilingualField(
        _("notes"),
        blank=True,
        textarea=True,
        help_text=_("What is known of the plan's structure and sources."),
    )
    completeness = models.TextField(
        _("what is still missing"),
        blank=True,
        help_text=_("For the Secretariat: which official texts of the plan are still to be entered."),
    )
    is_complete = models.BooleanField(
        _("complete"), default=False, help_text=_("Every official text of the plan has been entered.")
    )
    source = models.CharField(_("source"), max_length=255, blank=True)
    is_demo = models.BooleanField(
        _("demo plan"), default=False, help_text=_("Generated demonstration data, not an official plan.")
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["is_demo", "period_start", "key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="plans_plan_period_in_order",
                violation_error_message=_("The last year is before the first year."),
            )
        ]

    def __str__(self):
        return self.display_title()

    def display_title(self, language=None):
        return resolve(self.title, language)[0] or self.key

    def get_absolute_url(self):
        return reverse("plans:plan", kwargs={"key": self.key})

    @property
    def period(self):
        if self.period_start and self.period_end:
            return "{}–{}".format(self.period_start, self.period_end)
        return str(self.period_start or self.period_end or "")

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.key in RESERVED_KEYS:
            raise ValidationError({"key": _("This key is reserved; choose another one.")})


class PlanArea(models.Model):
    """A focal, key or implementation area of a plan."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="areas")
    number = models.CharField(
        _("number"), max_length=20, help_text=_("As numbered in the plan: a, b… or A, B…")
    )
    title = MultilingualField(_("title"), max_length=500)
    description = MultilingualField(_("description"), blank=True, textarea=True)
    identifier = models.CharField(_("BCH identifier"), max_length=64, blank=True)
    thematic_area = models.ForeignKey(
        "reference.Term",
        verbose_name=_("capacity-building area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_areas",
        help_text=_("The term of the capacity-building areas vocabulary that matches this area."),
    )
    initiatives = models.ManyToManyField(
        "registry.Initiative",
        verbose_name=_("contributing initiatives"),
        related_name="plan_areas",
        blank=True,
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("plan area")
        verbose_name_plural = _("plan areas")
        ordering = ["plan", "position", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="plans_planarea_unique_number",
                violation_error_message=_("Another area of this plan has this number."),
            )
        ]

    def __str__(self):
        return "({}) {}".format(self.number, resolve(self.title)[0])

    def get_absolute_url(self):
        return reverse("plans:plan_unit", kwargs={"key": self.plan.key, "number": self.number})

    @property
    def kind_label(self):
        return _("Area")


class PlanElement(models.Model):
    """An element of a plan under an area: an expected result, an outcome, a goal or an objective."""

    area = models.ForeignKey(
        PlanArea, verbose_name=_("area"), on_delete=models.CASCADE, related_name="elements"
    )
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="elements")
    number = models.CharField(_("number"), max_length=20)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ElementKind.choices, default=ElementKind.EXPECTED_RESULT
    )
    title = MultilingualField(_("title"), max_length=1000)
    description = MultilingualField(_("description"), blank=True, textarea=True)
    initiatives = models.ManyToManyField(
        "registry.Initiative",
        verbose_name=_("contributing initiatives"),
        related_name="plan_elements",
        blank=True,
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("plan element")
        verbose_name_plural = _("plan elements")
        ordering = ["plan", "area__position", "position", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="plans_planelement_unique_number",
                violation_error_message=_("Another element of this plan has this number."),
            )
        ]

    def __str__(self):
        return "{} {}".format(self.number, resolve(self.title)[0])

    def save(self, *args, **kwargs):
        if self.area_id and not self.plan_id:
            self.plan_id = self.area.plan_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("plans:plan_unit", kwargs={"key": self.plan.key, "number": self.number})

    @property
    def kind_label(self):
        return self.get_kind_display()


class PlanActivity(models.Model):
    """An indicative activity under an element."""

    element = models.ForeignKey(
        PlanElement, verbose_name=_("element"), on_delete=models.CASCADE, related_name="activities"
    )
    number = models.CharField(_("number"), max_length=20)
    title = MultilingualField(_("text"), max_length=2000, textarea=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicative activity")
        verbose_name_plural = _("indicative activities")
        ordering = ["element", "position", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["element", "number"],
                name="plans_planactivity_unique_number",
                violation_error_message=_("Another activity of this element has this number."),
            )
        ]

    def __str__(self):
        return "{} {}".format(self.number, resolve(self.title)[0])


class PlanIndicator(models.Model):
    """An indicator of an element; submissions report its value."""

    element = models.ForeignKey(
        PlanElement, verbose_name=_("element"), on_delete=models.CASCADE, related_name="indicators"
    )
    number = models.CharField(_("number"), max_length=20)
    title = MultilingualField(_("text"), max_length=2000, textarea=True)
    value_type = models.CharField(
        _("type of value"),
        max_length=10,
        choices=IndicatorValueType.choices,
        default=IndicatorValueType.NUMBER,
    )
    unit = MultilingualField(_("unit"), blank=True, max_length=100)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["element", "position", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["element", "number"],
                name="plans_planindicator_unique_number",
                violation_error_message=_("Another indicator of this element has this number."),
            )
        ]

    def __str__(self):
        return "{} {}".format(self.number, resolve(self.title)[0])


class Crosswalk(models.Model):
    """How an area or element of one plan continues in another plan version."""

    source_area = models.ForeignKey(
        PlanArea, verbose_name=_("from area"), on_delete=models.CASCADE, related_name="crosswalk_out"
    )
    source_element = models.ForeignKey(
        PlanElement,
        verbose_name=_("from element"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="crosswalk_out",
    )
    target_area = models.ForeignKey(
        PlanArea, verbose_name=_("to area"), on_delete=models.CASCADE, related_name="crosswalk_in"
    )
    target_element = models.ForeignKey(
        PlanElement,
        verbose_name=_("to element"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="crosswalk_in",
    )
    relation = models.CharField(
        _("relation"), max_length=12, choices=CrosswalkRelation.choices, default=CrosswalkRelation.CONTINUES
    )
    note = MultilingualField(_("note"), blank=True, textarea=True)

    class Meta:
        verbose_name = _("crosswalk link")
        verbose_name_plural = _("crosswalk")
        ordering = ["source_area__plan", "source_area__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_area", "source_element", "target_area", "target_element"],
                name="plans_crosswalk_unique_link",
                violation_error_message=_("These two parts of the plans are linked already."),
            )
        ]

    def __str__(self):
        return "{} → {}".format(self.source, self.target)

    @property
    def source(self):
        return self.source_element or self.source_area

    @property
    def target(self):
        return self.target_element or self.target_area

    def clean(self):
        from django.core.exceptions import ValidationError

        if (
            self.source_area_id
            and self.target_area_id
            and self.source_area.plan_id == self.target_area.plan_id
        ):
            raise ValidationError(_("A crosswalk links two different plan versions."))
        if self.source_element_id and self.source_element.area_id != self.source_area_id:
            raise ValidationError({"source_element": _("This element is not in the area chosen.")})
        if self.target_element_id and self.target_element.area_id != self.target_area_id:
            raise ValidationError({"target_element": _("This element is not in the area chosen.")})
