"""Labels for facet values and choices: countries, regions, terms, organizations."""

from capacityhub.core.multilingual import resolve

from .models import Country, Organization, Region, Term


def country_labels(values):
    codes = [v for v in values if v]
    return {c.iso2: c.name for c in Country.objects.filter(iso2__in=codes)}


def region_labels(values):
    return {r.code: str(r) for r in Region.objects.filter(code__in=[v for v in values if v])}


def term_labels(vocabulary):
    def labels(values):
        terms = Term.objects.filter(vocabulary__code=vocabulary, code__in=[str(v) for v in values if v])
        return {t.code: resolve(t.label)[0] or t.code for t in terms}

    return labels


def organization_labels(values):
    ids = [int(v) for v in values if str(v).isdigit()]
    return {o.pk: o.display_title() for o in Organization.objects.filter(pk__in=ids)}


def choice_labels(choices):
    mapping = dict(choices)

    def labels(values):
        return {v: mapping.get(v, v) for v in values}

    return labels
