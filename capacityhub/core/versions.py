"""Reading a record's history: the differences between two of its versions, field by field."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist

from .models import Version


def field_label(model, name):
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name.replace("_", " ")


def version_diff(record, number_from, number_to):
    """``[{"field", "label", "before", "after"}]`` for the fields that differ between two versions.

    Multilingual values are compared language by language."""
    content_type = ContentType.objects.get_for_model(record)
    versions = {
        v.number: v
        for v in Version.objects.filter(
            content_type=content_type, object_id=record.pk, number__in=[number_from, number_to]
        )
    }
    if number_from not in versions or number_to not in versions:
        return None
    before, after = versions[number_from].data, versions[number_to].data
    rows = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        label = field_label(type(record), name)
        if isinstance(old, dict) or isinstance(new, dict):
            old, new = old or {}, new or {}
            for lang in sorted(set(old) | set(new)):
                if old.get(lang) != new.get(lang):
                    rows.append(
                        {
                            "field": name,
                            "label": f"{label} [{lang}]",
                            "before": old.get(lang, ""),
                            "after": new.get(lang, ""),
                        }
                    )
        else:
            rows.append({"field": name, "label": label, "before": old, "after": new})
    return {"from": versions[number_from], "to": versions[number_to], "rows": rows}
