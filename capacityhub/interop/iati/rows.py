"""Rows written by the IATI import straight to the database: new initiatives, versions and search entries.

What :func:`capacityhub.core.services.record_save` does for one record through the ORM, done here for a
batch with one statement per table and no model instance per row, so that the import's time goes to the
database rather than to building and compiling queries. The values are the same:

- an initiative row holds every column the ORM would write (defaults taken from the model once);
- a version's snapshot is what :func:`capacityhub.core.services.snapshot` returns (same keys, values made
  JSON-ready the way :class:`~django.core.serializers.json.DjangoJSONEncoder` does);
- a search entry's document is built from the texts ``Initiative.search_texts`` indexes (multilingual
  fields, project number and IATI identifier, names of the countries and organizations); on SQLite the
  FTS5 table follows through its triggers, on PostgreSQL the vector is computed as
  :mod:`capacityhub.core.search` does.

The tests compare each of them with the ORM's own result."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone

from capacityhub.core import search
from capacityhub.core.models import SearchEntry, Version
from capacityhub.core.multilingual import MultilingualField
from capacityhub.core.services import SNAPSHOT_EXCLUDE

ENCODER = DjangoJSONEncoder()
SIMPLE = {str, int, float, bool}
EXECUTEMANY_CHUNK = 2000


def quote(name):
    return connection.ops.quote_name(name)


def insert_rows(model, columns, rows):
    """``INSERT`` plain rows into ``model``'s table with one ``executemany`` (values already prepared)."""
    if not rows:
        return
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), EXECUTEMANY_CHUNK):
            cursor.executemany(sql, rows[start : start + EXECUTEMANY_CHUNK])


def plain(value):
    """``value`` as ``json.loads(json.dumps(value, cls=DjangoJSONEncoder))`` returns it, without the text."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool or kind is float:
        return value
    if kind is dict:
        if all(type(item) is str for item in value.values()) and all(type(key) is str for key in value):
            return dict(value)  # a multilingual text: the common case
        return {str(key): plain(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [plain(item) for item in value]
    if isinstance(value, (str, int, float)):
        return plain(json.loads(json.dumps(value)))  # subclasses (enumerations) as the encoder writes them
    return plain(ENCODER.default(value))


def preparer(field, conn):
    """A function preparing a Python value of ``field`` for ``conn`` as ``field.get_db_prep_save`` does, with
    the backend's adapter called directly (``None`` when the value is passed as it is)."""
    ops = conn.ops
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        adapt = ops.adapt_json_value
        return lambda value: adapt(value, encoder)
    if isinstance(field, models.DateTimeField):
        done = {}  # the same few instants (the batch's "now") on every row: prepared once

        def prepare_datetime(value):
            if value not in done:
                done[value] = field.get_db_prep_save(value, conn)  # naive-value warning, time zones
            return done[value]

        return prepare_datetime
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        adapt = ops.adapt_decimalfield_value
        digits, places = field.max_digits, field.decimal_places
        return lambda value: adapt(field.to_python(value), digits, places)
    return None


class Table:
    """The columns of a model's table, with how to prepare each value and the model's defaults."""

    def __init__(self, model):
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        self.columns = [field.column for field in self.fields]
        template = model()
        self.defaults = {field.attname: field.value_from_object(template) for field in self.fields}
        #: (snapshot key, attribute) of the fields a version's snapshot holds
        self.snapshot_fields = [
            (field.name, field.attname) for field in self.fields if field.name not in SNAPSHOT_EXCLUDE
        ]
        self.many_to_many = [field.name for field in model._meta.many_to_many]
        self.multilingual = [field.attname for field in self.fields if isinstance(field, MultilingualField)]

    def rows(self, items):
        """The prepared column values (in :attr:`columns` order) of each ``{attname: python value}`` of
        ``items`` (every column given)."""
        conn = connections[DEFAULT_DB_ALIAS]
        prepare = [(field.attname, preparer(field, conn)) for field in self.fields]
        result = []
        for values in items:
            row = []
            for attname, function in prepare:
                value = values[attname]
                if function is not None and value is not None:
                    value = function(value)
                row.append(value)
            result.append(row)
        return result

    def insert_returning(self, rows, key_column):
        """Insert ``rows`` (prepared, in :attr:`columns` order); returns ``{key: id}`` read back from
        ``RETURNING``, so that no assumption is made on the order the database returns them in."""
        found = {}
        if not rows:
            return found
        limit = connection.features.max_query_params or 65535  # PostgreSQL: the protocol's limit
        size = max(1, min(connection.ops.bulk_batch_size(self.fields, rows), limit // len(self.columns)))
        head = "INSERT INTO {} ({}) VALUES ".format(
            quote(self.model._meta.db_table), ", ".join(quote(column) for column in self.columns)
        )
        one = "({})".format(", ".join(["%s"] * len(self.columns)))
        tail = " RETURNING {}, {}".format(quote(self.model._meta.pk.column), quote(key_column))
        with connection.cursor() as cursor:
            for start in range(0, len(rows), size):
                chunk = rows[start : start + size]
                cursor.execute(
                    head + ", ".join([one] * len(chunk)) + tail, [value for row in chunk for value in row]
                )
                for pk, key in cursor.fetchall():
                    found[key] = pk
        return found

    def snapshot(self, values, m2m, related):
        """What :func:`capacityhub.core.services.snapshot` returns for a record holding ``values``, with the
        many-to-many ids ``m2m`` (per field name) and ``related`` (what ``snapshot_related`` returns)."""
        data = {}
        for name, attname in self.snapshot_fields:
            value = values[attname]
            data[name] = value if value is None or type(value) in SIMPLE else plain(value)
        for name in self.many_to_many:
            data[name] = sorted(m2m.get(name, ()))
        data.update(plain(related))
        return data

    def texts(self, values):
        """The texts ``Record.search_texts`` indexes for the multilingual fields of ``values``."""
        texts = []
        for attname in self.multilingual:
            value = values[attname]
            if value:
                texts.extend((code, text) for code, text in value.items() if text)
        return texts


VERSION_COLUMNS = (
    "content_type",
    "object_id",
    "number",
    "action",
    "status",
    "actor",
    "created_at",
    "data",
    "changes",
    "comment",
)


def insert_versions(rows):
    """Insert versions given as ``(content_type_id, object_id, number, action, status, actor_id, data,
    changes, comment)`` with one ``executemany``, JSON prepared as :class:`Version`'s fields do."""
    if not rows:
        return
    fields = {name: Version._meta.get_field(name) for name in VERSION_COLUMNS}
    conn = connections[DEFAULT_DB_ALIAS]
    now = fields["created_at"].get_db_prep_save(timezone.now(), conn)
    prepare_data, prepare_changes = preparer(fields["data"], conn), preparer(fields["changes"], conn)
    prepared = [
        (
            content_type,
            object_id,
            number,
            action,
            status,
            actor,
            now,
            prepare_data(data),
            prepare_changes(changes),
            comment,
        )
        for content_type, object_id, number, action, status, actor, data, changes, comment in rows
    ]
    insert_rows(Version, [fields[name].column for name in VERSION_COLUMNS], prepared)


def index_documents(key, texts_by_pk, new=()):
    """Write the search entries of records of type ``key`` (``{pk: [(language, text)]}``) as
    :func:`capacityhub.core.search.index_records` does: one document per record, the FTS5 table kept in step
    by its triggers (SQLite), the vector computed per language (PostgreSQL). Records whose ids are in ``new``
    were inserted by this transaction: they have no entry yet (ids are never reused), so none is looked up."""
    if not texts_by_pk:
        return
    existing = {}
    ids = [pk for pk in texts_by_pk if pk not in new]
    for start in range(0, len(ids), 500):
        existing.update(
            SearchEntry.objects.filter(record_type=key, object_id__in=ids[start : start + 500]).values_list(
                "object_id", "pk"
            )
        )
    to_create, to_update = [], []
    for pk, texts in texts_by_pk.items():
        document = "\n".join(text for _lang, text in texts)
        if pk in existing:
            to_update.append((document, existing[pk]))
        else:
            to_create.append((key, pk, document))
    insert_rows(SearchEntry, ("record_type", "object_id", "document"), to_create)
    if to_update:
        sql = "UPDATE {} SET {} = %s WHERE {} = %s".format(
            quote(SearchEntry._meta.db_table), quote("document"), quote("id")
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, to_update)
    if connection.vendor == "postgresql":
        update_vectors(key, texts_by_pk)


def update_vectors(key, texts_by_pk, chunk=200):
    """PostgreSQL: the vectors of the entries, as ``core.search`` computes them (each text with the text
    search configuration of its language, and all of them with ``simple``), in one ``UPDATE`` per ``chunk``
    records instead of one per record."""
    ids = list(texts_by_pk)
    table = quote(SearchEntry._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), chunk):
            rows, params = [], []
            for pk in ids[start : start + chunk]:
                texts = texts_by_pk[pk]
                parts = ["to_tsvector(%s::regconfig, %s)"] * len(texts)
                parts.append("to_tsvector('simple'::regconfig, %s)")
                rows.append("(%s::bigint, {})".format(" || ".join(parts)))
                params.append(pk)
                for lang, text in texts:
                    params.extend([search.PG_CONFIGS.get(lang or "", "simple"), text])
                params.append(" ".join(text for _lang, text in texts))
            cursor.execute(
                "UPDATE {table} AS entry SET vector = computed.vector FROM (VALUES {rows}) AS "
                "computed(object_id, vector) WHERE entry.record_type = %s AND entry.object_id = "
                "computed.object_id".format(table=table, rows=", ".join(rows)),
                [*params, key],
            )
