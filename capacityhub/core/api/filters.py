"""Filtering and pagination of API lists: the pages' own FilterSets, the pages' sort keys, and page sizes."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_array_type, build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.pagination import PageNumberPagination

from capacityhub.core.filtersets import CodeFilter


class RecordPagination(PageNumberPagination):
    """``?page=2&page_size=50`` (at most 200); the answer carries ``count``, ``next``, ``previous``."""

    page_size_query_param = "page_size"
    max_page_size = 200
    page_size_query_description = _("Number of results per page (at most 200).")


class RecordFilterBackend(DjangoFilterBackend):
    """django-filter with the record type's FilterSet: the very one its list page uses."""


class RecordFilterExtension(DjangoFilterExtension):
    """OpenAPI for the shared FilterSets: code filters take a value repeated or comma-separated."""

    target_class = RecordFilterBackend
    match_subclasses = True
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if isinstance(filter_field, CodeFilter):
            label = str(filter_field.label or field_name)
            return [
                build_parameter_type(
                    name=field_name,
                    location=OpenApiParameter.QUERY,
                    required=False,
                    description="{}: codes, repeated (?{name}=A&{name}=B) or comma-separated (?{name}=A,B); "
                    "records matching any of them.".format(label, name=field_name),
                    schema=build_array_type(build_basic_type(OpenApiTypes.STR)),
                    explode=True,
                    style="form",
                )
            ]
        return super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
