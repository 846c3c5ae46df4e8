"""Reads shared by the pages and the API: pairs a user may see, filter options, the check at entry time."""

import numpy as np
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.dateparse import parse_date

from capacityhub.core import permissions
from capacityhub.core.choices import Status
from capacityhub.core.multilingual import current_language
from capacityhub.reference.choices import RegionKind
from capacityhub.reference.models import Country, Organization, Region, Term
from capacityhub.registry.models import Initiative, Participation

from . import similarity
from .analysis import stored_idf, usd_rates
from .choices import FUNDING_ROLES, IMPLEMENTING_ROLES, Decision
from .frame import NO_DAY, Frame, day, load_frame
from .keys import field_keys, multilingual_values, text_keys
from .models import InitiativeKey, OverlapPair, PairReview

REVIEW_FILTERS = ("pending", "all", *Decision.values)
STRENGTHS = ("all", "strong")


def visible_pairs(user, kind, filters=None, review="pending", strength="all"):
    """Pairs of ``kind`` ("overlap" or "duplicate") whose two initiatives ``user`` may see, with the
    review decision annotated (``decision``, ``review_comment``)."""
    pairs = OverlapPair.objects.all()
    if kind == "duplicate":
        pairs = pairs.filter(duplicate_score__gte=similarity.DUPLICATE_THRESHOLD).order_by(
            "-duplicate_score", "pk"
        )
    else:
        strong = strength == "strong"
        pairs = pairs.filter(
            score__gte=similarity.OVERLAP_THRESHOLD if strong else similarity.WEAK_OVERLAP_THRESHOLD,
            text_similarity__gte=similarity.TEXT_GATE if strong else similarity.WEAK_TEXT_GATE,
            duplicate_score__lt=similarity.DUPLICATE_THRESHOLD,
        ).order_by("-score", "pk")
    if user is None or not user.is_authenticated:
        pairs = pairs.filter(initiative_a__status=Status.PUBLISHED, initiative_b__status=Status.PUBLISHED)
    elif not user.is_secretariat:
        visible = permissions.restrict(Initiative.objects.all(), user).values("pk")
        pairs = pairs.filter(initiative_a__in=visible, initiative_b__in=visible)
    if filters is not None:
        if filters.country:
            ids = Initiative.objects.filter(countries__iso2__in=filters.country).values("pk")
            pairs = pairs.filter(Q(initiative_a__in=ids) | Q(initiative_b__in=ids))
        if filters.region:
            ids = Initiative.objects.filter(
                Q(countries__regions__code=filters.region) | Q(regions__code=filters.region)
            ).values("pk")
            pairs = pairs.filter(Q(initiative_a__in=ids) | Q(initiative_b__in=ids))
        if filters.area:
            ids = Initiative.objects.filter(thematic_areas__code__in=filters.area).values("pk")
            pairs = pairs.filter(initiative_a__in=ids, initiative_b__in=ids)
        if filters.donor or filters.implementer:
            ids = filters.initiatives(Initiative.objects.all()).values("pk")
            pairs = pairs.filter(Q(initiative_a__in=ids) | Q(initiative_b__in=ids))
    reviews = PairReview.objects.filter(
        initiative_a=OuterRef("initiative_a"), initiative_b=OuterRef("initiative_b")
    )
    pairs = pairs.annotate(
        decision=Subquery(reviews.values("decision")[:1]),
        review_comment=Subquery(reviews.values("comment")[:1]),
    )
    if review == "pending":
        pairs = pairs.filter(decision__isnull=True)
    elif review in Decision.values:
        pairs = pairs.filter(decision=review)
    return pairs.select_related("initiative_a__publisher", "initiative_b__publisher")


def pair_reliance(pairs):
    """How many of these pairs involve a stale or an incomplete initiative."""
    from .models import InitiativeFacts
    from .quality import INCOMPLETE_BELOW

    # Staleness and completeness as the analysis stored them (each save, and the nightly run).
    weak = InitiativeFacts.objects.filter(Q(stale=True) | Q(completeness__lt=INCOMPLETE_BELOW)).values(
        "initiative_id"
    )
    total = pairs.count()
    return {
        "total": total,
        "weak": pairs.filter(Q(initiative_a__in=weak) | Q(initiative_b__in=weak)).count() if total else 0,
    }


def pair_for(user, a_id, b_id):
    a_id, b_id = sorted((int(a_id), int(b_id)))
    visible = permissions.restrict(Initiative.objects.all(), user)
    a = visible.filter(pk=a_id).first()
    b = visible.filter(pk=b_id).first()
    return a, b, OverlapPair.objects.filter(initiative_a_id=a_id, initiative_b_id=b_id).first()


OPTIONS_GENERATION_KEY = "coordination:options-generation"
OPTIONS_SECONDS = 3600


def filter_options():
    """Choices for the filter forms. Cached for an hour and refreshed by each full analysis, not by every
    save: counting every organization's initiatives is the slowest part of a page, and one saved initiative
    hardly changes which donors and implementers are the most active (a new one appears within the hour)."""
    from django.core.cache import cache

    key = "coordination:options:{}:{}".format(cache.get(OPTIONS_GENERATION_KEY, 0), current_language())
    options = cache.get(key)
    if options is None:
        options = compute_filter_options()
        cache.set(key, options, OPTIONS_SECONDS)
    return options


def refresh_filter_options():
    from django.core.cache import cache

    try:
        cache.incr(OPTIONS_GENERATION_KEY)
    except ValueError:
        cache.set(OPTIONS_GENERATION_KEY, 1, None)


def compute_filter_options():
    """Choices for the filter forms: donors and implementers that appear, regions, groups, areas."""

    def organizations(roles):
        ids = (
            Participation.objects.filter(role__code__in=roles, initiative__status=Status.PUBLISHED)
            .values_list("organization_id")
            .annotate(n=Count("initiative_id", distinct=True))
            .order_by("-n")[:60]
        )
        orgs = Organization.objects.in_bulk([pk for pk, _n in ids])
        return sorted(
            ((pk, orgs[pk].display_title()) for pk, _n in ids if pk in orgs), key=lambda x: x[1].casefold()
        )

    regions = Region.objects.filter(kind__in=[RegionKind.CBD_GROUP, RegionKind.UN_REGION]).order_by(
        "kind", "position"
    )
    groups = Region.objects.filter(kind=RegionKind.SPECIAL_GROUP).order_by("position", "code")
    return {
        "donors": organizations(FUNDING_ROLES),
        "implementers": organizations(IMPLEMENTING_ROLES),
        "regions": [(r.code, str(r)) for r in regions],
        "groups": [(r.code, str(r)) for r in groups],
        "areas": [(t.code, str(t)) for t in Term.objects.of("thematic-areas").order_by("position")],
    }


# -- the check at entry time ------------------------------------------------------------------------------


def _multilingual(data, name):
    value = {}
    for key in data:
        if key == name:
            value["en"] = data.get(key)
        elif key.startswith(name + "_") and len(key) <= len(name) + 3:
            value[key[len(name) + 1 :]] = data.get(key)
    return {k: v for k, v in value.items() if v}


def _ids_from(data, prefix, field):
    """Values of an inline formset's column (``countries-0-country``) that are not marked for deletion."""
    found = []
    for key in data:
        if key.startswith(prefix + "-") and key.endswith("-" + field):
            row = key[: -len(field)]
            if not data.get(row + "DELETE") and str(data.get(key)).strip().isdigit():
                found.append(int(data.get(key)))
    return found


def draft_from(data):
    """An unsaved initiative described by the initiative form's fields (or simpler API parameters)."""
    countries = _ids_from(data, "countries", "country")
    iso = [c.strip().upper() for v in data.getlist("country") for c in v.split(",") if c.strip()]
    if iso:
        countries += list(Country.objects.filter(iso2__in=iso).values_list("pk", flat=True))
    regions = _ids_from(data, "regions", "region")
    areas = [int(v) for v in data.getlist("thematic_areas") if str(v).isdigit()]
    codes = [c.strip() for v in data.getlist("area") for c in v.split(",") if c.strip()]
    if codes:
        areas += list(Term.objects.of("thematic-areas").filter(code__in=codes).values_list("pk", flat=True))
    organizations = _ids_from(data, "participations", "organization")
    organizations += [int(v) for v in data.getlist("organization") if str(v).isdigit()]
    if str(data.get("publisher", "")).isdigit():
        organizations.append(int(data["publisher"]))

    def when(*names):
        for name in names:
            value = parse_date(str(data.get(name) or "")) if data.get(name) else None
            if value:
                return value
        return None

    return {
        "title": _multilingual(data, "title"),
        "description": _multilingual(data, "description"),
        "objectives": _multilingual(data, "objectives"),
        "countries": sorted(set(countries)),
        "regions": sorted(set(regions)),
        "areas": sorted(set(areas)),
        "organizations": sorted(set(organizations)),
        "start": when("actual_start", "planned_start", "start"),
        "end": when("actual_end", "planned_end", "end"),
        "scope": data.get("geographic_scope") or "national",
        "identifiers": [
            v for v in (data.get("project_number"), data.get("iati_identifier"), data.get("identifier")) if v
        ],
        "exclude": int(data["pk"]) if str(data.get("pk", "")).isdigit() else None,
    }


def check_initiative(user, draft, limit=5):
    """Existing initiatives (that ``user`` may see) which the draft may duplicate or overlap, scored with
    the analysis's own functions. Returns ``[(initiative, scores dict)]``, likely duplicates first."""
    if not (draft["title"] or draft["description"] or draft["identifiers"]):
        return []
    visible = permissions.restrict(Initiative.objects.all(), user).exclude(status=Status.ARCHIVED)
    if draft["exclude"]:
        visible = visible.exclude(pk=draft["exclude"])
    place = Q(pk__in=[])
    if draft["countries"]:
        place |= Q(
            pk__in=Initiative.countries.through.objects.filter(country_id__in=draft["countries"]).values(
                "initiative_id"
            )
        )
    members = Region.countries.through.objects
    regions = Initiative.regions.through.objects
    if draft["countries"]:
        # Regional initiatives covering its countries.
        covering = members.filter(country_id__in=draft["countries"]).values("region_id")
        place |= Q(pk__in=regions.filter(region_id__in=covering).values("initiative_id"))
    if draft["regions"]:
        place |= Q(pk__in=regions.filter(region_id__in=draft["regions"]).values("initiative_id"))
        # National initiatives in the countries its regions cover.
        covered = members.filter(region_id__in=draft["regions"]).values("country_id")
        place |= Q(
            pk__in=Initiative.countries.through.objects.filter(country_id__in=covered).values("initiative_id")
        )
    if draft["scope"] == "global":
        place |= Q(geographic_scope="global")
    candidates = visible.filter(place)
    if draft["areas"]:
        candidates = candidates.filter(
            pk__in=Initiative.thematic_areas.through.objects.filter(term_id__in=draft["areas"]).values(
                "initiative_id"
            )
        )
    ids = set(candidates.values_list("pk", flat=True)[:3000])
    keys = draft_keys(draft)
    if keys:
        ids |= set(
            visible.filter(
                pk__in=InitiativeKey.objects.filter(key__in=sorted(keys)).values("initiative_id")
            ).values_list("pk", flat=True)[:50]
        )
    if not ids:
        return []
    frame = load_frame(sorted(ids))
    frame = _with_draft(frame, draft)
    vectors, _idf = similarity.vectorize(frame, idf=stored_idf(), rates=usd_rates())
    row = len(frame) - 1
    scores = similarity.score_pairs(vectors, np.full(row, row), np.arange(row))
    # At entry time the organizations may not be filled in yet: a similar title and text in the same place
    # is enough to warn.
    likely = (
        (scores.duplicate_score >= similarity.DUPLICATE_THRESHOLD)
        | scores.same_identifier
        | ((scores.countries > 0) & (scores.text >= 0.5) & (scores.title >= 0.5))
        | ((scores.countries > 0) & (scores.text >= 0.3) & (scores.title >= 0.6))
    )
    relevant = likely | ((scores.countries > 0) & (scores.text >= similarity.TEXT_GATE * 0.8))
    order = np.argsort(-(np.maximum(scores.duplicate_score, scores.score) + likely))
    chosen = [i for i in order if relevant[i]][:limit]
    found = Initiative.objects.in_bulk([int(frame.ids[scores.b[i]]) for i in chosen])
    results = []
    for i in chosen:
        initiative = found.get(int(frame.ids[scores.b[i]]))
        if initiative is None:
            continue
        results.append(
            (
                initiative,
                {
                    "score": float(scores.score[i]),
                    "duplicate_score": float(scores.duplicate_score[i]),
                    "likely_duplicate": bool(likely[i]),
                    "text": float(scores.text[i]),
                    "title": float(scores.title[i]),
                    "same_identifier": bool(scores.same_identifier[i]),
                },
            )
        )
    return results


def draft_keys(draft):
    """Identifier keys of a draft: its identifiers, and donor ids mentioned in its texts."""
    texts = multilingual_values(draft["title"], draft["description"], draft["objectives"])
    return field_keys(*draft["identifiers"]) | text_keys(texts)


def _with_draft(frame: Frame, draft):
    """``frame`` with the draft appended as its last row (id 0)."""
    n = len(frame)

    def stack(array, rows, width):
        extra = np.array(rows, dtype=array.dtype).reshape(-1, width)
        return np.vstack([array.reshape(-1, width), extra]) if len(extra) else array

    frame.ids = np.append(frame.ids, 0)
    frame.status = np.append(frame.status, "draft")
    frame.state = np.append(frame.state, 0)
    frame.scope = np.append(frame.scope, draft["scope"])
    frame.budget = np.append(frame.budget, np.nan)
    frame.currency = np.append(frame.currency, "")
    frame.start = np.append(frame.start, day(draft["start"]) if draft["start"] else NO_DAY).astype(np.int32)
    frame.end = np.append(frame.end, day(draft["end"]) if draft["end"] else NO_DAY).astype(np.int32)
    frame.publisher = np.append(frame.publisher, 0)
    frame.texts = frame.texts + [
        [
            ("title", draft["title"]),
            ("description", draft["description"]),
            ("objectives", draft["objectives"]),
        ]
    ]
    frame.identifiers = frame.identifiers + [sorted(field_keys(*draft["identifiers"]))]
    frame.countries = stack(frame.countries, [[n, c, np.nan] for c in draft["countries"]], 3)
    frame.regions = stack(frame.regions, [[n, r, np.nan] for r in draft["regions"]], 3)
    frame.areas = stack(frame.areas, [[n, a] for a in draft["areas"]], 2)
    frame.organizations = stack(frame.organizations, [[n, o, 0] for o in draft["organizations"]], 3)
    return frame
