"""``manage.py backup`` and ``manage.py restore``: a restore into an empty database reproduces the original
exactly (every table row by row, every file byte by byte); damaged, incompatible or half-loadable archives
and non-empty databases are refused with nothing changed."""

import hashlib
import json
import shutil
import zipfile
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings
from rest_framework.authtoken.models import Token

from capacityhub.accounts.models import User
from capacityhub.core.models import SearchEntry, Version
from capacityhub.core.search import search_filter
from capacityhub.ops.backup import dumped_models, non_empty_tables
from capacityhub.registry.models import Initiative, ResourceFile


def table_rows():
    """Every row of every table, in primary-key order, as the database returns them."""
    rows = {}
    for model in dumped_models():
        columns = [field.attname for field in model._meta.local_concrete_fields]
        rows[model._meta.label_lower] = list(model._base_manager.order_by("pk").values_list(*columns))
    return rows


def media_files(root):
    root = Path(root)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def empty_database(media):
    """What a freshly migrated database looks like: tables emptied, content types and permissions created
    again by ``post_migrate`` (with new ids), no uploaded files."""
    if connection.vendor == "postgresql":  # the test's own transaction: run its deferred checks first
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media, ignore_errors=True)


def rewrite(source, target, change):
    """Copy archive ``source`` to ``target``, passing each entry's (name, bytes) through ``change``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            name, data = change(info.filename, old.read(info.filename))
            new.writestr(name, data)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data set (records of every kind, users with roles, versions, uploaded files) and an API
    token on top of the reference data, and its backup: made once for the module inside a transaction
    rolled back at the end; each test runs in a savepoint of it, with its own copy of the files."""
    folder = tmp_path_factory.mktemp("backup-demo")
    pristine = folder / "media"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=pristine):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=StringIO())
            Token.objects.create(user=User.objects.get(username="admin"))
            assert ResourceFile.objects.exists() and media_files(pristine)
            out = StringIO()
            call_command("backup", output=str(folder / "backup.zip"), stdout=out)
            assert "Backup written" in out.getvalue()
            yield SimpleNamespace(
                rows=table_rows(), files=media_files(pristine), media=pristine, archive=folder / "backup.zip"
            )
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def filled(demo, db, media):
    shutil.copytree(demo.media, media)
    return demo.rows, demo.files


@pytest.fixture
def archive(demo):
    return demo.archive


def test_restore_into_an_empty_database_reproduces_every_row_and_file(filled, archive, media):
    rows, files = filled
    hits_before = sorted(
        search_filter(Initiative.objects.all(), "initiative", "biosafety").values_list("pk", flat=True)
    )
    assert hits_before
    assert rows["core.version"] and rows["accounts.user"] and rows["authtoken.token"]
    passwords = dict(User.objects.values_list("username", "password"))
    empty_database(media)
    assert not Initiative.objects.exists() and not media.exists()
    assert non_empty_tables() == []

    call_command("restore", str(archive), stdout=StringIO())

    restored = table_rows()
    assert restored.keys() == rows.keys()
    for label in rows:
        assert restored[label] == rows[label], label
    assert media_files(media) == files
    # Users sign in with their old passwords and tokens; history and search work as before.
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert User.objects.get(username="admin").check_password("admin")
    assert Token.objects.get().user.username == "admin"
    assert Version.objects.count() == len(rows["core.version"])
    hits_after = sorted(
        search_filter(Initiative.objects.all(), "initiative", "biosafety").values_list("pk", flat=True)
    )
    assert hits_after == hits_before
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO core_searchentry_fts(core_searchentry_fts) VALUES ('integrity-check')"
            )
    # New rows get new ids, never one already in the history.
    entry = SearchEntry.objects.create(record_type="test", object_id=1, document="x")
    assert entry.pk > max(row[0] for row in rows["core.searchentry"])


def test_a_database_that_is_not_empty_is_refused_unless_forced(filled, archive, media):
    rows, files = filled
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), stdout=StringIO())
    assert table_rows() == rows
    # --force replaces everything, including changes made since the backup.
    Initiative.objects.filter(pk=Initiative.objects.first().pk).update(sort_title="changed since")
    User.objects.create_user(username="newcomer", password="x")
    (media / "stray.txt").write_text("not in the backup")
    call_command("restore", str(archive), force=True, stdout=StringIO())
    assert table_rows() == rows
    assert media_files(media) == files


def _version_data(name, data):
    return (name, data[:-40] + b"x" * 40) if name.endswith("core.version.jsonl") else (name, data)


def _a_file(name, data):
    return (name, b"%PDF damaged") if name.startswith("media/") else (name, data)


def _no_users(name, data):
    return (None, None) if name.startswith("data/") and "accounts.user." in name else (name, data)


def _manifest(name, data):
    return (name, b"{not json") if name == "manifest.json" else (name, data)


DAMAGES = [
    (_version_data, "does not match its checksum"),
    (_a_file, "does not match its checksum"),
    (_no_users, "missing"),
    (_manifest, "manifest is damaged"),
]


def test_a_damaged_archive_is_refused_and_nothing_changes(filled, archive, media, tmp_path):
    rows, files = filled
    for damage, message in DAMAGES:
        damaged = tmp_path / "damaged-{}.zip".format(damage.__name__)
        with zipfile.ZipFile(archive) as old, zipfile.ZipFile(damaged, "w") as new:
            for info in old.infolist():
                name, data = damage(info.filename, old.read(info.filename))
                if name:
                    new.writestr(name, data)
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(damaged), force=True, stdout=StringIO())
        assert table_rows() == rows
        assert media_files(media) == files


def test_a_file_that_is_not_an_archive_is_refused(db, tmp_path):
    path = tmp_path / "notes.zip"
    path.write_text("hello")
    with pytest.raises(CommandError, match="not a CapacityHub backup"):
        call_command("restore", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="no file"):
        call_command("restore", str(tmp_path / "absent.zip"), stdout=StringIO())


def _with_manifest(source, target, edit):
    def change(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            edit(manifest)
            return name, json.dumps(manifest)
        return name, data

    rewrite(source, target, change)


def test_an_archive_of_another_schema_state_is_refused(filled, archive, tmp_path):
    newer = tmp_path / "newer.zip"
    _with_manifest(archive, newer, lambda m: m["migrations"].append("registry.9999_from_the_future"))
    with pytest.raises(CommandError, match="newer version.*9999_from_the_future"):
        call_command("restore", str(newer), force=True, stdout=StringIO())
    older = tmp_path / "older.zip"
    _with_manifest(archive, older, lambda m: m["migrations"].remove("core.0002_search_engines"))
    with pytest.raises(CommandError, match="older version.*core.0002_search_engines"):
        call_command("restore", str(older), force=True, stdout=StringIO())
    other_format = tmp_path / "v9.zip"
    _with_manifest(archive, other_format, lambda m: m.update(format_version=9))
    with pytest.raises(CommandError, match="format version 9"):
        call_command("restore", str(other_format), force=True, stdout=StringIO())
    assert table_rows() == filled[0]


def test_a_failure_half_way_through_the_load_changes_nothing(filled, archive, media, tmp_path):
    """A row that cannot be loaded (checksums made to match) in a late table: the tables emptied and
    loaded before it come back as they were, and the files are untouched."""
    rows, files = filled
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(archive) as old:
        manifest = json.loads(old.read("manifest.json"))
        entry = next(t for t in manifest["tables"] if t["model"] == "core.version")
        data = old.read(entry["file"]).replace(b'"number": ', b'"number": "not a number", "x": ', 1)
        entry["size"], entry["sha256"] = len(data), hashlib.sha256(data).hexdigest()
        with zipfile.ZipFile(broken, "w") as new:
            for info in old.infolist():
                if info.filename == entry["file"]:
                    new.writestr(info.filename, data)
                elif info.filename == "manifest.json":
                    new.writestr(info.filename, json.dumps(manifest))
                else:
                    new.writestr(info.filename, old.read(info.filename))
    with pytest.raises(CommandError, match="core.version.jsonl, line 1"):
        call_command("restore", str(broken), force=True, stdout=StringIO())
    assert table_rows() == rows
    assert media_files(media) == files


@override_settings(MEDIA_ROOT="/nonexistent/never-created")
def test_a_backup_without_uploaded_files(db, tmp_path):
    path = tmp_path / "b.zip"
    call_command("backup", output=str(path), stdout=StringIO())
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["media"] == []
    assert {t["model"] for t in manifest["tables"]} >= {
        "accounts.user",
        "core.version",
        "registry.initiative",
    }
    assert not Path(str(path) + ".partial").exists()
