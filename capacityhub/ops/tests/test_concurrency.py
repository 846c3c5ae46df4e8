"""Two people changing the same record at once never lose an update: the second save is refused (409, or an
import error on the ``revision`` column) instead of silently overwriting the first, and whoever retries from
the current revision gets their change in on top of the other one.

The threaded tests run real concurrent transactions, so they need PostgreSQL (``DATABASE_URL``); SQLite's
in-memory test database cannot serve several writing threads."""

import csv
import io
import re
import threading

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

from capacityhub.core import services
from capacityhub.core.choices import Status
from capacityhub.core.models import Version
from capacityhub.core.registry import registry
from capacityhub.core.testing.cases import CASES
from capacityhub.core.testing.factories import RoleSet, make_record
from capacityhub.interop import imports
from capacityhub.registry.models import Initiative, Need


def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writing transactions need PostgreSQL (set DATABASE_URL)")


def edit_form_revision(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return int(re.search(r'name="base_revision" value="(\d+)"', response.content.decode()).group(1))


@pytest.mark.django_db
def test_two_sessions_editing_the_same_record(roles):
    """Two signed-in editors open the same draft; the second to save gets a 409 showing what changed, and
    once they save from the current revision both changes are in the record's history."""
    from django.test import Client

    need = make_record("need", country=roles.country_a, status=Status.DRAFT, actor=roles.author_a)
    url = reverse("registry:need_edit", kwargs={"pk": need.pk})
    first, second = Client(), Client()
    first.force_login(roles.author_a)
    second.force_login(roles.focal_a)
    base_first, base_second = edit_form_revision(first, url), edit_form_revision(second, url)
    assert base_first == base_second == need.revision

    data = CASES["need"].form_data(roles, "Title by the author")
    response = first.post(url, {**data, "base_revision": base_first})
    assert response.status_code == 302, response.content.decode()[:2000]
    data = CASES["need"].form_data(roles, "Title by the focal point")
    response = second.post(url, {**data, "base_revision": base_second})
    assert response.status_code == 409
    assert "Title by the author" in response.content.decode()  # shown what the other person saved
    need.refresh_from_db()
    assert need.title["en"] == "Title by the author" and need.revision == base_first + 1

    response = second.post(url, {**data, "base_revision": edit_form_revision(second, url)})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.title["en"] == "Title by the focal point" and need.revision == base_first + 2
    titles = [
        v.data["title"]["en"] for v in Version.objects.filter(object_id=need.pk, content_type__model="need")
    ]
    assert titles[:2] == ["Title by the focal point", "Title by the author"]


@pytest.fixture
def cast(transactional_db):
    """Transactional tests start from an empty database: reference data and the role cast."""
    from django.core.management import call_command

    call_command("load_reference", verbosity=0)
    return RoleSet.create()


def run_threads(count, work):
    """Run ``work(i)`` in ``count`` threads, each with its own database connection; re-raise any error."""
    errors = []

    def target(i):
        try:
            work(i)
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread is stuck"
    if errors:
        raise errors[0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_read_modify_write_loses_nothing(cast):
    """Eight editors at once each add their mark to the same record's description, starting together from
    the same revision. With the revision check, every mark ends up in the record: each conflicting save is
    refused and retried from the current revision, none overwrites another."""
    needs_postgres()
    need = make_record("need", country=cast.country_a, status=Status.DRAFT, actor=cast.author_a)
    editors = 8
    barrier = threading.Barrier(editors)
    conflicts = []

    def edit(i):
        first = True
        while True:
            record = Need.objects.get(pk=need.pk)
            if first:
                barrier.wait(timeout=30)  # everyone has read the same revision
                first = False
            record.description = {"en": (record.description.get("en", "") + " [mark {}]".format(i)).strip()}
            try:
                services.record_save(record=record, actor=cast.author_a, base_revision=record.revision)
                return
            except services.EditConflict:
                conflicts.append(i)

    run_threads(editors, edit)
    need.refresh_from_db()
    marks = re.findall(r"\[mark (\d)\]", need.description["en"])
    assert sorted(marks) == [str(i) for i in range(editors)]
    assert need.revision == 1 + editors
    assert Version.objects.filter(object_id=need.pk, content_type__model="need").count() == 1 + editors
    assert conflicts, "the editors did not actually overlap"


def export_rows(user):
    from django.http import QueryDict

    from capacityhub.core import exports

    output = io.BytesIO()
    exports.write(registry["initiative"], QueryDict(), output, user=user, format="csv", layout="wide")
    return list(csv.DictReader(io.StringIO(output.getvalue().decode("utf-8-sig"))))


def csv_bytes(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def apply_import(rows, user):
    return imports.import_records(
        record_type=registry["initiative"],
        fileobj=io.BytesIO(csv_bytes(rows)),
        name="f.csv",
        actor=user,
        dry_run=False,
    )


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_never_lose_an_update(cast, monkeypatch):
    """Two people import files made from the same export at the same moment, one renaming the initiative,
    the other changing its budget. Both imports read the record before either writes (a barrier holds them
    just before the save); one is applied, the other is refused as a whole with an error on the ``revision``
    column — never applied over the first. Re-exported and imported again, the second change joins the
    first."""
    needs_postgres()
    record = make_record("initiative", organization=cast.org_x, actor=cast.publisher_x)
    base = [row for row in export_rows(cast.publisher_x) if row["id"] == str(record.pk)]
    renamed = [{**base[0], "title_en": "Renamed by the first import"}]
    budget = [{**base[0], "budget": "123456"}]
    barrier = threading.Barrier(2)
    original = services.record_save

    def record_save_together(**kwargs):
        barrier.wait(timeout=30)
        return original(**kwargs)

    monkeypatch.setattr(services, "record_save", record_save_together)
    results = {}
    run_threads(2, lambda i: results.__setitem__(i, apply_import([renamed, budget][i], cast.publisher_x)))
    monkeypatch.setattr(services, "record_save", original)

    applied = [i for i, result in results.items() if result.written]
    refused = [i for i, result in results.items() if not result.written]
    assert len(applied) == 1 and len(refused) == 1, {i: r.errors for i, r in results.items()}
    assert [e["column"] for e in results[refused[0]].errors] == ["revision"]
    stored = Initiative.objects.get(pk=record.pk)
    assert stored.revision == record.revision + 1
    if applied == [0]:
        assert stored.title["en"] == "Renamed by the first import" and stored.budget != 123456
    else:
        assert stored.budget == 123456 and stored.title["en"] != "Renamed by the first import"

    # The refused person exports again and re-applies their change: both changes are kept.
    fresh = [row for row in export_rows(cast.publisher_x) if row["id"] == str(record.pk)][0]
    change = {"title_en": "Renamed by the first import"} if refused == [0] else {"budget": "123456"}
    result = apply_import([{**fresh, **change}], cast.publisher_x)
    assert result.written, result.errors
    stored = Initiative.objects.get(pk=record.pk)
    assert stored.title["en"] == "Renamed by the first import" and stored.budget == 123456
