"""Reads shared by list pages, the API and exports: visible records, facet counts, sorting."""

from django.db.models import Count

from . import permissions


def visible(record_type, user, action=permissions.VIEW):
    return permissions.restrict(record_type.model.objects.all(), user, action)


def facet_counts(record_type, queryset, active):
    """Counts per value of each facet, over the filtered ``queryset`` (one aggregate query per facet).

    Returns ``[{"facet": Facet, "items": [{"value", "label", "count", "active"}]}]``."""
    results = []
    base = queryset.order_by()
    for facet in record_type.facets:
        rows = (
            base.exclude(**{f"{facet.lookup}__isnull": True})
            .values_list(facet.lookup)
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", facet.lookup)[: facet.limit]
        )
        rows = [(value, n) for value, n in rows]
        selected = active.get(facet.param, [])
        present = {str(value) for value, _n in rows}
        wanted = [value for value, _n in rows] + [v for v in selected if v not in present]
        labels = {str(k): v for k, v in (facet.labels(wanted) if facet.labels else {}).items()}
        items = [
            {
                "value": str(value),
                "label": labels.get(str(value), value),
                "count": n,
                "active": str(value) in selected,
            }
            for value, n in rows
        ]
        for value in selected:  # keep a selected value visible even with no records left
            if value not in present:
                items.append({"value": value, "label": labels.get(value, value), "count": 0, "active": True})
        results.append({"facet": facet, "items": items})
    return results


def apply_sort(record_type, queryset, sort):
    key = sort if sort in record_type.sorts else record_type.default_sort
    return queryset.order_by(*record_type.sorts[key][1], "-pk"), key
