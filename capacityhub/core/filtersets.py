"""Filter sets shared by list pages and the API: full-text ``q``, workflow status, original language, and
code filters that take a parameter repeated (``?country=FR&country=KE``) or comma-separated."""

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import Status
from .multilingual import current_language
from .search import search_filter


class CodeListField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return [code.strip() for item in value for code in str(item).split(",") if code.strip()][:50]


class CodeFilter(django_filters.Filter):
    """Records matching any of the given codes. ``many=True`` for lookups across a to-many relation:
    filtered with a semi-join (``pk IN (…)``), so no row is counted twice and no DISTINCT is needed."""

    field_class = CodeListField

    def __init__(self, *args, many=False, **kwargs):
        self.many = many
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        # A value the field cannot hold (``?year=abc``, ``?organization=x``) matches nothing, never a 500.
        value = [code for code in value if self.accepts(qs.model, code)]
        if not value:
            return qs.none()
        condition = {f"{self.field_name}__in": value}
        if self.many:
            return qs.filter(pk__in=qs.model._base_manager.filter(**condition).values("pk"))
        return qs.filter(**condition)

    def accepts(self, model, code):
        if "\x00" in str(code):  # PostgreSQL text cannot hold NUL: no record can match it
            return False
        try:
            model._base_manager.filter(**{self.field_name: code})
        except (TypeError, ValueError, ValidationError):
            return False
        return True


class RecordFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    workflow = django_filters.MultipleChoiceFilter(
        field_name="status", label=_("Workflow status"), choices=Status.choices
    )
    language = CodeFilter(field_name="original_language", label=_("Language"))

    def filter_q(self, queryset, name, value):
        return search_filter(queryset, queryset.model.record_type.key, value, current_language())


def content_language_labels(values):
    names = dict(settings.CONTENT_LANGUAGES)
    return {value: names.get(value, value) for value in values}
