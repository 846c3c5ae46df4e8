"""The database's own full-text engines: a GIN index on PostgreSQL; on SQLite an FTS5 table kept in
step with core_searchentry by triggers."""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE core_searchentry_fts USING fts5("
    "document, content='core_searchentry', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER core_searchentry_ai AFTER INSERT ON core_searchentry BEGIN "
    "INSERT INTO core_searchentry_fts(rowid, document) VALUES (new.id, new.document); END",
    "CREATE TRIGGER core_searchentry_ad AFTER DELETE ON core_searchentry BEGIN "
    "INSERT INTO core_searchentry_fts(core_searchentry_fts, rowid, document) VALUES('delete', old.id, old.document); END",
    "CREATE TRIGGER core_searchentry_au AFTER UPDATE ON core_searchentry BEGIN "
    "INSERT INTO core_searchentry_fts(core_searchentry_fts, rowid, document) VALUES('delete', old.id, old.document); "
    "INSERT INTO core_searchentry_fts(rowid, document) VALUES (new.id, new.document); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_searchentry_au",
    "DROP TRIGGER IF EXISTS core_searchentry_ad",
    "DROP TRIGGER IF EXISTS core_searchentry_ai",
    "DROP TABLE IF EXISTS core_searchentry_fts",
]
POSTGRES_FORWARD = ["CREATE INDEX core_searchentry_vector_gin ON core_searchentry USING gin (vector)"]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS core_searchentry_vector_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
