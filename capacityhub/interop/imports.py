"""Imports of records from CSV, XLSX and JSON files in the exports' own layout (``capacityhub.core.exports``).

- A row with an ``id`` updates that record; a row without one creates a record (a draft). Related records are
  found by natural key: countries by ISO code, regions and vocabulary terms by code, organizations by id,
  IATI identifier or exact name, other records by id. A column left out of the file leaves its field as it is.
- Each row is checked by the record type's own form and formsets (the pages' rules and messages) and written
  through ``services.record_save`` as the importing user, so the permission gate applies to every row.
- A row equal to its record is skipped: importing a file exported by the platform changes nothing.
- Nothing is written unless the whole file is valid: one transaction, rolled back on any error. A dry run
  reports, per row, what would be created or changed (column: before → after) and every error with its row
  and column. Rows are numbered as a spreadsheet shows them (the header is row 1); in JSON files, by their
  position in the array.
- Bad files get a clear message, never a server error: size, encoding (UTF-8, UTF-16 with a byte-order mark,
  or Windows-1252 with a notice), delimiter (``,`` ``;`` or tab, from the header line), unknown columns,
  ZIP bombs, too many rows (``IMPORT_MAX_ROWS``), empty files, duplicate ids.
"""

import codecs
import csv
import decimal
import io
import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from capacityhub.core import exports, permissions, services
from capacityhub.core.choices import Scope, VersionAction
from capacityhub.core.models import Record
from capacityhub.core.multilingual import MultilingualFormField, clean_value, resolve
from capacityhub.core.registry import registry
from capacityhub.core.uploads import detect
from capacityhub.reference.models import Country, Organization, Region, Term

from .models import ImportJob

logger = logging.getLogger(__name__)

MAX_COLUMNS = 1000
MAX_REPORTED = 1000  # errors and preview rows kept for the report; the counts are always complete
csv.field_size_limit(max(csv.field_size_limit(), 10 * 1024 * 1024))

EMPTY = _("The file is empty.")
NO_ROWS = _("The file has a header but no rows.")
TOO_LARGE = _("The file is larger than {limit} MB; split it into smaller files.")
TOO_MANY_ROWS = _("The file has more than {limit} rows; split it into smaller files.")
NOT_XLSX = _("The file is not a readable XLSX workbook.")
NOT_TEXT = _("The file is not text: save it as CSV (UTF-8) and upload it again.")
BAD_ENCODING = _(
    "The file is neither UTF-8 nor Windows-1252 text. Save it as “CSV UTF-8” and upload it again."
)
CP1252_NOTICE = _(
    "The file is not UTF-8: it was read as Windows-1252 (Western European). "
    "Check the accented letters in the preview."
)
BAD_CSV = _("The file is not valid CSV near row {row}: {error}")
CELL_COUNT = _("This row has {count} cells; the header has {expected}.")
UNNAMED = _("This row has a value in a column without a name.")
UNKNOWN_COLUMNS = _("Unknown columns: {columns}. Export a file to see the columns this list takes.")
DUPLICATE_COLUMNS = _("Columns named twice: {columns}.")
LONG_LAYOUT = _("This is a file in the long layout (one row per country and area): it cannot be imported.")
NOT_AN_OBJECT = _("This entry is not an object of column names and values.")
BAD_ID = _("{value} is not a record id.")
DUPLICATE_ID = _("The id {id} is also in row {row}; a record may appear once in a file.")
NO_RECORD = _("There is no record with the id {id} that you may see.")
MAY_NOT_EDIT = _("You may not edit the record {id} ({title}): it is outside your scope or archived.")
MAY_NOT_ADD = _("You may not create this kind of record.")
OWN_COUNTRY = _("You can only create national records for your own country.")
CHANGED_SINCE = _(
    "The record was changed (revision {current}) after this file was made (revision {given}). "
    "Export it again and redo your changes."
)
BAD_BOOLEAN = _("Write true or false, not {value}.")
BAD_PERCENTAGE = _("{value} is not a percentage.")
NO_ROLE = _("Give the role after a colon, as in 12:implementing, not {value}.")
UNKNOWN_CODE = _("Unknown {what}: {value}.")
AMBIGUOUS = _("Several organizations are named {value}; write the id of the one you mean.")
UNIQUE = _("This row conflicts with another record: a value that must be unique is taken.")
FAILED = _("An unexpected error stopped the import; nothing was written.")
TEXT_TOO_LONG = _("The text in {language} has more than {limit} characters.")
RELATED_KINDS = ("m2m", "shares", "pairs")
BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False, "": False}


def max_rows():
    return getattr(settings, "IMPORT_MAX_ROWS", 100_000)


def max_bytes():
    return getattr(settings, "IMPORT_MAX_BYTES", 100 * 1024 * 1024)


def inline_rows():
    """Files up to this many rows are imported during the request; longer ones by the task worker."""
    return getattr(settings, "IMPORT_INLINE_ROWS", 200)


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing in it is imported."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


class CellError(Exception):
    def __init__(self, column, message):
        super().__init__(str(message))
        self.column, self.message = column, str(message)


# Reading files ---------------------------------------------------------------------------------------------


@dataclass
class Table:
    """The rows of a file: ``header`` (column names) and ``rows()``, an iterator of ``(number, {column:
    value})`` that can be run more than once; ``total`` rows, counted before anything is imported."""

    format: str
    header: list
    read: object  # callable returning an iterator of (number, cells or None)
    notices: list = field(default_factory=list)
    total: int = 0
    close: object = None

    def rows(self):
        width = len(self.header)
        unnamed = [i for i, name in enumerate(self.header) if not name]
        for number, cells in self.read():
            if cells is None or isinstance(cells, dict):
                yield number, cells
                continue
            if self.format == "xlsx":  # spreadsheets leave trailing empty cells out
                cells = cells + [None] * (width - len(cells))
            if len(cells) < width or any(_text(c) for c in cells[width:]):
                yield number, {"__error__": CELL_COUNT.format(count=len(cells), expected=width)}
                continue
            if any(_text(cells[i]) for i in unnamed):
                yield number, {"__error__": UNNAMED}
                continue
            yield number, {name: value for name, value in zip(self.header, cells, strict=False) if name}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.close:
            self.close()


def read_table(fileobj, *, name="", format=None):
    """Open an uploaded file (any binary file object that can seek). Raises :class:`ImportFileError`."""
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    if size == 0:
        raise ImportFileError(EMPTY)
    if size > max_bytes():
        raise ImportFileError(TOO_LARGE.format(limit=max_bytes() // (1024 * 1024)))
    format = format or detect_format(fileobj, name)
    table = {"csv": _csv_table, "xlsx": _xlsx_table, "json": _json_table}[format](fileobj)
    header = [str(h or "").strip().lstrip("\ufeff").lower() for h in table.header]
    if not any(header):
        table.__exit__()
        raise ImportFileError(EMPTY)
    table.header = header
    try:
        for _number, _cells in table.read():
            table.total += 1
            if table.total > max_rows():
                raise ImportFileError(TOO_MANY_ROWS.format(limit=max_rows()))
        if not table.total:
            raise ImportFileError(NO_ROWS)
    except ImportFileError:
        table.__exit__()
        raise
    return table


def detect_format(fileobj, name=""):
    """By the file's extension, else by its first bytes."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in ("csv", "tsv", "txt"):
        return "csv"
    if extension in ("xlsx", "json"):
        return extension
    head = fileobj.read(64)
    fileobj.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        return "json"
    return "csv"


def _text_lines(fileobj, encoding):
    """Lines of a text file decoded incrementally (memory stays flat), with their line ends."""
    fileobj.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    rest = ""
    while True:
        chunk = fileobj.read(1 << 16)
        rest += decoder.decode(chunk, final=not chunk)
        *lines, rest = rest.split("\n")
        for line in lines:
            yield line + "\n"
        if not chunk:
            break
    if rest:
        yield rest


def _csv_encoding(fileobj):
    head = fileobj.read(8192)
    fileobj.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", []
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16", []
    if b"\x00" in head:
        raise ImportFileError(NOT_TEXT)
    for encoding in ("utf-8", "cp1252"):
        try:
            for _line in _text_lines(fileobj, encoding):
                pass
        except UnicodeDecodeError:
            continue
        return encoding, ([] if encoding == "utf-8" else [str(CP1252_NOTICE)])
    raise ImportFileError(BAD_ENCODING)


def _csv_table(fileobj):
    encoding, notices = _csv_encoding(fileobj)
    first = next((line for line in _text_lines(fileobj, encoding) if line.strip()), None)
    if first is None:
        raise ImportFileError(EMPTY)
    delimiter = max((",", ";", "\t"), key=first.count)

    def read():
        """Data rows, numbered as a spreadsheet numbers them (multi-line cells make one row)."""
        reader = csv.reader(_text_lines(fileobj, encoding), delimiter=delimiter)
        number, header_seen = 0, False
        try:
            for record in reader:
                number += 1
                if not any(cell.strip() for cell in record):
                    continue
                if not header_seen:
                    header_seen = True
                    continue
                yield number, [_unescape(cell) for cell in record]
        except csv.Error as error:
            raise ImportFileError(BAD_CSV.format(row=number + 1, error=error)) from error

    header = next(csv.reader([first], delimiter=delimiter))
    return Table("csv", header, read, notices)


def _unescape(cell):
    """Undo the export's guard against spreadsheet formulas (a ' before = + - @)."""
    return cell[1:] if exports.FORMULA.match(cell) and cell.startswith("'") else cell


def _xlsx_table(fileobj):
    from openpyxl import load_workbook

    try:
        kind, _mime = detect(fileobj)
    except ValidationError as error:
        raise ImportFileError(error.messages[0]) from error
    if kind != "xlsx":
        raise ImportFileError(NOT_XLSX)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        if (sheet.max_row or 0) > max_rows() + 1:
            workbook.close()
            raise ImportFileError(TOO_MANY_ROWS.format(limit=max_rows()))
        if (sheet.max_column or 0) > MAX_COLUMNS:
            workbook.close()
            raise ImportFileError(NOT_XLSX)
        header = next(sheet.iter_rows(max_row=1, values_only=True), ())
    except ImportFileError:
        raise
    except Exception as error:  # any parser failure on an untrusted file is a bad file, not a crash
        raise ImportFileError(NOT_XLSX) from error

    def read():
        try:
            for number, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
                if any(_text(c) for c in cells):
                    yield number, list(cells)
        except Exception as error:
            raise ImportFileError(NOT_XLSX) from error

    return Table("xlsx", list(header), read, close=workbook.close)


def _json_table(fileobj):
    try:
        data = json.loads(fileobj.read().decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ImportFileError(_("A JSON file must be UTF-8 text.")) from error
    except json.JSONDecodeError as error:
        raise ImportFileError(
            _("The file is not valid JSON: {error} (line {line}, column {column}).").format(
                error=error.msg, line=error.lineno, column=error.colno
            )
        ) from error
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    if not isinstance(data, list):
        raise ImportFileError(_("A JSON file holds an array of records: [{…}, {…}]."))
    header = list(dict.fromkeys(key for item in data if isinstance(item, dict) for key in item))

    def read():
        for number, item in enumerate(data, start=1):
            yield number, ({str(k).lower(): v for k, v in item.items()} if isinstance(item, dict) else None)

    return Table("json", header or ["id"], read)


def check_header(record_type, header):
    allowed = set(exports.all_columns(record_type))
    named = [h for h in header if h]
    if "budget_share" in named and record_type.key in exports.LONG_LAYOUTS:
        raise ImportFileError(LONG_LAYOUT)
    unknown = [h for h in named if h not in allowed]
    if unknown:
        raise ImportFileError(UNKNOWN_COLUMNS.format(columns=", ".join(unknown)))
    twice = sorted({h for h in named if named.count(h) > 1})
    if twice:
        raise ImportFileError(DUPLICATE_COLUMNS.format(columns=", ".join(twice)))


# Cells -----------------------------------------------------------------------------------------------------


def _text(value):
    """A cell as text: numbers without a spurious ``.0``, dates in ISO, lists joined with ``;``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return (value.date() if hasattr(value, "date") else value).isoformat()
    if isinstance(value, list | tuple):
        return exports.SEP.join(_text(v) for v in value)
    return str(value).strip()


def _items(value):
    if isinstance(value, list | tuple):
        return [_text(v) for v in value if _text(v)]
    return [item.strip() for item in _text(value).split(exports.SEP) if item.strip()]


class Resolver:
    """Finds related records by natural key, among those the importing user may see; caches the answers."""

    def __init__(self, actor):
        self.actor = actor
        self.cache = {}

    def visible(self, model):
        queryset = model._default_manager.all()
        if self.actor is not None and issubclass(model, Record):
            queryset = permissions.restrict(queryset, self.actor)
        return queryset

    def __call__(self, column, model, value, limit=None):
        key = (model, str(limit), value)
        if key not in self.cache:
            self.cache[key] = self._find(column, model, value, limit)
        return self.cache[key]

    def _find(self, column, model, value, limit):
        what = model._meta.verbose_name
        if model in (Country, Region, Term):
            if (model, str(limit)) not in self.cache:
                self.cache[(model, str(limit))] = self._codes(model, limit)
            pk = self.cache[(model, str(limit))].get(value.casefold())
            if pk is None:
                raise CellError(column, UNKNOWN_CODE.format(what=what, value=value))
            return pk
        queryset = self.visible(model)
        if value.isdigit():
            pk = int(value)
            for _step in range(10 if model is Organization else 0):  # to the organization a duplicate joined
                merged = Organization.objects.filter(pk=pk).values_list("merged_into_id", flat=True).first()
                if not merged:
                    break
                pk = merged
            if queryset.filter(pk=pk).exists():
                return pk
        elif model is Organization:
            live = queryset.filter(merged_into__isnull=True)
            found = list(live.filter(iati_identifier__iexact=value).values_list("pk", flat=True))
            if not found:
                if "org-names" not in self.cache:
                    self.cache["org-names"] = self._organization_names(live)
                found = sorted(self.cache["org-names"].get(" ".join(value.casefold().split()), ()))
            if len(found) > 1:
                raise CellError(column, AMBIGUOUS.format(value=value))
            if found:
                return found[0]
        raise CellError(column, UNKNOWN_CODE.format(what=what, value=value))

    @staticmethod
    def _codes(model, limit):
        if model is Country:
            codes = {}
            for pk, iso2, iso3 in Country.objects.values_list("pk", "iso2", "iso3"):
                codes[iso2.casefold()] = codes[iso3.casefold()] = pk
            return codes
        queryset = model.objects.complex_filter(limit) if limit else model.objects.all()
        return {code.casefold(): pk for pk, code in queryset.values_list("pk", "code")}

    @staticmethod
    def _organization_names(queryset):
        names = {}
        for pk, name in queryset.values_list("pk", "name"):
            for text in (name or {}).values():
                names.setdefault(" ".join(str(text).casefold().split()), set()).add(pk)
        return names


class TextsField(forms.Field):
    """The multilingual text of an import row: ``{language: text}`` in any content language (the page's form
    has inputs for the interface languages only)."""

    def __init__(self, *, max_length=None, **kwargs):
        self.max_length = max_length
        super().__init__(**kwargs)

    def clean(self, value):
        value = clean_value(value or {})
        if self.required and not value:
            raise ValidationError(MultilingualFormField.default_error_messages["required"], code="required")
        for code, text in value.items():
            if self.max_length and len(text) > self.max_length:
                raise ValidationError(
                    TEXT_TOO_LONG.format(language=code, limit=self.max_length),
                    code="max_length",
                    params={"language": code},
                )
        return value


# Rows ------------------------------------------------------------------------------------------------------


class RowImporter:
    """Checks, compares and (when ``write``) saves one row at a time."""

    def __init__(self, record_type, header, *, actor, write=False, source=""):
        self.rt, self.model = record_type, record_type.model
        self.actor, self.write, self.source = actor, write, source
        present = set(header)
        self.specs = [s for s in exports.field_specs(record_type) if present & set(s.data_columns)]
        self.resolve = Resolver(actor)
        self.seen = {}
        self.records = {}
        self.queryset = (
            self.model.objects.all()
            if actor is None
            else permissions.restrict(self.model.objects.all(), actor)
        )

    def prefetch(self, raw_ids):
        """Load the records of a batch of rows at once, with their related rows (few queries per batch)."""
        ids = {int(text) for text in map(_text, raw_ids) if text.isdigit()}
        self.records = {r.pk: r for r in exports.optimize(self.queryset.filter(pk__in=ids), self.specs)}

    def process(self, number, values):
        out = {"row": number, "id": None, "action": "error", "title": "", "changes": [], "errors": []}

        def error(column, message):
            out["errors"].append({"row": number, "column": column or "", "message": str(message)})

        if values is None or "__error__" in (values or {}):
            error("", values["__error__"] if values else NOT_AN_OBJECT)
            return out
        record = self._record(number, values, error)
        if record is None:
            return out
        out["id"] = record.pk
        current = {spec.name: self._current(spec, record) for spec in self.specs}
        parsed = {}
        for spec in self.specs:
            try:
                parsed[spec.name] = self._parse(spec, values, current[spec.name])
            except CellError as problem:
                error(problem.column, problem.message)
        out["title"] = self._title(record, parsed)
        if out["errors"]:
            return out
        changed = [spec for spec in self.specs if parsed[spec.name] != current[spec.name]]
        out["changes"] = self._changes(record, changed, values)
        if record.pk and not changed:
            out["action"] = "unchanged"
            return out
        if not self._gate(record, parsed, values, error):
            return out
        form, formsets = self._forms(record, parsed, changed)
        valid = form.is_valid()
        valid = all([fs.is_valid() for fs in formsets]) and valid
        if not valid:
            self._form_errors(form, formsets, values, error)
            return out
        if record.pk:  # a cell written differently but meaning the same ("usd", "TRUE", 01/31/2025)
            changed = [spec for spec in changed if self._differs(spec, form, current[spec.name])]
            out["changes"] = [
                c for c in out["changes"] if any(c["column"] in s.data_columns for s in changed)
            ]
            if not changed:
                out["action"] = "unchanged"
                return out
        action = "update" if record.pk else "create"
        if self.write and not self._save(record, form, formsets, changed, values, error):
            return out
        out["action"], out["id"] = action, record.pk
        return out

    def _record(self, number, values, error):
        raw = _text(values.get("id"))
        if not raw:
            return self.model()
        if not raw.isdigit():
            error("id", BAD_ID.format(value=raw))
            return None
        pk = int(raw)
        if pk in self.seen:
            error("id", DUPLICATE_ID.format(id=pk, row=self.seen[pk]))
            return None
        self.seen[pk] = number
        record = self.records.pop(pk, None) or self.queryset.filter(pk=pk).first()
        if record is None:
            error("id", NO_RECORD.format(id=pk))
            return None
        record._import_original = {
            f.attname: getattr(record, f.attname) for f in self.model._meta.concrete_fields
        }
        return record

    def _title(self, record, parsed):
        title = parsed.get(self.model.title_field)
        if isinstance(title, dict) and title:
            return resolve(title, None, record.original_language)[0]
        return record.display_title() if record.pk else ""

    # canonical values: what a record holds and what a cell says, in comparable form

    def _current(self, spec, record):
        kind, name = spec.kind, spec.name
        if kind == "multilingual":
            return clean_value(getattr(record, name))
        if kind == "fk":
            return getattr(record, spec.model_field.attname)
        if kind == "m2m":
            return frozenset(obj.pk for obj in getattr(record, name).all()) if record.pk else frozenset()
        if kind in ("shares", "pairs"):
            rows = list(getattr(record, spec.accessor).all()) if record.pk else []
            key = spec.key_field + "_id"
            if kind == "shares":
                return {getattr(r, key): getattr(r, spec.value_field) for r in rows}
            return frozenset((getattr(r, key), getattr(r, spec.value_field + "_id")) for r in rows)
        if kind == "codes":
            return frozenset(getattr(record, name) or [])
        if kind == "lines":
            return getattr(record, name) or []
        if kind == "text":
            return getattr(record, name) or ""
        return getattr(record, name)

    def _parse(self, spec, values, current):
        kind, name = spec.kind, spec.name
        if kind == "multilingual":
            merged = dict(current)
            for column in spec.data_columns:
                if column in values:
                    merged[column.rsplit("_", 1)[1]] = _text(values[column])
            return clean_value(merged)
        raw = values[name]
        text = _text(raw)
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            if text.lower() not in BOOLEANS:
                raise CellError(name, BAD_BOOLEAN.format(value=text))
            return BOOLEANS[text.lower()]
        if kind in ("int", "decimal", "date"):
            if not text:
                return None
            try:
                return spec.form_field.clean(raw if kind == "date" and hasattr(raw, "year") else text)
            except ValidationError:
                return text  # the form reports it with its own message
        if kind == "choice":
            return next((code for code in spec.choices if code.casefold() == text.casefold()), text)
        if kind == "codes":
            choices = {code.casefold(): code for code in spec.choices}
            return frozenset(choices.get(item.casefold(), item) for item in _items(raw))
        if kind == "lines":
            try:
                return spec.form_field.to_python(
                    "\n".join(map(_text, raw)) if isinstance(raw, list) else text
                )
            except ValidationError as problem:
                raise CellError(name, problem.messages[0]) from problem
        limit = spec.model_field.get_limit_choices_to() if spec.model_field.is_relation else None
        if kind == "fk":
            return self.resolve(name, spec.target, text, limit) if text else None
        if kind == "m2m":
            return frozenset(self.resolve(name, spec.target, item, limit) for item in _items(raw))
        if kind == "shares":
            shares = {}
            for item in _items(raw):
                code, colon, share = item.rpartition(":") if ":" in item else (item, "", "")
                pk = self.resolve(name, spec.target, code.strip())
                try:
                    percentage = (
                        decimal.Decimal(share.strip().rstrip("%").replace(",", ".")) if colon else None
                    )
                except decimal.InvalidOperation as problem:
                    raise CellError(name, BAD_PERCENTAGE.format(value=share)) from problem
                shares[pk] = percentage
            return shares
        if kind == "pairs":
            pairs = set()
            role_limit = spec.model_field.get_limit_choices_to()
            for item in _items(raw):
                who, colon, role = item.rpartition(":")
                if not colon or not who.strip() or not role.strip():
                    raise CellError(name, NO_ROLE.format(value=item))
                pairs.add(
                    (
                        self.resolve(name, spec.target, who.strip()),
                        self.resolve(name, spec.role, role.strip(), role_limit),
                    )
                )
            return frozenset(pairs)
        return text

    def _changes(self, record, changed, values):
        before = {}
        for spec in changed:
            if record.pk:
                before.update(spec.values(record))
        changes = []
        for spec in changed:
            for column in spec.data_columns:
                if column not in values:
                    continue
                old, new = _text(before.get(column)), _text(values[column])
                if spec.kind != "multilingual" or old != new:
                    changes.append({"column": column, "before": old if record.pk else "", "after": new})
        return changes

    # permission gate

    def _gate(self, record, parsed, values, error):
        actor, model = self.actor, self.model
        given = _text(values.get("revision"))
        if record.pk and given and given != str(record.revision):
            error("revision", CHANGED_SINCE.format(current=record.revision, given=given))
            return False
        if actor is None:
            return True
        if record.pk:
            if not permissions.can(actor, permissions.CHANGE, record):
                error("id", MAY_NOT_EDIT.format(id=record.pk, title=record.display_title()))
                return False
        elif not permissions.can(actor, permissions.ADD, model=model):
            error("", MAY_NOT_ADD)
            return False
        scope = model.scope_field
        if model.scope_kind == Scope.COUNTRY and not actor.is_secretariat and scope in parsed:
            scope_id = parsed[scope]
            moved = not record.pk or scope_id != record._import_original.get(scope + "_id")
            if moved and scope_id not in permissions.member_scope_ids(actor, model):
                error(scope, OWN_COUNTRY)
                return False
        return True

    # the record type's own form and formsets

    def _forms(self, record, parsed, changed):
        rt = self.rt
        unbound = rt.form(instance=record, user=self.actor)
        _adapt(unbound)
        data = {name: unbound[name].value() for name in unbound.fields}
        for spec in changed:
            if spec.kind in ("shares", "pairs"):
                continue
            value = parsed[spec.name]
            if spec.kind in ("m2m", "codes"):
                value = list(value)
            elif spec.kind == "lines":
                value = spec.form_field.prepare_value(value)
            elif value is None:
                value = ""
            data[spec.name] = value
        form = rt.form(data, instance=record, user=self.actor)
        _adapt(form)
        formsets = [self._formset(record, spec, parsed[spec.name]) for spec in changed if spec.inline]
        return form, formsets

    def _formset(self, record, spec, wanted):
        formset_class = spec.inline
        prefix = getattr(formset_class, "prefix_name", None) or formset_class.get_default_prefix()
        existing = list(getattr(record, spec.accessor).all()) if record.pk else []
        rows = []
        key_id, value_id = spec.key_field + "_id", spec.value_field + ("_id" if spec.kind == "pairs" else "")
        for obj in existing:
            key = getattr(obj, key_id)
            if spec.kind == "shares":
                keep = key in wanted
                value = wanted.get(key) if keep else getattr(obj, value_id)
            else:
                keep = (key, getattr(obj, value_id)) in wanted
                value = getattr(obj, value_id)
            rows.append({"id": obj.pk, spec.key_field: key, spec.value_field: value, "DELETE": not keep})
        have = {(row[spec.key_field], row[spec.value_field]) for row in rows}
        have_keys = {row[spec.key_field] for row in rows}
        items = wanted.items() if spec.kind == "shares" else sorted(wanted)
        for key, value in items:
            if (spec.kind == "shares" and key not in have_keys) or (
                spec.kind == "pairs" and (key, value) not in have
            ):
                rows.append({spec.key_field: key, spec.value_field: value})
        data = {
            f"{prefix}-TOTAL_FORMS": len(rows),
            f"{prefix}-INITIAL_FORMS": len(existing),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = "" if value is None else value
        formset = formset_class(data, instance=record, prefix=prefix)
        formset.import_spec = spec
        return formset

    @staticmethod
    def _differs(spec, form, current):
        """Whether the form's cleaned value of a changed cell still differs from the stored one."""
        if spec.kind in RELATED_KINDS or spec.kind == "codes":
            return True
        value = form.cleaned_data.get(spec.name)
        if spec.kind == "fk":
            value = value.pk if value is not None else None
        elif spec.kind == "text" and value is None:
            value = ""
        return value != current

    def _form_errors(self, form, formsets, values, error):
        reported = form.errors.as_data()
        on_fields = {m for name, ps in reported.items() if name != "__all__" for p in ps for m in p.messages}
        for name, problems in reported.items():
            for problem in problems:
                for message in problem.messages:
                    if name == "__all__" and message in on_fields:
                        continue  # a constraint that the model's clean() reported on its field already
                    error(self._column(name, problem, values), message)
        for formset in formsets:
            column = formset.import_spec.name
            for problems in formset.errors:
                for messages in problems.values():
                    for message in messages:
                        error(column, message)
            for message in formset.non_form_errors():
                error(column, message)

    def _column(self, name, problem, values):
        if name == "__all__":
            return ""
        if name == "base_revision":
            return "revision"
        spec = next((s for s in exports.field_specs(self.rt) if s.name == name), None)
        if spec is None or spec.kind != "multilingual":
            return name
        language = (problem.params or {}).get("language")
        if language:
            return "{}_{}".format(name, language)
        return next((c for c in spec.data_columns if c in values), spec.data_columns[0])

    def _save(self, record, form, formsets, changed, values, error):
        record = form.save(commit=False)
        original = getattr(record, "_import_original", None)
        if original:  # fields whose cells did not change keep their stored value exactly
            changed_names = {spec.name for spec in changed}
            for spec in exports.field_specs(self.rt):
                if spec.name not in changed_names and spec.kind not in RELATED_KINDS:
                    attname = spec.model_field.attname
                    setattr(record, attname, original[attname])

        def save_related(saved):
            form.save_m2m()
            for formset in formsets:
                formset.instance = saved
                formset.save()

        given = _text(values.get("revision"))
        try:
            with transaction.atomic():
                services.record_save(
                    record=record,
                    actor=self.actor,
                    base_revision=(int(given) if given.isdigit() else record.revision) if record.pk else None,
                    save_related=save_related,
                    action=VersionAction.IMPORTED,
                    comment=str(_("Imported from {file}.").format(file=self.source)) if self.source else "",
                )
        except services.EditConflict as conflict:
            error(
                "revision",
                CHANGED_SINCE.format(current=conflict.current_revision, given=conflict.base_revision),
            )
        except PermissionDenied as problem:
            error("id", str(problem) or MAY_NOT_EDIT.format(id=record.pk, title=record.display_title()))
        except ValidationError as problem:
            for name, messages in getattr(problem, "message_dict", {"": problem.messages}).items():
                for message in messages:
                    error("" if name == "__all__" else name, message)
        except IntegrityError:
            error("", UNIQUE)
        else:
            return True
        return False


def _adapt(form):
    for name, form_field in list(form.fields.items()):
        if isinstance(form_field, MultilingualFormField):
            form.fields[name] = TextsField(
                required=form_field.required,
                max_length=form_field.fields[0].max_length,
                label=form_field.label,
            )


# The service -----------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list = field(default_factory=list)  # [{row, column, message}], the first MAX_REPORTED
    rows: list = field(default_factory=list)  # [{row, id, action, title, changes}] of rows that change
    notices: list = field(default_factory=list)
    written: bool = False

    @property
    def valid(self):
        return not self.error_count

    def add_error(self, row, column, message):
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append({"row": row, "column": column, "message": str(message)})


def import_records(*, record_type, fileobj, name="", format=None, actor, dry_run=True, progress=None):
    """Import a file of ``record_type`` records as ``actor`` (``None``: the system). With ``dry_run`` nothing
    is written; otherwise everything is, in one transaction, or nothing when any row is invalid.

    ``progress(done, total)`` is called as rows are processed. Returns an :class:`ImportResult`."""
    result = ImportResult()
    try:
        table = read_table(fileobj, name=name, format=format)
    except ImportFileError as problem:
        result.add_error(None, "", problem.message)
        return result
    with table:
        result.total, result.notices = table.total, list(table.notices)
        try:
            check_header(record_type, table.header)
        except ImportFileError as problem:
            result.add_error(None, "", problem.message)
            return result
        importer = RowImporter(record_type, table.header, actor=actor, write=not dry_run, source=name)
        if dry_run:
            _process(importer, table, result, progress)
        else:
            with transaction.atomic():
                _process(importer, table, result, progress)
                if not result.valid:
                    transaction.set_rollback(True)
            result.written = result.valid
    return result


def _batches(rows, size=500):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _process(importer, table, result, progress):
    done = 0
    try:
        for batch in _batches(table.rows()):
            importer.prefetch(values.get("id") for _number, values in batch if isinstance(values, dict))
            for number, values in batch:
                done += 1
                _tally(result, importer.process(number, values))
                if progress:
                    progress(done, result.total)
    except ImportFileError as problem:
        result.add_error(None, "", problem.message)


def _tally(result, out):
    for problem in out.pop("errors"):
        result.add_error(problem["row"], problem["column"], problem["message"])
    if out["action"] == "create":
        result.created += 1
    elif out["action"] == "update":
        result.updated += 1
    elif out["action"] == "unchanged":
        result.unchanged += 1
    if out["action"] in ("create", "update") and len(result.rows) < MAX_REPORTED:
        result.rows.append(out)


# Import jobs: the pages and the background task -------------------------------------------------------------


def import_job_create(*, record_type, upload, actor, dry_run=True, language=None, format=None):
    """Check an uploaded file as a whole (format, size, encoding, columns, rows) and keep it for the import.

    Raises :class:`ImportFileError` with a message for the user; nothing is kept then."""
    with read_table(upload, name=upload.name, format=format) as table:
        check_header(record_type, table.header)
        total, found = table.total, table.format
    job = ImportJob(
        record_type=record_type.key,
        user=actor,
        filename=upload.name[:255],
        format=found,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        dry_run=dry_run,
        rows_total=total,
    )
    upload.seek(0)
    job.file.save("{}.{}".format(uuid.uuid4().hex, found), File(upload), save=False)
    job.save()
    return job


def import_job_start(*, job):
    """Run a short import now; queue a long one for the task worker."""
    if job.rows_total <= inline_rows():
        import_job_run(job_id=job.pk)
        return
    from .tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))


def import_job_apply(*, job, actor):
    """Import for real a file whose dry run found it valid."""
    if job.user_id != getattr(actor, "pk", None) or job.status != ImportJob.Status.CHECKED:
        raise PermissionDenied(_("This import cannot be applied."))
    ImportJob.objects.filter(pk=job.pk).update(
        dry_run=False, status=ImportJob.Status.QUEUED, rows_done=0, started_at=None, finished_at=None
    )
    job.refresh_from_db()
    import_job_start(job=job)


def import_job_run(*, job_id):
    """Run a queued import job, recording its progress and its outcome on the job."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:  # run already, or by another worker
        return
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    try:
        with translation.override(job.language), job.file.open("rb") as handle:
            result = import_records(
                record_type=registry[job.record_type],
                fileobj=handle,
                name=job.filename,
                format=job.format or None,
                actor=job.user,
                dry_run=job.dry_run,
                progress=Progress(job.pk),
            )
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        with translation.override(job.language):
            message = str(FAILED)
        _finish(job, status=ImportJob.Status.FAILED, errors=[{"row": None, "column": "", "message": message}])
        return
    if not result.valid:
        status = ImportJob.Status.INVALID
    else:
        status = ImportJob.Status.CHECKED if job.dry_run else ImportJob.Status.IMPORTED
    _finish(
        job,
        status=status,
        rows_done=result.total,
        created_count=result.created,
        updated_count=result.updated,
        unchanged_count=result.unchanged,
        error_count=result.error_count,
        errors=result.errors,
        notices=result.notices,
        preview=result.rows,
    )


def _finish(job, **fields):
    for name, value in fields.items():
        setattr(job, name, value)
    job.finished_at = timezone.now()
    if job.status != ImportJob.Status.CHECKED and job.file:  # the file is kept only until it is applied
        job.file.delete(save=False)
    job.save()


class Progress:
    """Writes a job's rows done, about a hundred times per import and at most twice a second."""

    def __init__(self, job_id):
        self.job_id, self.last, self.at = job_id, 0, 0.0

    def __call__(self, done, total):
        step = max(1, total // 100)
        now = time.monotonic()
        if done != total and (done - self.last < step or now - self.at < 0.5):
            return
        self.last, self.at = done, now
        _publish_progress(self.job_id, done)


def _publish_progress(job_id, done):
    if not connection.in_atomic_block:
        ImportJob.objects.filter(pk=job_id).update(rows_done=done)
    elif connection.vendor == "postgresql":
        # The import's own transaction hides its writes until it commits: report from another connection.
        thread = threading.Thread(target=_update_elsewhere, args=(job_id, done))
        thread.start()
        thread.join()
    # SQLite allows one writer at a time: a running write shows its progress when it commits.


def _update_elsewhere(job_id, done):
    try:
        ImportJob.objects.filter(pk=job_id).update(rows_done=done)
    finally:
        connections.close_all()
