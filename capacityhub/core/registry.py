"""The registry of record types: one descriptor per type declares every piece the generic views,
the API and the exports need (NetBox's pattern: views only declare attributes)."""

from dataclasses import dataclass, field

from django.urls import reverse


@dataclass
class Facet:
    """A facet of a list: the filter parameter it sets and the lookup it counts on."""

    param: str  # query parameter, shared with the FilterSet
    label: str
    lookup: str  # ORM path counted, e.g. "countries__iso2"
    labels: object = None  # callable(values) -> {value: label}; default: the value itself
    limit: int = 12


@dataclass
class RecordType:
    key: str  # "initiative"
    model: type
    namespace: str  # URL namespace: the app's label, e.g. "registry"
    path: str  # URL path segment, e.g. "initiatives"
    filterset: type
    form: type
    list_columns: list = field(default_factory=list)
    facets: list = field(default_factory=list)
    sorts: dict = field(default_factory=dict)  # key -> (label, ordering tuple)
    default_sort: str = "-updated"
    inlines: list = field(default_factory=list)  # formset classes for related rows (countries %, roles)
    list_select_related: tuple = ()
    list_prefetch_related: tuple = ()
    detail_select_related: tuple = ()
    detail_prefetch_related: tuple = ()
    list_template: str = "core/record_list.html"
    detail_template: str = ""
    row_template: str = ""
    icon: str = ""

    @property
    def verbose_name(self):
        return self.model._meta.verbose_name

    @property
    def verbose_name_plural(self):
        return self.model._meta.verbose_name_plural

    def url_name(self, view):
        suffix = {"list": "_list", "detail": "", "add": "_add", "edit": "_edit"}.get(view, "_" + view)
        return f"{self.namespace}:{self.key}{suffix}"

    def url(self, view, **kwargs):
        return reverse(self.url_name(view), kwargs=kwargs or None)

    def get_list_url(self):
        return self.url("list")


class Registry:
    def __init__(self):
        self._types = {}

    def register(self, record_type):
        if record_type.key in self._types:
            raise ValueError(f"Record type {record_type.key} is registered already")
        self._types[record_type.key] = record_type
        record_type.model.record_type = record_type
        return record_type

    def __getitem__(self, key):
        return self._types[key]

    def __iter__(self):
        return iter(self._types.values())

    def __contains__(self, key):
        return key in self._types

    def for_model(self, model):
        return model.record_type


registry = Registry()
