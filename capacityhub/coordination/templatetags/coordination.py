"""Template helpers of the coordination pages and of the blocks other pages include."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format

from capacityhub.coordination import matching, quality, similarity
from capacityhub.coordination.choices import Decision
from capacityhub.coordination.coverage import Filters, coverage
from capacityhub.coordination.explain import explain_all
from capacityhub.coordination.gaps import find_gaps, gap_needs
from capacityhub.coordination.models import InitiativeMerge

register = template.Library()


@register.filter
def usd(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "—"
    if value >= 1e6:
        return "{} M".format(number_format(round(value / 1e6, 1)))
    return intcomma(int(round(value)))


@register.filter
def metric_value(value, metric):
    if metric == "funding":
        return usd(value)
    try:
        return intcomma(int(round(float(value))))
    except (TypeError, ValueError):
        return value


@register.filter
def percent(value):
    try:
        return "{}%".format(number_format(round(100 * float(value))))
    except (TypeError, ValueError):
        return "—"


@register.filter
def mul(value, factor):
    try:
        return round(float(value) * float(factor), 1)
    except (TypeError, ValueError):
        return 0


@register.filter
def bar_height(count):
    return 22 * int(count) + 4


@register.filter
def decision_label(value):
    return dict(Decision.choices).get(value, value)


@register.filter
def pair_with(a, b):
    return [a, b]


@register.filter
def missing_labels(codes):
    labels = {c.code: c.label for c in quality.initiative_checks()}
    return ", ".join(str(labels.get(code, code)) for code in codes or [])


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def need_matches(context, need, limit=5):
    return matching.matches_for_need(_user(context), need, limit)


@register.simple_tag(takes_context=True)
def organization_partners(context, organization, limit=8):
    return matching.partners_for(_user(context), organization, limit)


@register.simple_tag(takes_context=True)
def country_coordination(context, country):
    user = _user(context)
    filters = Filters(country=[country.iso2])
    cov = coverage(user, filters)
    areas = []
    if cov.countries:
        for j, area in enumerate(cov.areas):
            active, planned, needs = int(cov.active[0, j]), int(cov.planned[0, j]), int(cov.needs[0, j])
            if active or planned or needs:
                areas.append(
                    {
                        "area": area,
                        "active": active,
                        "planned": planned,
                        "needs": needs,
                        "gap": bool(needs and not (active or planned)),
                    }
                )
    gaps = find_gaps(user, filters)
    return {
        "areas": areas,
        "gap_needs": gap_needs(gaps, gaps.need_ids[:10]),
        "organizations": matching.organizations_in_country(user, country, 6),
    }


@register.simple_tag(takes_context=True)
def initiative_coordination(context, initiative):
    from capacityhub.coordination.selectors import visible_pairs

    user = _user(context)
    pairs = list(visible_pairs(user, "overlap", review="all").involving(initiative.pk)[:5]) + list(
        visible_pairs(user, "duplicate", review="all").involving(initiative.pk)[:5]
    )
    explain_all(pairs)
    return {
        "pairs": [
            (p, p.initiative_b if p.initiative_a_id == initiative.pk else p.initiative_a) for p in pairs
        ],
        "duplicate_threshold": similarity.DUPLICATE_THRESHOLD,
        "merged_into": InitiativeMerge.objects.filter(duplicate=initiative).select_related("kept").first(),
        "merged": list(InitiativeMerge.objects.filter(kept=initiative)),
        "quality": quality.completeness(initiative),
        "freshness": quality.freshness(initiative),
    }


@register.simple_tag
def record_quality(record):
    if type(record) not in quality.CHECKS:
        return None
    return {"completeness": quality.completeness(record), "freshness": quality.freshness(record)}


@register.simple_tag(takes_context=True)
def organization_quality(context, organization):
    from capacityhub.coordination.quality_summary import organization_quality as figures

    return figures(_user(context), organization)


@register.simple_tag(takes_context=True)
def my_records_to_update(context):
    from capacityhub.coordination.quality_summary import records_to_update

    user = _user(context)
    if not user or not user.is_authenticated:
        return []
    return records_to_update(user, 20)
