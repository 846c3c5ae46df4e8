"""Matchmaking: for a need, the organizations and donors working on its areas in its country or region, the
opportunities that serve it and the experts who could help; for an organization, partners working on the
same things in the same places. Ranked, each with the reason in the reader's language. Grouped queries
over the footprint; only what the reader may see."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from capacityhub.core import permissions
from capacityhub.core.choices import Status
from capacityhub.reference.models import Organization, Region
from capacityhub.registry.choices import Availability
from capacityhub.registry.filtersets import roster_cutoff
from capacityhub.registry.models import Expert, Opportunity, Participation

from .choices import COUNTED_STATES, EXPERTISE_FOR_AREA, FUNDING_ROLES, State
from .coverage import visible_footprint
from .footprint import REGION_OFFSET

LIMIT = 8
IN_COUNTRY = _("works on {areas} in {country}")
IN_REGION = _("works on {areas} in the region ({region})")
WORLDWIDE = _("works on {areas} worldwide")
DONOR = _("funds such work")
ELIGIBLE_COUNTRY = _("open to {country}")
ELIGIBLE_REGION = _("open to {region}")
OPEN_TO_ALL = _("open to every country")
DEADLINE = _("apply by {date}")
FUNDED = _("funding available")
EXPERT_AREAS = _("expertise in {fields}")
SAME_COUNTRY = _("nominated by {country}")
SAME_REGION = _("from the same region ({region})")
AVAILABLE = _("available")
PARTNER = _("works on {areas} where you do: {places}")
ALREADY = _("already a partner in {count} of your initiatives")


@dataclass
class Match:
    obj: object
    score: float
    reasons: list = field(default_factory=list)
    kind: str = ""


def _initiative_counts(text_count):
    return ngettext("{count} initiative", "{count} initiatives", text_count).format(count=text_count)


def organizations_for(user, country, areas, limit=LIMIT):
    """Organizations working on ``areas`` in ``country`` (3 points an initiative), in its regions (1), or
    worldwide (0.5); donors flagged."""
    area_ids = [a.pk for a in areas]
    regions = list(Region.objects.filter(countries=country))
    rows = visible_footprint(user).filter(
        area_id__in=area_ids, state__in=list(COUNTED_STATES) + [State.CLOSED]
    )
    where = {
        "country": rows.filter(country=country),
        "region": rows.filter(region__in=regions),
        "world": rows.filter(country__isnull=True, region__isnull=True),
    }
    weights = {"country": 3.0, "region": 1.0, "world": 0.5}
    found = {}
    for place, subset in where.items():
        counts = (
            Participation.objects.filter(initiative_id__in=subset.values("initiative_id"))
            .values_list("organization_id")
            .annotate(
                n=Count("initiative_id", distinct=True),
                funds=Count("pk", filter=Q(role__code__in=FUNDING_ROLES)),
            )
            .order_by()
        )
        for org_id, n, funds in counts:
            entry = found.setdefault(org_id, {"score": 0.0, "places": {}, "funds": 0})
            entry["score"] += weights[place] * n
            entry["places"][place] = n
            entry["funds"] += funds
    orgs = permissions.restrict(Organization.objects.filter(pk__in=found), user).filter(
        merged_into__isnull=True
    )
    area_names = ", ".join(str(a) for a in areas[:3])
    region_name = str(regions[0]) if regions else ""
    matches = []
    for org in orgs:
        entry = found[org.pk]
        reasons = []
        templates = {"country": IN_COUNTRY, "region": IN_REGION, "world": WORLDWIDE}
        for place in ("country", "region", "world"):
            if place in entry["places"]:
                reasons.append(
                    "{} ({})".format(
                        templates[place].format(areas=area_names, country=country.name, region=region_name),
                        _initiative_counts(entry["places"][place]),
                    )
                )
        if entry["funds"]:
            reasons.append(str(DONOR))
        matches.append(
            Match(
                org,
                entry["score"] + (0.5 if entry["funds"] else 0),
                reasons,
                "donor" if entry["funds"] else "implementer",
            )
        )
    matches.sort(key=lambda m: (-m.score, str(m.obj)))
    return matches[:limit]


def opportunities_for(user, country, areas, limit=LIMIT):
    """Opportunities on these areas open to the country (by country, region, or open to all), deadline
    not passed."""
    today = timezone.localdate()
    regions = list(Region.objects.filter(countries=country))
    queryset = (
        permissions.restrict(Opportunity.objects.all(), user)
        .filter(status=Status.PUBLISHED, thematic_areas__in=areas)
        .filter(Q(application_deadline__isnull=True) | Q(application_deadline__gte=today))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .annotate(
            shared=Count("thematic_areas", filter=Q(thematic_areas__in=areas), distinct=True),
            for_country=Count("eligible_countries", filter=Q(eligible_countries=country), distinct=True),
            for_region=Count("eligible_regions", filter=Q(eligible_regions__in=regions), distinct=True),
            restricted=Count("eligible_countries", distinct=True) + Count("eligible_regions", distinct=True),
        )
        .filter(Q(restricted=0) | Q(for_country__gt=0) | Q(for_region__gt=0))
        .distinct()
    )
    matches = []
    for opp in queryset[:200]:
        reasons, score = [], float(opp.shared)
        if opp.for_country:
            reasons.append(ELIGIBLE_COUNTRY.format(country=country.name))
            score += 2
        elif opp.for_region:
            reasons.append(ELIGIBLE_REGION.format(region=", ".join(str(r) for r in regions[:2])))
            score += 1
        else:
            reasons.append(str(OPEN_TO_ALL))
        if opp.funding_available:
            reasons.append(str(FUNDED))
            score += 0.5
        if opp.application_deadline:
            reasons.append(DEADLINE.format(date=opp.application_deadline.isoformat()))
        matches.append(Match(opp, score, [str(r) for r in reasons], "opportunity"))
    matches.sort(key=lambda m: (-m.score, m.obj.application_deadline or today, m.obj.pk))
    return matches[:limit]


def experts_for(user, country, areas, limit=LIMIT):
    """Experts on the roster whose fields of expertise serve these areas; same country first, then region."""
    codes = sorted({code for a in areas for code in EXPERTISE_FOR_AREA.get(a.code, [])})
    if not codes:
        return []
    regions = list(Region.objects.filter(countries=country, kind__in=["cbd_group", "un_subregion"]))
    queryset = (
        permissions.restrict(Expert.objects.all(), user)
        .filter(status=Status.PUBLISHED, nominated_at__gte=roster_cutoff(), expertise__code__in=codes)
        .exclude(availability=Availability.UNAVAILABLE)
        .select_related("country")
        .annotate(shared=Count("expertise", filter=Q(expertise__code__in=codes), distinct=True))
        .distinct()
    )
    region_countries = set(
        Region.countries.through.objects.filter(region__in=regions).values_list("country_id", flat=True)
    )
    matches = []
    for expert in queryset[:300]:
        fields = [str(t) for t in expert.expertise.all() if t.code in codes]
        reasons, score = [EXPERT_AREAS.format(fields=", ".join(fields[:3]))], float(expert.shared)
        if expert.country_id == country.pk:
            reasons.append(SAME_COUNTRY.format(country=country.name))
            score += 2
        elif expert.country_id in region_countries:
            reasons.append(SAME_REGION.format(region=str(regions[0]) if regions else ""))
            score += 1
        if expert.availability == Availability.AVAILABLE:
            reasons.append(str(AVAILABLE))
            score += 0.5
        matches.append(Match(expert, score, [str(r) for r in reasons], "expert"))
    matches.sort(key=lambda m: (-m.score, str(m.obj)))
    return matches[:limit]


def public_cache(name):
    """Cache a matchmaking result for readers who see only published records, until the data change."""

    def decorator(function):
        def wrapper(user, obj, limit=LIMIT):
            from django.core.cache import cache

            from capacityhub.core.multilingual import current_language

            from .coverage import generation
            from .frame import sees_unpublished

            if user is not None and sees_unpublished(user):
                return function(user, obj, limit)
            key = "coordination:{}:{}:{}:{}:{}".format(name, generation(), current_language(), obj.pk, limit)
            found = cache.get(key)
            if found is None:
                found = function(None, obj, limit)
                cache.set(key, found, 3600)
            return found

        wrapper.__doc__ = function.__doc__
        wrapper.uncached = function
        return wrapper

    return decorator


@public_cache("need")
def matches_for_need(user, need, limit=LIMIT):
    areas = list(need.thematic_areas.all())
    return {
        "organizations": organizations_for(user, need.country, areas, limit),
        "opportunities": opportunities_for(user, need.country, areas, limit),
        "experts": experts_for(user, need.country, areas, limit),
    }


@public_cache("partners")
def partners_for(user, organization, limit=LIMIT):
    """Organizations active on the same thematic areas in the same places as ``organization``, ranked by
    how many (place, area) they share with it. Two grouped queries over the footprint."""
    from capacityhub.reference.models import Country, Term

    from .models import Footprint

    mine = Participation.objects.filter(organization=organization).values("initiative_id")
    rows = visible_footprint(user).filter(state__in=COUNTED_STATES)
    shared = rows.filter(
        Exists(
            Footprint.objects.filter(initiative_id__in=mine, place=OuterRef("place"), area=OuterRef("area"))
        )
    )
    organization_path = "initiative__participations__organization_id"
    ranked = list(
        shared.exclude(**{organization_path: organization.pk})
        .exclude(**{organization_path + "__isnull": True})
        .values(organization_path)
        .annotate(keys=Count(F("place") * 100000 + F("area_id"), distinct=True))
        .order_by("-keys", organization_path)[: limit * 3]
    )
    if not ranked:
        return []
    top = [row[organization_path] for row in ranked]
    keys = {}
    for org_id, place, area_id in (
        shared.filter(**{organization_path + "__in": top})
        .values_list(organization_path, "place", "area_id")
        .distinct()
    ):
        keys.setdefault(org_id, set()).add((place, area_id))
    together = dict(
        Participation.objects.filter(organization_id__in=top, initiative_id__in=mine)
        .values_list("organization_id")
        .annotate(n=Count("initiative_id", distinct=True))
        .order_by()
    )
    places = {p for found in keys.values() for p, _a in found}
    country_names = {
        c.pk: c.name for c in Country.objects.filter(pk__in=[p for p in places if 0 < p < REGION_OFFSET])
    }
    region_names = {
        r.pk + REGION_OFFSET: str(r)
        for r in Region.objects.filter(pk__in=[p - REGION_OFFSET for p in places if p >= REGION_OFFSET])
    }
    area_names = {
        t.pk: str(t) for t in Term.objects.filter(pk__in={a for found in keys.values() for _p, a in found})
    }
    orgs = permissions.restrict(Organization.objects.filter(pk__in=top), user).filter(
        merged_into__isnull=True
    )
    by_id = {o.pk: o for o in orgs}
    matches = []
    for row in ranked:
        org = by_id.get(row[organization_path])
        if org is None:
            continue
        found = keys.get(org.pk, set())
        names = sorted(
            {country_names.get(p) or region_names.get(p) or str(_("worldwide")) for p, _a in found}
        )
        areas = sorted({area_names[a] for _p, a in found if a in area_names})
        reasons = [PARTNER.format(areas=", ".join(areas[:3]), places=", ".join(names[:4]))]
        if together.get(org.pk):
            reasons.append(ALREADY.format(count=together[org.pk]))
        matches.append(Match(org, float(row["keys"]), [str(r) for r in reasons], "partner"))
    matches.sort(key=lambda m: (-m.score, str(m.obj)))
    return matches[:limit]


@public_cache("country")
def organizations_in_country(user, country, limit=LIMIT):
    """Organizations working in a country, on any area (for the country page)."""
    from capacityhub.reference.models import Term

    areas = list(Term.objects.of("thematic-areas"))
    return organizations_for(user, country, areas, limit)
