"""Plain-language explanations of why two initiatives may overlap or be duplicates, built from translatable
sentences and the pair's figures, in the reader's language."""

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from capacityhub.reference.models import Region
from capacityhub.registry.models import Initiative, InitiativeCountry, InitiativeRegion, Participation

from .keys import label, normalize_identifier
from .models import InitiativeKey
from .similarity import is_duplicate_value

LIKELY_DUPLICATE = _("Probably the same initiative registered twice.")
POSSIBLE_OVERLAP = _("Possible duplication of effort.")
SAME_IDENTIFIER = _("They carry the same identifier ({identifier}).")
SHARED_PLACES = _("Both work in {places}.")
SHARED_AREAS = _("Both address {areas}.")
REGIONAL_COVERS = _("The regional initiative “{initiative}” covers {countries}, where the other one works.")
PERIOD = _("Their periods overlap for {months} months ({share} of the shorter one).")
NO_DATES = _("Their periods cannot be compared: dates are missing.")
DATES_CLOSE = _("Their start and end dates are {days} days apart in all.")
TEXT = _("Their descriptions and objectives are {percent} similar in wording (all their languages compared).")
TITLE = _("Their titles are {percent} similar.")
BUDGET = _("Their budgets are within {percent} of each other.")
NO_SHARED_ORGS = _("They share no organization.")


def percent(value):
    return "{}%".format(number_format(round(100 * float(value))))


def listing(names, limit=4):
    names = [str(n) for n in names]
    if len(names) > limit:
        more = len(names) - limit
        names = names[:limit] + [ngettext("{count} other", "{count} others", more).format(count=more)]
    return ", ".join(names)


def shared_orgs_sentence(names):
    count = len(names)
    return ngettext(
        "They share an organization: {names}.", "They share {count} organizations: {names}.", count
    ).format(count=count, names=listing(names))


def related(initiative_ids):
    """Countries, regions, areas, organizations and identifier keys of these initiatives, in 5 queries."""
    ids = list(initiative_ids)
    data = {
        pk: {
            "places": {},
            "areas": {},
            "orgs": {},
            "identifiers": set(),
            "raw": {},
            "covers": {},
            "title": "",
        }
        for pk in ids
    }
    for row in InitiativeCountry.objects.filter(initiative_id__in=ids).select_related("country"):
        data[row.initiative_id]["places"]["c{}".format(row.country_id)] = row.country.name
    regions = {}
    for row in InitiativeRegion.objects.filter(initiative_id__in=ids).select_related("region"):
        data[row.initiative_id]["places"]["r{}".format(row.region_id)] = str(row.region)
        regions.setdefault(row.region_id, []).append(row.initiative_id)
    # The countries each regional initiative covers (its regions' members).
    members = Region.countries.through.objects.filter(region_id__in=list(regions)).select_related("country")
    for member in members:
        for initiative_id in regions[member.region_id]:
            data[initiative_id]["covers"]["c{}".format(member.country_id)] = member.country.name
    for initiative in Initiative.objects.filter(pk__in=ids).prefetch_related("thematic_areas"):
        data[initiative.pk]["title"] = initiative.display_title()
        data[initiative.pk]["areas"] = {t.pk: str(t) for t in initiative.thematic_areas.all()}
        data[initiative.pk]["raw"] = {
            "ID:" + normalize_identifier(v): v
            for v in (initiative.project_number, initiative.iati_identifier)
            if v
        }
        if initiative.geographic_scope == "global":
            data[initiative.pk]["places"]["global"] = str(_("the whole world"))
    for initiative_id, key in InitiativeKey.objects.filter(initiative_id__in=ids).values_list(
        "initiative_id", "key"
    ):
        data[initiative_id]["identifiers"].add(key)
    for row in Participation.objects.filter(initiative_id__in=ids).select_related("organization"):
        data[row.initiative_id]["orgs"][row.organization_id] = row.organization.display_title()
    return data


def shared_identifiers(a, b):
    """The identifiers two initiatives share, as readers know them: a donor's id once ("GEF 4444", not also
    the project number "GEF-4444" it was read from), other identifiers as written."""
    same = sorted(a["identifiers"] & b["identifiers"])
    donor = [k.partition(":")[2] for k in same if not k.startswith("ID:")]
    shown = [k for k in same if not k.startswith("ID:") or not any(v in k for v in donor)]
    return [a["raw"].get(k) or b["raw"].get(k) or label(k) for k in shown]


def explain(pair, info=None):
    """The sentences explaining ``pair`` (an OverlapPair), most telling first."""
    info = info or related([pair.initiative_a_id, pair.initiative_b_id])
    a, b = info[pair.initiative_a_id], info[pair.initiative_b_id]
    sentences = [LIKELY_DUPLICATE if is_duplicate_value(pair.duplicate_score) else POSSIBLE_OVERLAP]
    if pair.same_identifier:
        sentences.append(SAME_IDENTIFIER.format(identifier=", ".join(shared_identifiers(a, b))))
    places = [a["places"][k] for k in a["places"] if k in b["places"]]
    if places:
        sentences.append(SHARED_PLACES.format(places=listing(places)))
    # A regional initiative covering countries the other one lists.
    for regional, other in ((a, b), (b, a)):
        covered = [
            other["places"][k]
            for k in other["places"]
            if k in regional["covers"] and k not in regional["places"]
        ]
        if covered:
            sentences.append(REGIONAL_COVERS.format(initiative=regional["title"], countries=listing(covered)))
    areas = [a["areas"][k] for k in a["areas"] if k in b["areas"]]
    if areas:
        sentences.append(SHARED_AREAS.format(areas=listing(areas, 3)))
    if pair.overlap_days > 0:
        sentences.append(
            PERIOD.format(
                months=number_format(round(pair.overlap_days / 30.44)), share=percent(pair.period_overlap)
            )
        )
    elif pair.date_distance_days < 0:
        sentences.append(NO_DATES)
    if pair.date_distance_days >= 0 and is_duplicate_value(pair.duplicate_score):
        sentences.append(DATES_CLOSE.format(days=number_format(pair.date_distance_days)))
    sentences.append(TEXT.format(percent=percent(pair.text_similarity)))
    if pair.title_similarity >= 0.3:
        sentences.append(TITLE.format(percent=percent(pair.title_similarity)))
    orgs = [a["orgs"][k] for k in a["orgs"] if k in b["orgs"]]
    sentences.append(shared_orgs_sentence(orgs) if orgs else NO_SHARED_ORGS)
    if pair.budget_ratio is not None and pair.budget_ratio >= 0.8:
        sentences.append(BUDGET.format(percent=percent(1 - pair.budget_ratio)))
    return [str(s) for s in sentences]


def explain_all(pairs):
    """Set ``pair.reasons`` on each pair of a page, with the related data read once."""
    pairs = list(pairs)
    ids = {p.initiative_a_id for p in pairs} | {p.initiative_b_id for p in pairs}
    info = related(ids)
    for pair in pairs:
        pair.reasons = explain(pair, info)
    return pairs
