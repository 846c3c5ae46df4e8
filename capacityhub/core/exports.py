"""Exports of record lists in CSV, XLSX and JSON: one layout, used by the list pages, ``export_records``, the
API and, read back, by the importer (``capacityhub.interop.imports``).

The "wide" layout has one row per record. Its columns, in this order (docs/import-export.md):

- ``id``;
- every field of the record type's form, named as the field:
  - multilingual text: one column per content language, ``title_en``, ``title_es`` … ``title_ru``;
  - a coded value (a choice, a country, a region, a vocabulary term, an organization, another record): its
    code in ``<field>`` and its label in the user's language in ``<field>_label``. Countries are ISO alpha-2
    codes, regions and terms their codes, organizations and other records their ids;
  - several values are joined with ``;``, in the same order in both columns: ``thematic_areas`` =
    ``risk-assessment;public-awareness``;
  - related rows with a value: ``countries`` = ``KE:60;CO:40`` (country:percentage, the percentage left
    out when there is none), ``organizations`` = ``12:implementing;34:funding`` (organization:role);
  - documents and links: one per line, ``<address> <name>``;
- read-only columns, ignored by the importer but ``revision``: ``status``, ``status_label``,
  ``published_at``, ``updated_at``, ``revision``.

E-mail addresses and telephone numbers are in exports made by signed-in users only. Files are not exported.
The "long" layout of initiatives has one row per recipient country and thematic area, with the budget
split between them (:func:`budget_split`).
"""

import csv
import datetime
import decimal
import json
import re
import tempfile
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db import models
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from . import selectors
from .choices import Status
from .multilingual import MultilingualField, current_language, resolve

FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
LAYOUTS = ("wide", "long")
SEP = ";"
LABEL = "_label"
PRIVATE_FIELDS = {"email", "phone"}  # shown to signed-in users only, as on the record pages
READ_ONLY_COLUMNS = ("status", "status_label", "published_at", "updated_at", "revision")
LABELLED = {"choice", "codes", "fk", "m2m", "shares", "pairs"}
CHUNK = 500
# A cell that starts like a formula is prefixed with ' in CSV (spreadsheets would run it); the importer
# removes the prefix again: the rule is reversible, a value already starting with ' gets another one.
FORMULA = re.compile(r"^'*[=+\-@\t\r]")


class ExportError(ValueError):
    """An export that cannot be made as asked (an unknown format or layout)."""


def content_languages():
    return [code for code, _name in settings.CONTENT_LANGUAGES]


def coded_models():
    """Models written by code rather than by id (the importer reads them back the same way)."""
    from capacityhub.reference.models import Country, Region, Term

    return {Country: "iso2", Region: "code", Term: "code"}


def natural_key(obj):
    """The code a related record is written as: ISO alpha-2 for countries, ``code`` for regions and terms,
    the id for organizations and other records."""
    if obj is None:
        return None
    attr = coded_models().get(type(obj))
    return getattr(obj, attr) if attr else obj.pk


def label_of(obj, language=None):
    if obj is None:
        return ""
    if hasattr(obj, "localized_name"):
        return obj.localized_name(language)
    if hasattr(obj, "display_title"):
        return obj.display_title(language)
    for attr in ("label", "name"):
        value = getattr(obj, attr, None)
        if isinstance(value, dict):
            return resolve(value, language)[0] or str(natural_key(obj))
    return str(obj)


def number_text(value):
    """A decimal without exponent or trailing zeros: 60.00 → "60", 33.30 → "33.3"."""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class FieldSpec:
    """How one editable field of a record type is written to columns and read back.

    ``kind``: text, int, decimal, date, bool, choice, multilingual, codes (a list of choice codes), lines
    (a list edited as lines of text), fk, m2m, shares (related rows with a percentage) or pairs (related rows
    linking two records, such as an organization and its role)."""

    name: str
    kind: str
    model_field: object = None
    form_field: object = None
    target: object = None  # the related model of fk, m2m, shares and pairs
    role: object = None  # the second related model of pairs
    inline: object = None  # the formset class of shares and pairs
    accessor: str = ""  # the related rows of shares and pairs: "country_shares"
    key_field: str = ""  # "country"
    value_field: str = ""  # "percentage" or "role"

    @property
    def private(self):
        return self.name in PRIVATE_FIELDS

    @property
    def columns(self):
        if self.kind == "multilingual":
            return tuple("{}_{}".format(self.name, code) for code in content_languages())
        if self.kind in LABELLED:
            return (self.name, self.name + LABEL)
        return (self.name,)

    @property
    def data_columns(self):
        """The columns the importer reads (labels are for people)."""
        return self.columns if self.kind == "multilingual" else (self.name,)

    @property
    def choices(self):
        if self.kind == "codes":
            return {str(k): v for k, v in self.form_field.choices}
        return {str(k): v for k, v in (self.model_field.flatchoices or [])}

    def values(self, record, language=None):
        """``{column: value}`` of ``record``; values are str, int, Decimal, date, bool or None."""
        name, kind = self.name, self.kind
        value = getattr(record, name, None) if kind not in ("shares", "pairs", "m2m") else None
        if kind == "multilingual":
            value = value or {}
            return {"{}_{}".format(name, code): value.get(code, "") for code in content_languages()}
        if kind == "choice":
            return {name: value or "", name + LABEL: str(self.choices.get(value, value or ""))}
        if kind == "codes":
            codes = [str(c) for c in value or []]
            choices = self.choices
            return {name: SEP.join(codes), name + LABEL: SEP.join(str(choices.get(c, c)) for c in codes)}
        if kind == "lines":
            return {name: self.form_field.prepare_value(value or [])}
        if kind == "fk":
            return {name: natural_key(value), name + LABEL: label_of(value, language)}
        if kind == "m2m":
            objects = (
                sorted(getattr(record, name).all(), key=lambda o: str(natural_key(o))) if record.pk else []
            )
            return {
                name: SEP.join(str(natural_key(o)) for o in objects),
                name + LABEL: SEP.join(label_of(o, language) for o in objects),
            }
        if kind in ("shares", "pairs"):
            rows = list(getattr(record, self.accessor).all()) if record.pk else []
            keyed = sorted(
                ((getattr(row, self.key_field), getattr(row, self.value_field)) for row in rows),
                key=lambda pair: (
                    str(natural_key(pair[0])),
                    str(pair[1] if kind == "shares" else natural_key(pair[1])),
                ),
            )
            codes, labels = [], []
            for obj, second in keyed:
                if kind == "shares":
                    code = str(natural_key(obj))
                    codes.append(code if second is None else "{}:{}".format(code, number_text(second)))
                    labels.append(label_of(obj, language))
                else:
                    codes.append("{}:{}".format(natural_key(obj), natural_key(second)))
                    labels.append("{} ({})".format(label_of(obj, language), label_of(second, language)))
            return {name: SEP.join(codes), name + LABEL: SEP.join(labels)}
        return {name: value}


_SPECS = {}


def field_specs(record_type):
    """The :class:`FieldSpec` of every editable field of ``record_type``, in the form's order, then its
    related rows (inline formsets). File fields are left out."""
    if record_type.key in _SPECS:
        return _SPECS[record_type.key]
    model, form = record_type.model, record_type.form
    specs = []
    for name in form._meta.fields:
        model_field = model._meta.get_field(name)
        form_field = form.base_fields.get(name)
        kind = _kind(model_field, form_field)
        if kind:
            target = model_field.related_model if kind in ("fk", "m2m") else None
            specs.append(FieldSpec(name, kind, model_field, form_field, target=target))
    for formset in record_type.inlines:
        spec = _inline_spec(model, formset)
        if spec:
            specs.append(spec)
    _SPECS[record_type.key] = specs
    return specs


def _kind(model_field, form_field):
    if isinstance(model_field, models.FileField) or form_field is None:
        return None
    if isinstance(model_field, MultilingualField):
        return "multilingual"
    if model_field.many_to_many:
        return "m2m"
    if model_field.many_to_one or model_field.one_to_one:
        return "fk"
    if isinstance(model_field, models.JSONField):
        if isinstance(form_field, forms.MultipleChoiceField):
            return "codes"
        return "lines" if isinstance(form_field, forms.CharField) else None
    if model_field.choices:
        return "choice"
    for field_class, kind in (
        (models.BooleanField, "bool"),
        (models.DecimalField, "decimal"),
        (models.IntegerField, "int"),
        (models.DateTimeField, None),
        (models.DateField, "date"),
    ):
        if isinstance(model_field, field_class):
            return kind
    return "text"


def _inline_spec(parent, formset):
    """Related rows edited inline: (a record, a percentage) → shares; (a record, a record) → pairs."""
    names = list(formset.form.base_fields)
    inline_model = formset.model
    fields = [inline_model._meta.get_field(n) for n in names]
    if len(fields) != 2 or any(isinstance(f, models.FileField) for f in fields) or not fields[0].many_to_one:
        return None
    through = [f for f in parent._meta.many_to_many if f.remote_field.through is inline_model]
    name = through[0].name if through else formset.prefix_name
    accessor = formset.fk.remote_field.get_accessor_name()
    common = {"inline": formset, "accessor": accessor, "key_field": names[0], "value_field": names[1]}
    if isinstance(fields[1], models.DecimalField):
        return FieldSpec(name, "shares", fields[1], target=fields[0].related_model, **common)
    if fields[1].many_to_one:
        return FieldSpec(
            name, "pairs", fields[1], target=fields[0].related_model, role=fields[1].related_model, **common
        )
    return None


def include_private(user):
    """E-mail addresses and telephone numbers: for signed-in users and the system (``user=None``)."""
    return user is None or user.is_authenticated


def export_specs(record_type, user):
    return [s for s in field_specs(record_type) if include_private(user) or not s.private]


def columns(record_type, user=None):
    cols = ["id"]
    for spec in export_specs(record_type, user):
        cols.extend(spec.columns)
    return cols + list(READ_ONLY_COLUMNS)


def all_columns(record_type):
    """Every column a file of this record type may have: the importer refuses any other."""
    return columns(record_type, None)


def optimize(queryset, specs):
    select = [s.name for s in specs if s.kind == "fk"]
    prefetch = [s.name for s in specs if s.kind == "m2m"]
    for spec in specs:
        if spec.kind == "shares":
            prefetch.append("{}__{}".format(spec.accessor, spec.key_field))
        elif spec.kind == "pairs":
            prefetch += ["{}__{}".format(spec.accessor, f) for f in (spec.key_field, spec.value_field)]
    return queryset.select_related(*select).prefetch_related(*prefetch)


def filtered_queryset(record_type, params, *, user, request=None):
    """The records of a list as filtered by ``params`` (its query string), as ``user`` may see them;
    ``user=None`` is the system and sees every record. The same reads as the list page."""
    base = record_type.model.objects.all() if user is None else selectors.visible(record_type, user)
    filterset = record_type.filterset(params, queryset=base, request=request)
    ordered, _sort = selectors.apply_sort(record_type, filterset.qs, params.get("sort"))
    return ordered


def record_rows(record_type, queryset, *, user=None, language=None):
    """One ``{column: value}`` per record, streamed in chunks (memory stays flat)."""
    language = language or current_language()
    specs = export_specs(record_type, user)
    for record in optimize(queryset, specs).iterator(chunk_size=CHUNK):
        row = {"id": record.pk}
        for spec in specs:
            row.update(spec.values(record, language))
        row.update(
            status=record.status,
            status_label=str(Status(record.status).label) if record.status in Status.values else "",
            published_at=record.published_at,
            updated_at=record.updated_at,
            revision=record.revision,
        )
        yield row


# The long layout -------------------------------------------------------------------------------------------

LONG_COLUMNS = [
    "initiative_id",
    "title",
    "publisher",
    "publisher_label",
    "activity_status",
    "activity_status_label",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "currency",
    "budget",
    "country",
    "country_label",
    "country_percentage",
    "area",
    "area_label",
    "area_percentage",
    "budget_share",
]
CENT = decimal.Decimal("0.01")
HUNDRED = decimal.Decimal(100)


def budget_split(initiative):
    """How an initiative's budget falls to each recipient country and thematic area.

    A country receives its percentage of the budget, or an equal part when no percentages are given. Each
    thematic area then receives an equal part of the country's share, so the shares of an initiative add up
    to its budget and sums over countries or areas count every amount once. With no countries (regional or
    global initiatives) there is one "country" ``None`` with 100 %; with no areas, one area ``None``.

    Returns ``[(country, country_percentage, area, area_percentage, amount)]``; percentages are exact
    Decimals, amounts are rounded to the cent (``None`` without a budget)."""
    shares = list(initiative.country_shares.all())
    areas = sorted(initiative.thematic_areas.all(), key=lambda t: (t.position, t.code)) or [None]
    if not shares:
        countries = [(None, HUNDRED)]
    elif all(s.percentage is not None for s in shares):
        countries = [(s.country, s.percentage) for s in shares]
    else:
        countries = [(s.country, HUNDRED / len(shares)) for s in shares]
    countries.sort(key=lambda pair: pair[0].iso2 if pair[0] else "")
    area_percentage = HUNDRED / len(areas)
    rows = []
    for country, country_percentage in countries:
        for area in areas:
            amount = None
            if initiative.budget is not None:
                amount = (
                    initiative.budget * country_percentage * area_percentage / HUNDRED / HUNDRED
                ).quantize(CENT, rounding=decimal.ROUND_HALF_EVEN)
            rows.append((country, country_percentage, area, area_percentage, amount))
    return rows


def initiative_long_rows(queryset, *, language=None, **_kwargs):
    language = language or current_language()
    queryset = queryset.select_related("publisher", "activity_status").prefetch_related(
        "country_shares__country", "thematic_areas"
    )
    for initiative in queryset.iterator(chunk_size=CHUNK):
        base = {
            "initiative_id": initiative.pk,
            "title": initiative.display_title(language),
            "publisher": initiative.publisher_id,
            "publisher_label": label_of(initiative.publisher, language),
            "activity_status": initiative.activity_status.code,
            "activity_status_label": label_of(initiative.activity_status, language),
            "planned_start": initiative.planned_start,
            "planned_end": initiative.planned_end,
            "actual_start": initiative.actual_start,
            "actual_end": initiative.actual_end,
            "currency": initiative.currency,
            "budget": initiative.budget,
        }
        for country, country_percentage, area, area_percentage, amount in budget_split(initiative):
            yield {
                **base,
                "country": natural_key(country) or "",
                "country_label": label_of(country, language),
                "country_percentage": country_percentage.quantize(CENT),
                "area": natural_key(area) or "",
                "area_label": label_of(area, language),
                "area_percentage": area_percentage.quantize(CENT),
                "budget_share": amount,
            }


LONG_LAYOUTS = {"initiative": (LONG_COLUMNS, initiative_long_rows)}


# Writers ---------------------------------------------------------------------------------------------------


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if FORMULA.match(value) else value
    return str(value)


def json_cell(value):
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value == "" or value is None:
        return None
    return value


class _Echo:
    def write(self, value):
        return value


def write_csv(cols, rows):
    """UTF-8 with a byte-order mark (so that Excel reads the accents), comma-separated, CRLF lines."""
    writer = csv.writer(_Echo())
    yield b"\xef\xbb\xbf" + writer.writerow(cols).encode()
    batch = []
    for row in rows:
        batch.append(writer.writerow([csv_cell(row.get(c)) for c in cols]))
        if len(batch) >= CHUNK:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


def write_json(cols, rows):
    """A JSON array of objects, streamed."""
    yield b"["
    first = True
    for row in rows:
        item = json.dumps({c: json_cell(row.get(c)) for c in cols}, ensure_ascii=False)
        yield ("\n" if first else ",\n").encode() + item.encode()
        first = False
    yield b"\n]\n"


def write_xlsx(cols, rows, output, *, title="records"):
    """An XLSX workbook written with openpyxl's write-only mode (rows go to disk, not memory)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def header_cell(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    sheet.append([header_cell(c) for c in cols])
    for row in rows:
        cells = []
        for c in cols:
            value = row.get(c)
            if isinstance(value, datetime.datetime):
                value = value.astimezone(datetime.UTC).replace(tzinfo=None)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell = WriteOnlyCell(sheet, value=value or None)
                if value.startswith("="):  # text, never a formula
                    cell.data_type = "s"
                cells.append(cell)
            elif isinstance(value, datetime.datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
                cells.append(cell)
            elif isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    workbook.save(output)


# Entry points ----------------------------------------------------------------------------------------------


def build(record_type, params, *, user, layout="wide", language=None, request=None):
    """``(columns, rows)`` of a list export. ``user=None`` is the system: every record, every column."""
    if layout not in LAYOUTS:
        raise ExportError(_("Unknown layout {layout}: use wide or long.").format(layout=layout))
    queryset = filtered_queryset(record_type, params, user=user, request=request)
    if layout == "long":
        if record_type.key not in LONG_LAYOUTS:
            raise ExportError(
                _("The long layout exists for: {types}.").format(types=", ".join(sorted(LONG_LAYOUTS)))
            )
        cols, rows_of = LONG_LAYOUTS[record_type.key]
        return list(cols), rows_of(queryset, language=language)
    return columns(record_type, user), record_rows(record_type, queryset, user=user, language=language)


def file_name(record_type, format, layout="wide"):
    stem = record_type.path + ("-long" if layout == "long" else "")
    return "{}-{}.{}".format(stem, timezone.localdate().isoformat(), format)


def write(record_type, params, output, *, user, format, layout="wide", language=None):
    """Write an export to the binary file ``output`` (the ``export_records`` command)."""
    if format not in FORMATS:
        raise ExportError(_("Unknown format {format}: use csv, xlsx or json.").format(format=format))
    with translation.override(language or current_language()):
        cols, rows = build(record_type, params, user=user, layout=layout, language=language)
        if format == "xlsx":
            write_xlsx(cols, rows, output, title=record_type.key)
            return
        for chunk in (write_csv if format == "csv" else write_json)(cols, rows):
            output.write(chunk)


def _in_language(language, chunks):
    """Streamed bodies are produced after the view returned: keep the request's language for labels."""
    with translation.override(language):
        yield from chunks


def response(record_type, request, *, format, layout=None):
    """The download of a list page as filtered by its query string, for the requesting user."""
    if format not in FORMATS:
        raise ExportError(_("Unknown format {format}: use csv, xlsx or json.").format(format=format))
    layout = layout or request.GET.get("layout") or "wide"
    language = current_language()
    cols, rows = build(
        record_type, request.GET, user=request.user, layout=layout, language=language, request=request
    )
    name = file_name(record_type, format, layout)
    if format == "xlsx":
        spooled = tempfile.TemporaryFile()
        write_xlsx(cols, rows, spooled, title=record_type.key)
        spooled.seek(0)
        result = FileResponse(spooled, as_attachment=True, filename=name, content_type=CONTENT_TYPES[format])
    else:
        writer = write_csv if format == "csv" else write_json
        result = StreamingHttpResponse(
            _in_language(language, writer(cols, rows)), content_type=CONTENT_TYPES[format]
        )
        result["Content-Disposition"] = 'attachment; filename="{}"'.format(name)
    patch_cache_control(result, private=True, no_cache=True)
    result["X-Content-Type-Options"] = "nosniff"
    return result
