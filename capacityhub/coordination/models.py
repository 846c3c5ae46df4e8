"""What the coordination analysis keeps: exchange rates (edited by the Secretariat), the footprint of each
initiative (where, on what, with which share of its budget), the candidate pairs of overlaps and duplicates
with their scores, reviewers' decisions on pairs (kept across re-analysis), merges of duplicate initiatives,
the runs of the analysis and the text model they share.

Everything here except rates, reviews and merges is derived data: ``analyze_coordination`` rebuilds it."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from capacityhub.reference.models import Country, Region, Term
from capacityhub.registry.models import Initiative

from .choices import Decision, RunKind, RunStatus, State, TruthKind

BASE_CURRENCY = "USD"


class ExchangeRate(models.Model):
    """How many US dollars one unit of a currency is worth, for the funding figures."""

    currency = models.CharField(_("currency"), max_length=3, unique=True, help_text=_("ISO 4217 code."))
    usd_per_unit = models.DecimalField(
        _("US dollars per unit"),
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(0)],
        help_text=_("For example 1.08 for the euro if one euro is worth 1.08 US dollars."),
    )
    note = models.CharField(_("source or note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency"]
        constraints = [
            models.CheckConstraint(
                condition=Q(usd_per_unit__gt=0),
                name="coordination_exchangerate_positive",
                violation_error_message=_("An exchange rate must be greater than zero."),
            )
        ]

    def __str__(self):
        return "{} = {} {}".format(self.currency, self.usd_per_unit, BASE_CURRENCY)

    def save(self, *args, **kwargs):
        self.currency = (self.currency or "").upper()
        super().save(*args, **kwargs)


class Footprint(models.Model):
    """One recipient (a country, a region, or the whole world) × one thematic area of an initiative.

    ``share`` is the fraction of the initiative's budget that goes there (recipient share divided equally
    among the thematic areas). ``counted`` is false for rows that only carry money (a country also covered
    by one of the initiative's regions), so each initiative counts once per country and area. A row with
    neither country nor region is a global initiative. State, workflow status and dates are copied from
    the initiative so that coverage is one grouped query."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    # No index of their own: the (country, area) index serves the cells, and fewer indexes keep the full
    # rebuild fast.
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    area = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+", db_index=False)
    place = models.BigIntegerField(
        default=-1,
        help_text=_("The recipient as one number: the country id, 10⁷ + the region id, or −1 (world)."),
    )
    counted = models.BooleanField(default=True)
    share = models.FloatField(default=0)
    budget = models.FloatField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    state = models.CharField(max_length=10, choices=State.choices)
    status = models.CharField(max_length=16)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("footprint row")
        verbose_name_plural = _("footprint rows")
        ordering = ["initiative", "area"]
        indexes = [
            models.Index(fields=["status", "state"], name="coord_footprint_status"),
            models.Index(fields=["country", "area"], name="coord_footprint_cell"),
            models.Index(fields=["place", "area"], name="coord_footprint_place"),
        ]

    def __str__(self):
        return "{} · {} · {}".format(
            self.initiative_id, self.country_id or self.region_id or "*", self.area_id
        )


class CoverageCell(models.Model):
    """The published footprint of active and planned initiatives summed by (country, region, area, state,
    currency): what the default coverage view reads instead of grouping the whole footprint. Derived:
    rebuilt by the full analysis, and kept up to date when one initiative is saved (its old rows are
    subtracted, its new rows added)."""

    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    area = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+", db_index=False)
    state = models.CharField(max_length=10, choices=State.choices)
    currency = models.CharField(max_length=3, blank=True)
    counted = models.BooleanField(default=True)
    rows = models.IntegerField(default=0, help_text=_("Footprint rows."))
    money = models.FloatField(default=0, help_text=_("Sum of budget × share, in the currency."))
    budget_rows = models.IntegerField(default=0, help_text=_("Footprint rows with a budget."))

    class Meta:
        verbose_name = _("coverage cell")
        verbose_name_plural = _("coverage cells")
        ordering = ["area", "country", "region"]

    def __str__(self):
        return "{} · {} · {}".format(self.country_id or self.region_id or "*", self.area_id, self.state)


class InitiativeFacts(models.Model):
    """What the analysis derived from one initiative: its completeness and the keys it is compared by."""

    initiative = models.OneToOneField(
        Initiative, primary_key=True, on_delete=models.CASCADE, related_name="coordination_facts"
    )
    completeness = models.FloatField(_("completeness"), default=0)
    missing = models.JSONField(_("missing recommended fields"), default=list)
    # Copied so that "how much do the figures rest on stale or incomplete records" is one small query.
    status = models.CharField(_("workflow status"), max_length=16, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, blank=True)
    in_footprint = models.BooleanField(
        default=False, help_text=_("Counted in coverage (has footprint rows).")
    )
    stale = models.BooleanField(
        default=False,
        help_text=_("Still ongoing after its end date, or not updated in 12 months (when analysed)."),
    )
    analysed_at = models.DateTimeField(_("analysed"), auto_now=True)

    class Meta:
        verbose_name = _("facts of an initiative")
        verbose_name_plural = _("facts of initiatives")
        ordering = ["initiative"]
        indexes = [models.Index(fields=["status", "state"], name="coord_facts_reliance")]

    def __str__(self):
        return "{} ({:.0%})".format(self.initiative_id, self.completeness)


class InitiativeKey(models.Model):
    """An identifier key of an initiative (``keys.py``): its IATI identifier or project number, or a donor's
    project id (GEF, World Bank, UNDP PIMS) found in its identifiers, texts or document addresses. Derived:
    written by the analysis; indexed so that a saved or a new initiative finds its namesakes at once."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("identifier key"), max_length=160)

    class Meta:
        verbose_name = _("identifier key")
        verbose_name_plural = _("identifier keys")
        ordering = ["key", "initiative"]
        indexes = [models.Index(fields=["key"], name="coord_initiativekey_key")]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "key"],
                name="coordination_initiativekey_unique",
                violation_error_message=_("This initiative has this key already."),
            )
        ]

    def __str__(self):
        return "{} {}".format(self.initiative_id, self.key)


class PairQuerySet(models.QuerySet):
    def involving(self, initiative_id):
        return self.filter(Q(initiative_a_id=initiative_id) | Q(initiative_b_id=initiative_id))


class OverlapPair(models.Model):
    """Two initiatives that may overlap (duplication of effort) or be the same initiative registered twice.

    Derived: rebuilt by every analysis. The reasons are the numbers below; the explanation a reader sees is
    built from them in the reader's language (``explain.py``)."""

    initiative_a = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    initiative_b = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("overlap score"), db_index=True)
    duplicate_score = models.FloatField(_("duplicate score"), db_index=True)
    text_similarity = models.FloatField(default=0)
    title_similarity = models.FloatField(default=0)
    organization_similarity = models.FloatField(default=0)
    country_similarity = models.FloatField(default=0)
    area_similarity = models.FloatField(default=0)
    period_overlap = models.FloatField(default=0, help_text=_("Share of the shorter period that overlaps."))
    overlap_days = models.IntegerField(default=0)
    date_distance_days = models.IntegerField(default=0)
    budget_ratio = models.FloatField(null=True, blank=True)
    same_identifier = models.BooleanField(default=False)
    computed_at = models.DateTimeField(auto_now=True)

    objects = PairQuerySet.as_manager()

    class Meta:
        verbose_name = _("pair of initiatives")
        verbose_name_plural = _("pairs of initiatives")
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative_a", "initiative_b"],
                name="coordination_overlappair_unique",
                violation_error_message=_("This pair is recorded already."),
            ),
            models.CheckConstraint(
                condition=Q(initiative_a__lt=F("initiative_b")),
                name="coordination_overlappair_ordered",
                violation_error_message=_("A pair is stored with the smaller id first."),
            ),
        ]

    def __str__(self):
        return "#{} ~ #{} ({:.2f})".format(self.initiative_a_id, self.initiative_b_id, self.score)


class PairReview(models.Model):
    """A reviewer's decision on a pair: not an overlap, complementary, or duplicate. Not derived: it is
    kept when the pairs are recomputed, and hides or labels the pair whatever the new scores."""

    initiative_a = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    initiative_b = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), auto_now=True)

    class Meta:
        verbose_name = _("review of a pair")
        verbose_name_plural = _("reviews of pairs")
        ordering = ["-reviewed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative_a", "initiative_b"],
                name="coordination_pairreview_unique",
                violation_error_message=_("This pair has been reviewed already; change that review."),
            ),
            models.CheckConstraint(
                condition=Q(initiative_a__lt=F("initiative_b")),
                name="coordination_pairreview_ordered",
                violation_error_message=_("A pair is stored with the smaller id first."),
            ),
        ]

    def __str__(self):
        return "#{} ~ #{}: {}".format(self.initiative_a_id, self.initiative_b_id, self.get_decision_display())


class InitiativeMerge(models.Model):
    """An initiative merged into another as its duplicate: the pointer, and what moved."""

    duplicate = models.OneToOneField(
        Initiative,
        verbose_name=_("duplicate"),
        on_delete=models.PROTECT,
        related_name="coordination_merge",
    )
    kept = models.ForeignKey(
        Initiative,
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        related_name="coordination_merged",
    )
    identifiers = models.JSONField(
        _("identifiers of the duplicate"), default=list, help_text=_("Project numbers and IATI identifiers.")
    )
    moved = models.JSONField(_("references moved"), default=dict)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged"), auto_now_add=True)

    class Meta:
        verbose_name = _("merge of initiatives")
        verbose_name_plural = _("merges of initiatives")
        ordering = ["-merged_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(duplicate=F("kept")),
                name="coordination_initiativemerge_not_itself",
                violation_error_message=_("An initiative cannot be merged into itself."),
            )
        ]

    def __str__(self):
        return "#{} → #{}".format(self.duplicate_id, self.kept_id)


class AnalysisRun(models.Model):
    """One run of the analysis: when, how long, what it found."""

    kind = models.CharField(_("kind"), max_length=12, choices=RunKind.choices)
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    stats = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("analysis run")
        verbose_name_plural = _("analysis runs")
        ordering = ["-started_at"]

    def __str__(self):
        return "{} {}".format(self.get_kind_display(), self.started_at)


class TextModel(models.Model):
    """The inverse document frequencies of the last full analysis, so that one initiative saved later is
    compared with the same weights (the pairs of a full run and of an incremental update agree)."""

    created_at = models.DateTimeField(auto_now_add=True)
    documents = models.PositiveIntegerField(default=0)
    idf = models.BinaryField()

    class Meta:
        verbose_name = _("text model")
        verbose_name_plural = _("text models")
        ordering = ["-created_at"]

    def __str__(self):
        return "{} ({})".format(self.created_at, self.documents)


class SyntheticTruth(models.Model):
    """Pairs planted by ``generate_synthetic``: what the benchmark measures precision and recall against."""

    initiative_a = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    initiative_b = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=TruthKind.choices)

    class Meta:
        verbose_name = _("planted pair")
        verbose_name_plural = _("planted pairs")
        ordering = ["kind", "initiative_a"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative_a", "initiative_b", "kind"],
                name="coordination_synthetictruth_unique",
                violation_error_message=_("This pair is planted already."),
            )
        ]

    def __str__(self):
        return "{} #{} ~ #{}".format(self.kind, self.initiative_a_id, self.initiative_b_id)
