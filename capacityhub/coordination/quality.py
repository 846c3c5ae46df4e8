"""Quality of the shared information: completeness (which recommended fields are missing, named) and
freshness (an initiative still ongoing after its end date, a record not updated in 12 months, an expert
about to leave the roster), computed in SQL for a whole queryset at once."""

import datetime
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacityhub.registry.models import (
    Expert,
    Initiative,
    InitiativeCountry,
    InitiativeRegion,
    Need,
    Opportunity,
    Participation,
)

from .choices import FUNDING_ROLES, IMPLEMENTING_ROLES, Freshness

STALE_AFTER_DAYS = 365
INCOMPLETE_BELOW = 0.6  # a record with less than this share of its recommended fields is "incomplete"


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    condition: object  # a Q or an expression that is true when the field is filled


def _filled(field):
    return ~Q(**{field: {}}) & Q(**{f"{field}__isnull": False})


def _exists(model, **filters):
    return Exists(model.objects.filter(initiative=OuterRef("pk"), **filters))


def initiative_checks():
    return [
        Check("description", _("description"), _filled("description")),
        Check("objectives", _("objectives"), _filled("objectives")),
        Check(
            "dates",
            _("start and end dates"),
            (Q(planned_start__isnull=False) | Q(actual_start__isnull=False))
            & (Q(planned_end__isnull=False) | Q(actual_end__isnull=False)),
        ),
        Check("budget", _("budget"), Q(budget__isnull=False)),
        Check(
            "areas",
            _("thematic areas"),
            Exists(Initiative.thematic_areas.through.objects.filter(initiative_id=OuterRef("pk"))),
        ),
        Check(
            "recipients",
            _("recipient countries or regions"),
            Q(geographic_scope="global") | _exists(InitiativeCountry) | _exists(InitiativeRegion),
        ),
        Check("funder", _("a funding organization"), _exists(Participation, role__code__in=FUNDING_ROLES)),
        Check(
            "implementer",
            _("an implementing organization"),
            _exists(Participation, role__code__in=IMPLEMENTING_ROLES),
        ),
        Check("outcomes", _("outcomes and results"), _filled("outcomes")),
        Check("links", _("documents and links"), ~Q(links=[])),
        Check(
            "contacts",
            _("a contact"),
            Exists(Initiative.contacts.through.objects.filter(initiative_id=OuterRef("pk"))),
        ),
        Check(
            "identifier",
            _("a project number or IATI identifier"),
            ~Q(project_number="") | ~Q(iati_identifier=""),
        ),
    ]


def need_checks():
    return [
        Check("description", _("description"), _filled("description")),
        Check(
            "areas",
            _("thematic areas"),
            Exists(Need.thematic_areas.through.objects.filter(need_id=OuterRef("pk"))),
        ),
    ]


def opportunity_checks():
    return [
        Check("description", _("description"), _filled("description")),
        Check("dates", _("dates"), Q(start_date__isnull=False)),
        Check("deadline", _("application deadline"), Q(application_deadline__isnull=False)),
        Check("link", _("web page"), ~Q(link="")),
        Check("eligibility", _("eligible profiles"), _filled("eligibility")),
        Check("languages", _("languages"), ~Q(languages=[])),
    ]


def expert_checks():
    return [
        Check("experience", _("summary of experience"), _filled("experience")),
        Check(
            "expertise",
            _("fields of expertise"),
            Exists(Expert.expertise.through.objects.filter(expert_id=OuterRef("pk"))),
        ),
        Check("languages", _("languages"), ~Q(languages=[])),
        Check("organization", _("organization"), Q(organization__isnull=False)),
        Check("cv", _("curriculum vitae"), ~Q(cv="")),
    ]


CHECKS = {
    Initiative: initiative_checks,
    Need: need_checks,
    Opportunity: opportunity_checks,
    Expert: expert_checks,
}


def with_completeness(queryset):
    """``queryset`` annotated with one boolean per recommended field (``q_<code>``)."""
    checks = CHECKS[queryset.model]()
    annotations = {
        "q_" + check.code: ExpressionWrapper(check.condition, output_field=BooleanField()) for check in checks
    }
    return queryset.annotate(**annotations), checks


@dataclass
class Completeness:
    score: float
    missing: list  # [(code, label)]


def completeness_matrix(queryset):
    """``(ids, flags, checks)``: one row per record, one boolean column per recommended field (one query,
    no per-record Python work beyond reading the rows)."""
    annotated, checks = with_completeness(queryset)
    names = ["q_" + c.code for c in checks]
    rows = list(annotated.order_by("pk").values_list("pk", *names).iterator(chunk_size=5000))
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    flags = np.array([r[1:] for r in rows], dtype=bool).reshape(len(rows), len(checks))
    return ids, flags, checks


def completeness_scores(flags):
    """Scores and, per record, the index of its pattern of missing fields (``patterns``: the distinct
    patterns as lists of codes), vectorized."""
    scores = np.round(flags.mean(axis=1), 3) if flags.shape[1] else np.ones(len(flags))
    weights = 1 << np.arange(flags.shape[1], dtype=np.int64)
    packed = (~flags).astype(np.int64) @ weights
    patterns, index = np.unique(packed, return_inverse=True)
    return scores, patterns, index.ravel()


def completeness_rows(queryset):
    """``{pk: Completeness}`` for every record of ``queryset``."""
    ids, flags, checks = completeness_matrix(queryset)
    scores, patterns, index = completeness_scores(flags)
    decoded = [[(c.code, c.label) for bit, c in enumerate(checks) if int(p) >> bit & 1] for p in patterns]
    return {
        pk: Completeness(score=float(score), missing=decoded[i])
        for pk, score, i in zip(ids.tolist(), scores.tolist(), index.tolist(), strict=True)
    }


def completeness(record):
    return completeness_rows(type(record).objects.filter(pk=record.pk)).get(record.pk)


def stale_before():
    return timezone.now() - datetime.timedelta(days=STALE_AFTER_DAYS)


def ongoing_after_end_q(today=None):
    today = today or timezone.localdate()
    end_passed = Q(actual_end__lt=today) | (Q(actual_end__isnull=True) & Q(planned_end__lt=today))
    return Q(activity_status__code__in=["implementation", "finalisation", "pipeline"]) & end_passed


def freshness(record, today=None):
    """The freshness states of one record (an empty list: up to date)."""
    today = today or timezone.localdate()
    states = []
    if isinstance(record, Initiative):
        end = record.actual_end or record.planned_end
        status = getattr(record.activity_status, "code", "")
        if end and end < today and status in ("implementation", "finalisation", "pipeline"):
            states.append(Freshness.ONGOING_AFTER_END)
    if isinstance(record, Expert):
        if record.is_published and record.roster_until and record.roster_until < today:
            states.append(Freshness.ROSTER_EXPIRED)
        elif record.expires_soon:
            states.append(Freshness.ROSTER_EXPIRING)
    if (
        isinstance(record, Opportunity)
        and record.application_deadline
        and record.application_deadline < today
    ):
        states.append(Freshness.DEADLINE_PASSED)
    if record.updated_at and record.updated_at < stale_before():
        states.append(Freshness.NOT_UPDATED)
    return states


def stale_initiatives_q(today=None):
    """Initiatives that are stale: still ongoing after their end date, or not updated in 12 months."""
    return ongoing_after_end_q(today) | Q(updated_at__lt=stale_before())


def reliance(initiatives):
    """How much a figure rests on stale or incomplete records: counts over the initiatives it used
    (a queryset of initiatives)."""
    from .models import InitiativeFacts

    total = initiatives.count()
    stale = initiatives.filter(stale_initiatives_q()).count() if total else 0
    incomplete = (
        InitiativeFacts.objects.filter(initiative__in=initiatives, completeness__lt=INCOMPLETE_BELOW).count()
        if total
        else 0
    )
    return {"total": total, "stale": stale, "incomplete": incomplete}


def reliance_from_facts(states):
    """``reliance`` of the default coverage (published initiatives in these states, in the footprint), from
    the facts the analysis stores: one small grouped query. Staleness is as of the last analysis of each
    record (every save, and the nightly full analysis)."""
    from django.db.models import Count

    from capacityhub.core.choices import Status

    from .models import InitiativeFacts

    return InitiativeFacts.objects.filter(
        status=Status.PUBLISHED, state__in=list(states), in_footprint=True
    ).aggregate(
        total=Count("pk"),
        stale=Count("pk", filter=Q(stale=True)),
        incomplete=Count("pk", filter=Q(completeness__lt=INCOMPLETE_BELOW)),
    )


def expiry_warning():
    return datetime.timedelta(days=settings.EXPERT_EXPIRY_WARNING_DAYS)
