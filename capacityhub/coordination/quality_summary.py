"""Quality figures for people: by organization and by country (the Secretariat), and the records of a
publisher's organizations with what to update (their dashboard and reminder e-mail)."""

from django.db.models import Avg, Count, Q

from capacityhub.core import permissions
from capacityhub.core.choices import Status
from capacityhub.reference.models import Country, Organization
from capacityhub.registry.models import Initiative

from .models import InitiativeFacts
from .quality import INCOMPLETE_BELOW, Freshness, ongoing_after_end_q, stale_before

LIMIT = 100


def by_organization(limit=LIMIT):
    initiatives = Initiative.objects.exclude(status=Status.ARCHIVED)
    rows = (
        initiatives.values("publisher_id")
        .annotate(
            n=Count("pk"),
            completeness=Avg("coordination_facts__completeness"),
            incomplete=Count("pk", filter=Q(coordination_facts__completeness__lt=INCOMPLETE_BELOW)),
            stale=Count("pk", filter=ongoing_after_end_q() | Q(updated_at__lt=stale_before())),
        )
        .order_by("completeness", "-n")[:limit]
    )
    orgs = Organization.objects.in_bulk([r["publisher_id"] for r in rows])
    return [dict(r, organization=orgs.get(r["publisher_id"])) for r in rows]


def by_country(limit=LIMIT):
    initiatives = Initiative.objects.exclude(status=Status.ARCHIVED)
    rows = (
        initiatives.filter(countries__isnull=False)
        .values("countries")
        .annotate(
            n=Count("pk"),
            completeness=Avg("coordination_facts__completeness"),
            incomplete=Count("pk", filter=Q(coordination_facts__completeness__lt=INCOMPLETE_BELOW)),
            stale=Count("pk", filter=ongoing_after_end_q() | Q(updated_at__lt=stale_before())),
        )
        .order_by("completeness", "-n")[:limit]
    )
    countries = Country.objects.in_bulk([r["countries"] for r in rows])
    return [dict(r, country=countries.get(r["countries"])) for r in rows]


def organization_quality(user, organization):
    """Quality of the initiatives an organization publishes (those ``user`` may see): how many, their
    average completeness, how many are incomplete and how many stale. One aggregate query."""
    initiatives = (
        permissions.restrict(Initiative.objects.all(), user)
        .exclude(status=Status.ARCHIVED)
        .filter(publisher=organization)
    )
    row = initiatives.aggregate(
        n=Count("pk"),
        completeness=Avg("coordination_facts__completeness"),
        incomplete=Count("pk", filter=Q(coordination_facts__completeness__lt=INCOMPLETE_BELOW)),
        stale=Count("pk", filter=ongoing_after_end_q() | Q(updated_at__lt=stale_before())),
    )
    return row if row["n"] else None


def records_to_update(user, limit=LIMIT):
    """The user's organizations' initiatives that are stale or incomplete, with what is missing."""
    mine = permissions.restrict(Initiative.objects.all(), user, permissions.CHANGE).exclude(
        status=Status.ARCHIVED
    )
    if not user.is_secretariat:
        mine = mine.filter(publisher_id__in=permissions.publisher_scope_ids(user, Initiative) | {-1})
    facts = {f.initiative_id: f for f in InitiativeFacts.objects.filter(initiative__in=mine)}
    stale_ids = set(mine.filter(ongoing_after_end_q()).values_list("pk", flat=True))
    old_ids = set(mine.filter(updated_at__lt=stale_before()).values_list("pk", flat=True))
    wanted = [pk for pk, f in facts.items() if f.completeness < 1] + list(stale_ids | old_ids)
    records = []
    for initiative in mine.filter(pk__in=wanted).order_by("updated_at")[:limit]:
        fact = facts.get(initiative.pk)
        states = []
        if initiative.pk in stale_ids:
            states.append(Freshness.ONGOING_AFTER_END.label)
        if initiative.pk in old_ids:
            states.append(Freshness.NOT_UPDATED.label)
        records.append(
            {
                "record": initiative,
                "completeness": fact.completeness if fact else None,
                "missing": fact.missing if fact else [],
                "states": states,
            }
        )
    return records


def quality_by(user):
    context = {"to_update": records_to_update(user)}
    if user.is_secretariat:
        context.update(organizations=by_organization(), countries=by_country())
    return context
