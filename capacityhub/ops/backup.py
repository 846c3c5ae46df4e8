"""Backups of the whole platform in one archive, and their restore.

The archive is a ZIP file:

- ``manifest.json``: the format and its version, when and from which database vendor it was made, the
  schema state (every applied migration), the id sequences, and for every data file and media file its
  size, row count and SHA-256;
- ``data/NNNN-<app>.<model>.jsonl``: every row of every table the models own (records, users with their
  password hashes, roles and API tokens, history, reference data, sessions, tasks...), one JSON object a
  line, written with Django's serializers while streaming through the table in primary-key order; tables of
  many-to-many relations are dumped as tables of their own so their ids survive too;
- ``media/<path>``: every uploaded file under ``MEDIA_ROOT``, byte for byte.

The dump is read inside one transaction (a snapshot: PostgreSQL ``REPEATABLE READ``, SQLite a read
transaction), so the archive is consistent even while the platform is in use.

A restore first checks the whole archive (format, checksums of every entry, schema state equal to the
target database's), then, in one database transaction, empties every table, loads every row with its
original id, moves the id sequences past the original ones, checks every foreign key and rebuilds the
search index where the database keeps it outside the rows (SQLite's FTS5 table). Only then are the media
files swapped in. Any failure leaves the database and the files as they were.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JSONLSerializer
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "capacityhub-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
BATCH = 1000

#: Tables that ``migrate`` fills by itself: a freshly migrated database has rows there and is still empty.
MIGRATION_SEEDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "coordination.exchangerate",
    "interop.mappingrule",
}


class BackupError(Exception):
    """The archive cannot be made or restored; the message says why, for the administrator."""


# --- which tables, in which order -------------------------------------------------------------------


def dumped_models():
    """Every concrete table the installed models own (many-to-many tables included), parents first."""
    models = []
    for app_config in apps.get_app_configs():
        for model in app_config.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            models.append(model)
    return _parents_first(models)


def _parents_first(models):
    """Order ``models`` so that a table comes after the tables its foreign keys point to (cycles broken
    arbitrarily: foreign keys are checked at the end of the restore, not row by row)."""
    by_label = {m._meta.label_lower: m for m in models}
    ordered, state = [], {}

    def visit(model):
        label = model._meta.label_lower
        if state.get(label) == "done" or state.get(label) == "visiting":
            return
        state[label] = "visiting"
        for field in model._meta.local_concrete_fields:
            target = field.remote_field.model if field.remote_field else None
            if target is not None and target._meta.concrete_model._meta.label_lower in by_label:
                visit(by_label[target._meta.concrete_model._meta.label_lower])
        state[label] = "done"
        ordered.append(model)

    for model in sorted(models, key=lambda m: m._meta.label_lower):
        visit(model)
    return ordered


def data_name(index, model):
    return "data/{:04d}-{}.jsonl".format(index, model._meta.label_lower)


# --- writing ----------------------------------------------------------------------------------------


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes and times to milliseconds; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            if isinstance(o, datetime.time) and timezone.is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            value = o.isoformat()
            return value[:-6] + "Z" if value.endswith("+00:00") else value
        return super().default(o)


class RowSerializer(JSONLSerializer):
    """Django's JSON-lines serializer, one table at a time: exact timestamps, and many-to-many links left
    to their own tables (dumped separately, with their ids)."""

    rows = 0

    def handle_m2m_field(self, obj, field):
        pass

    def end_object(self, obj):
        json.dump(self.get_dump_object(obj), self.stream, cls=ExactJSONEncoder, ensure_ascii=False)
        self.stream.write("\n")
        self._current = None
        self.rows += 1


class HashingWriter(io.RawIOBase):
    """A binary stream that hashes and counts what goes through it to ``target``."""

    def __init__(self, target):
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self):
        return True

    def write(self, data):
        self.sha256.update(data)
        self.size += len(data)
        return self.target.write(data)


def _applied_migrations(connection):
    return sorted(
        "{}.{}".format(app, name) for app, name in MigrationRecorder(connection).applied_migrations()
    )


def _sequences(connection, models):
    """The id sequence of every table with an automatic id: {table: last value given out}."""
    values = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            return {name: int(seq) for name, seq in cursor.fetchall()}
        if connection.vendor != "postgresql":
            return values
        for model in models:
            pk = model._meta.pk
            if pk.get_internal_type() not in ("AutoField", "BigAutoField", "SmallAutoField"):
                continue
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, pk.column])
            sequence = cursor.fetchone()[0]
            if not sequence:
                continue
            cursor.execute("SELECT last_value, is_called FROM {}".format(sequence))
            last_value, is_called = cursor.fetchone()
            if is_called:
                values[model._meta.db_table] = int(last_value)
    return values


@contextmanager
def _snapshot(connection):
    """One consistent view of the database for the whole dump, without blocking writers."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            # A deferred read transaction: WAL readers see one snapshot and never hold writers up.
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("ROLLBACK")
        return
    nested = connection.in_atomic_block  # already inside a transaction (a test): that one is the snapshot
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql" and not nested:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _media_files(media_root):
    root = Path(media_root)
    if not root.is_dir():
        return []
    files = []
    for dirpath, _dirnames, filenames in os.walk(root):
        for filename in filenames:
            path = Path(dirpath) / filename
            if path.is_file() and not path.is_symlink():
                files.append(path.relative_to(root).as_posix())
    return sorted(files)


def write_backup(output, *, using=DEFAULT_DB_ALIAS, media_root=None, progress=None):
    """Write the archive to ``output`` (a path); return its manifest. Written beside it first, then renamed,
    so a failed backup never leaves a half archive under the requested name."""
    connection = connections[using]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    models = dumped_models()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "migrations": [],
        "sequences": {},
        "tables": [],
        "media": [],
    }
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            with _snapshot(connection):
                manifest["migrations"] = _applied_migrations(connection)
                manifest["sequences"] = _sequences(connection, models)
                for index, model in enumerate(models, start=1):
                    name = data_name(index, model)
                    with archive.open(name, "w", force_zip64=True) as raw:
                        hashing = HashingWriter(raw)
                        text = io.TextIOWrapper(hashing, encoding="utf-8", newline="\n", write_through=True)
                        serializer = RowSerializer()
                        queryset = model._base_manager.using(using).order_by("pk")
                        serializer.serialize(queryset.iterator(chunk_size=2000), stream=text)
                        text.flush()
                        text.detach()
                    manifest["tables"].append(
                        {
                            "model": model._meta.label_lower,
                            "table": model._meta.db_table,
                            "file": name,
                            "rows": serializer.rows,
                            "size": hashing.size,
                            "sha256": hashing.sha256.hexdigest(),
                        }
                    )
                    if progress:
                        progress(model._meta.label_lower, serializer.rows)
            for relative in _media_files(media_root):
                name = "media/" + relative
                digest, size = hashlib.sha256(), 0
                with (
                    open(media_root / relative, "rb") as source,
                    archive.open(name, "w", force_zip64=True) as target,
                ):
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        target.write(chunk)
                manifest["media"].append({"path": relative, "size": size, "sha256": digest.hexdigest()})
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
        os.replace(partial, output)
    finally:
        if partial.exists():
            partial.unlink()
    return manifest


# --- reading and checking ---------------------------------------------------------------------------


def read_manifest(archive):
    try:
        raw = archive.read(MANIFEST)
    except KeyError:
        raise BackupError(_("This file is not a CapacityHub backup: it has no manifest.")) from None
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(_("The backup's manifest is damaged ({error}).").format(error=error)) from error
    try:
        manifest = json.loads(raw)
    except ValueError as error:
        raise BackupError(_("The backup's manifest is damaged ({error}).").format(error=error)) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This file is not a CapacityHub backup."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _(
                "This backup has format version {found}; this version of CapacityHub reads version "
                "{expected}."
            ).format(found=manifest.get("format_version"), expected=FORMAT_VERSION)
        )
    return manifest


def verify_archive(archive, manifest):
    """Read every entry the manifest lists and compare its size and SHA-256."""
    entries = [(t["file"], t["size"], t["sha256"]) for t in manifest["tables"]]
    entries += [("media/" + m["path"], m["size"], m["sha256"]) for m in manifest["media"]]
    for name, size, sha256 in entries:
        digest, length = hashlib.sha256(), 0
        try:
            with archive.open(name) as entry:
                while chunk := entry.read(CHUNK):
                    digest.update(chunk)
                    length += len(chunk)
        except KeyError:
            raise BackupError(_("The backup is incomplete: {name} is missing.").format(name=name)) from None
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise BackupError(
                _("The backup is damaged: {name} cannot be read ({error}).").format(name=name, error=error)
            ) from error
        if length != size or digest.hexdigest() != sha256:
            raise BackupError(
                _("The backup is damaged: {name} does not match its checksum.").format(name=name)
            )


def check_compatible(manifest, connection):
    """The archive's schema state must be exactly the target database's."""
    known = {m._meta.label_lower for m in dumped_models()}
    unknown = sorted(t["model"] for t in manifest["tables"] if t["model"] not in known)
    if unknown:
        raise BackupError(
            _("The backup holds tables this version of CapacityHub does not have: {names}.").format(
                names=", ".join(unknown[:10])
            )
        )
    archived, applied = set(manifest["migrations"]), set(_applied_migrations(connection))
    missing, extra = sorted(archived - applied), sorted(applied - archived)
    if missing:
        raise BackupError(
            _(
                "The backup was made by a newer version of the database schema: apply its migrations first "
                "(missing here: {names})."
            ).format(names=", ".join(missing[:10]))
        )
    if extra:
        raise BackupError(
            _(
                "The backup was made by an older version of the database schema: restore it with that "
                "version, then upgrade (not in the backup: {names})."
            ).format(names=", ".join(extra[:10]))
        )


def non_empty_tables(using=DEFAULT_DB_ALIAS):
    """Tables holding rows a freshly migrated database would not have."""
    return [
        model._meta.label_lower
        for model in dumped_models()
        if model._meta.label_lower not in MIGRATION_SEEDED and model._base_manager.using(using).exists()
    ]


# --- restoring --------------------------------------------------------------------------------------


def _load_table(archive, entry, model, connection):
    fields = model._meta.local_concrete_fields
    manager = model._base_manager.db_manager(connection.alias)
    batch, count = [], 0

    def flush():
        size = max(1, connection.ops.bulk_batch_size(fields, batch) or len(batch))
        for start in range(0, len(batch), size):
            manager._insert(batch[start : start + size], fields=fields, raw=True, using=connection.alias)

    with archive.open(entry["file"]) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8")
        try:
            for line_number, line in enumerate(text, start=1):
                if not line.strip():
                    continue
                try:
                    (deserialized,) = serializers.deserialize("jsonl", line, using=connection.alias)
                except Exception as error:
                    raise BackupError(
                        _("The backup is damaged: {name}, line {line}: {error}").format(
                            name=entry["file"], line=line_number, error=error
                        )
                    ) from error
                obj = deserialized.object
                if type(obj)._meta.label_lower != model._meta.label_lower:
                    raise BackupError(
                        _("The backup is damaged: {name}, line {line} is not a row of {model}.").format(
                            name=entry["file"], line=line_number, model=model._meta.label_lower
                        )
                    )
                batch.append(obj)
                count += 1
                if len(batch) >= BATCH:
                    flush()
                    batch = []
        finally:
            text.detach()
    if batch:
        flush()
    if count != entry["rows"]:
        raise BackupError(
            _("The backup is damaged: {name} has {found} rows instead of {expected}.").format(
                name=entry["file"], found=count, expected=entry["rows"]
            )
        )
    return count


def _restore_sequences(connection, models, saved):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
            for model in models:
                table, pk = model._meta.db_table, model._meta.pk
                if table not in saved:
                    continue
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk.column])
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute(
                        "SELECT setval(%s, GREATEST(%s, (SELECT COALESCE(MAX({}), 0) FROM {})))".format(
                            connection.ops.quote_name(pk.column), connection.ops.quote_name(table)
                        ),
                        [sequence, saved[table]],
                    )
        elif connection.vendor == "sqlite":
            tables = {m._meta.db_table for m in models}
            for table, value in saved.items():
                if table not in tables:
                    continue
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [value, table]
                )
                if cursor.rowcount == 0:
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, value])


def _rebuild_search(connection, manifest):
    """Bring the search engine's own structures in line with the restored rows."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'core_searchentry_fts'"
            )
            if cursor.fetchone():
                cursor.execute("INSERT INTO core_searchentry_fts(core_searchentry_fts) VALUES ('rebuild')")
    elif connection.vendor == "postgresql" and manifest.get("vendor") != "postgresql":
        # The vectors are rows of core_searchentry, restored as they were; an archive from another
        # engine has none, so they are computed again from the records.
        from capacityhub.core.registry import registry
        from capacityhub.core.search import index_records

        for record_type in registry:
            model = record_type.model
            chunk = []
            for record in model._base_manager.using(connection.alias).iterator(chunk_size=500):
                chunk.append(record)
                if len(chunk) == 500:
                    index_records(model, chunk)
                    chunk = []
            index_records(model, chunk)


def _stage_media(archive, manifest, media_root):
    """Extract the media files next to ``MEDIA_ROOT`` (same file system, so the swap is a rename)."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-media-", dir=media_root.parent))
    for item in manifest["media"]:
        relative = Path(item["path"])
        if relative.is_absolute() or ".." in relative.parts:
            shutil.rmtree(staging, ignore_errors=True)
            raise BackupError(_("The backup is damaged: unsafe file name {name}.").format(name=item["path"]))
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open("media/" + item["path"]) as source, open(target, "wb") as destination:
            shutil.copyfileobj(source, destination, CHUNK)
    return staging


def restore_backup(path, *, force=False, using=DEFAULT_DB_ALIAS, media_root=None, progress=None):
    """Restore the archive at ``path``; return {model label: rows restored}. See the module docstring."""
    connection = connections[using]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(_("There is no file {path}.").format(path=path)) from None
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(
            _("This file is not a CapacityHub backup ({error}).").format(error=error)
        ) from error
    with archive:
        manifest = read_manifest(archive)
        check_compatible(manifest, connection)
        verify_archive(archive, manifest)
        if not force:
            occupied = non_empty_tables(using)
            if occupied:
                raise BackupError(
                    _(
                        "The database is not empty ({names}): a restore replaces everything in it. "
                        "Restore into a new, migrated database, or confirm with --force."
                    ).format(names=", ".join(occupied[:5]) + (", ..." if len(occupied) > 5 else ""))
                )
        models = dumped_models()
        by_label = {m._meta.label_lower: m for m in models}
        staging = _stage_media(archive, manifest, media_root)
        previous, swapped = None, False
        counts = {}
        try:
            with transaction.atomic(using=using):
                with connection.cursor() as cursor:
                    if connection.vendor == "postgresql":
                        # Checks deferred by earlier statements of an enclosing transaction run now: TRUNCATE
                        # refuses tables with pending ones.
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                    tables = [m._meta.db_table for m in models]
                    for statement in connection.ops.sql_flush(no_style(), tables, allow_cascade=False):
                        cursor.execute(statement)
                for entry in manifest["tables"]:
                    model = by_label[entry["model"]]
                    counts[entry["model"]] = _load_table(archive, entry, model, connection)
                    if progress:
                        progress(entry["model"], counts[entry["model"]])
                _restore_sequences(connection, models, manifest.get("sequences", {}))
                try:
                    connection.check_constraints(table_names=[m._meta.db_table for m in models])
                except IntegrityError as error:
                    raise BackupError(_("The backup is inconsistent: {error}").format(error=error)) from error
                _rebuild_search(connection, manifest)
                # Last step inside the transaction: swap the files in (swapped back if the commit fails).
                if media_root.exists():
                    previous = media_root.with_name(
                        ".media-before-restore-{}".format(timezone.now().strftime("%Y%m%d%H%M%S%f"))
                    )
                    os.replace(media_root, previous)
                os.replace(staging, media_root)
                swapped = True
        except BaseException:
            if swapped:
                shutil.rmtree(media_root, ignore_errors=True)
            else:
                shutil.rmtree(staging, ignore_errors=True)
            if previous is not None and previous.exists():
                os.replace(previous, media_root)
            raise
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
    ContentType.objects.clear_cache()
    cache.clear()
    return counts
