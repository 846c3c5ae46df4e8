"""Reading a record's history: the differences between two of its versions, field by field, shown with
labels in the reader's language (choices, related records and dates are displayed, not their codes)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .models import Version


def field_label(model, name):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name.replace("_", " ")
    if field.auto_created and not field.concrete:  # a reverse relation: rows of another model
        return str(field.related_model._meta.verbose_name_plural)
    return str(field.verbose_name)


def display_value(model, name, value):
    """A stored snapshot value as a reader would want to see it."""
    if value is None or value == "" or value == []:
        return ""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if field.auto_created and not field.concrete:
        return "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, (models.ForeignKey, models.ManyToManyField)):
        ids = value if isinstance(value, list) else [value]
        related = field.related_model._base_manager.in_bulk([i for i in ids if not isinstance(i, list)])
        return ", ".join(str(related.get(i, "#{}".format(i))) for i in ids if not isinstance(i, list))
    if isinstance(field, models.DateTimeField):
        parsed = parse_datetime(str(value))
        return formats.date_format(parsed, "DATETIME_FORMAT") if parsed else str(value)
    if isinstance(field, models.DateField):
        parsed = parse_date(str(value))
        return formats.date_format(parsed, "DATE_FORMAT") if parsed else str(value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def change_labels(model, names):
    return [field_label(model, name) for name in names]


def version_diff(record, number_from, number_to):
    """``{"from", "to", "rows": [{"field", "label", "before", "after"}]}`` for the fields that differ
    between two versions of ``record``; multilingual values are compared language by language."""
    model = type(record)
    content_type = ContentType.objects.get_for_model(record)
    versions = {
        v.number: v
        for v in Version.objects.filter(
            content_type=content_type, object_id=record.pk, number__in=[number_from, number_to]
        ).select_related("actor")
    }
    if number_from not in versions or number_to not in versions:
        return None
    before, after = versions[number_from].data, versions[number_to].data
    rows = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        label = field_label(model, name)
        if isinstance(old, dict) or isinstance(new, dict):
            old, new = old or {}, new or {}
            for lang in sorted(set(old) | set(new)):
                if old.get(lang) != new.get(lang):
                    rows.append(
                        {
                            "field": name,
                            "label": "{} [{}]".format(label, lang),
                            "before": old.get(lang, ""),
                            "after": new.get(lang, ""),
                        }
                    )
        else:
            rows.append(
                {
                    "field": name,
                    "label": label,
                    "before": display_value(model, name, old),
                    "after": display_value(model, name, new),
                }
            )
    return {"from": versions[number_from], "to": versions[number_to], "rows": rows}
