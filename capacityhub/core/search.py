"""Full-text search over records in all their languages, with the database's own engine.

PostgreSQL: ``SearchEntry.vector`` is a ``tsvector`` built with the text search configuration of each
text's language (plus ``simple`` for names and codes), under a GIN index. SQLite: an FTS5 table
``core_searchentry_fts`` (``unicode61``, diacritics removed) mirrors ``SearchEntry.document`` through
triggers. Lists filter with ``search_filter(queryset, record_type_key, q)``: one SQL sub-query either way.
"""

import re

from django.db import connection
from django.db.models.expressions import RawSQL

from .models import SearchEntry

PG_CONFIGS = {"en": "english", "es": "spanish", "fr": "french", "ru": "russian", "ar": "arabic"}
TOKEN = re.compile(r"\w+", re.UNICODE)


def _is_postgres():
    return connection.vendor == "postgresql"


def index_record(record):
    """Write (or rewrite) the search entry of one record."""
    index_records(type(record), [record])


def index_records(model, records):
    """Index many records of one model, in few queries."""
    key = model.record_type.key
    records = list(records)
    if not records:
        return
    pairs = {record.pk: record.search_texts() for record in records}
    existing = dict(
        SearchEntry.objects.filter(record_type=key, object_id__in=pairs).values_list("object_id", "pk")
    )
    to_create, to_update = [], []
    for pk, texts in pairs.items():
        document = "\n".join(text for _lang, text in texts)
        if pk in existing:
            to_update.append(SearchEntry(pk=existing[pk], record_type=key, object_id=pk, document=document))
        else:
            to_create.append(SearchEntry(record_type=key, object_id=pk, document=document))
    SearchEntry.objects.bulk_create(to_create, batch_size=500)
    SearchEntry.objects.bulk_update(to_update, ["document"], batch_size=500)
    if _is_postgres():
        _update_vectors(key, pairs)


def _update_vectors(key, pairs):
    with connection.cursor() as cursor:
        for pk, texts in pairs.items():
            parts, params = [], []
            for lang, text in texts:
                config = PG_CONFIGS.get(lang or "", "simple")
                parts.append("to_tsvector(%s::regconfig, %s)")
                params.extend([config, text])
            parts.append("to_tsvector('simple'::regconfig, %s)")
            params.append(" ".join(text for _lang, text in texts))
            cursor.execute(
                "UPDATE core_searchentry SET vector = {} WHERE record_type = %s AND object_id = %s".format(
                    " || ".join(parts)
                ),
                [*params, key, pk],
            )


def unindex(record_type_key, object_ids):
    SearchEntry.objects.filter(record_type=record_type_key, object_id__in=list(object_ids)).delete()


def _fts5_query(q):
    tokens = TOKEN.findall(q)
    return " ".join('"{}"*'.format(token.replace('"', "")) for token in tokens[:20])


def search_filter(queryset, record_type_key, q, language="en"):
    """Restrict ``queryset`` to records whose text, in any language, matches the user's query ``q``."""
    q = (q or "").strip()
    if not q:
        return queryset
    if _is_postgres():
        config = PG_CONFIGS.get(language, "simple")
        sql = (
            "SELECT object_id FROM core_searchentry WHERE record_type = %s AND vector @@ "
            "(websearch_to_tsquery('simple'::regconfig, %s) || websearch_to_tsquery(%s::regconfig, %s))"
        )
        return queryset.filter(pk__in=RawSQL(sql, [record_type_key, q, config, q]))
    match = _fts5_query(q)
    if not match:
        return queryset
    sql = (
        "SELECT e.object_id FROM core_searchentry e JOIN core_searchentry_fts f ON f.rowid = e.id "
        "WHERE e.record_type = %s AND core_searchentry_fts MATCH %s"
    )
    return queryset.filter(pk__in=RawSQL(sql, [record_type_key, match]))
