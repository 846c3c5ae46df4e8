"""The permission matrix, cell by cell: every role × every record type of the registry × every action, through
the pages and through the API.

The expected outcome of each cell comes from the explicit tables below (what PRODUCT.md and the gate's
docstring promise), never from the permission code itself. Each cell runs inside a savepoint that is rolled
back, so one set of records per workflow state serves every role; a record type registered later is covered
as soon as it has a ``Case`` (``capacityhub/core/testing/cases.py``).

Actions: ``list`` (the list shows the published record), ``read_draft`` (detail, list and search show a
draft), ``read_published``, ``create`` (a new record in scope A / X), ``edit_draft``, ``edit_published``,
``submit`` (a draft), ``publish`` (a submitted record), ``archive`` (a published record), ``delete`` (nobody:
records are archived, never deleted), ``export_draft`` (a draft appears in the CSV/XLSX/JSON export) and
``export_published``.
"""

import csv
import io
import itertools
import json

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from capacityhub.accounts.choices import Role
from capacityhub.core.choices import Scope, Status
from capacityhub.core.registry import registry
from capacityhub.core.testing.cases import CASES
from capacityhub.core.testing.factories import UserFactory, grant, make_record
from capacityhub.core.tests.test_api import payload as api_payload

ANON, REG, AUTH_A, FOCAL_A, AUTH_B, FOCAL_B, PUB_X, PUB_Y, MOD, ADMIN = (
    "anonymous",
    "registered",
    "authorized_user_a",
    "focal_point_a",
    "authorized_user_b",
    "focal_point_b",
    "publisher_x",
    "publisher_y",
    "moderator",
    "administrator",
)
EVERYONE = frozenset({ANON, REG, AUTH_A, FOCAL_A, AUTH_B, FOCAL_B, PUB_X, PUB_Y, MOD, ADMIN})
SIGNED_IN = EVERYONE - {ANON}
NOBODY = frozenset()

# -- the expectation tables: who may do each action to a record of scope A (country) or X (organization) --
NATIONAL = {  # needs, experts, country profiles, national submissions: records of country A
    "list": EVERYONE,
    "read_draft": {AUTH_A, FOCAL_A, ADMIN},
    "read_published": EVERYONE,
    "create": {AUTH_A, FOCAL_A, ADMIN},
    "edit_draft": {AUTH_A, FOCAL_A, ADMIN},
    "edit_published": {FOCAL_A, ADMIN},
    "submit": {AUTH_A, FOCAL_A, ADMIN},
    "publish": {FOCAL_A, ADMIN},
    "archive": {FOCAL_A, ADMIN},
    "delete": NOBODY,
    "export_draft": {AUTH_A, FOCAL_A, ADMIN},
    "export_published": EVERYONE,
}
ORGANIZATIONAL = {  # initiatives, opportunities, resources, contacts: records published by organization X
    "list": EVERYONE,
    "read_draft": {PUB_X, ADMIN},
    "read_published": EVERYONE,
    "create": SIGNED_IN,  # any registered user drafts one; its publisher or the Secretariat reviews it
    "edit_draft": {PUB_X, ADMIN},
    "edit_published": {PUB_X, ADMIN},
    "submit": {PUB_X, ADMIN},
    "publish": {PUB_X, ADMIN},
    "archive": {PUB_X, ADMIN},
    "delete": NOBODY,
    "export_draft": {PUB_X, ADMIN},
    "export_published": EVERYONE,
}
SELF_SCOPED = {  # organizations: a new (draft) organization is reviewed by the Secretariat; X's publisher
    # keeps organization X itself (the published record) up to date
    "list": EVERYONE,
    "read_draft": {ADMIN},
    "read_published": EVERYONE,
    "create": SIGNED_IN,
    "edit_draft": {ADMIN},
    "edit_published": {PUB_X, ADMIN},
    "submit": {ADMIN},
    "publish": {ADMIN},
    "archive": {PUB_X, ADMIN},
    "delete": NOBODY,
    "export_draft": {ADMIN},
    "export_published": EVERYONE,
}
ACTIONS = tuple(NATIONAL)
# The record each action is tried on, by workflow state (None: no record, a new one is created).
STATE_OF = {
    "list": Status.PUBLISHED,
    "read_draft": Status.DRAFT,
    "read_published": Status.PUBLISHED,
    "create": None,
    "edit_draft": Status.DRAFT,
    "edit_published": Status.PUBLISHED,
    "submit": Status.DRAFT,
    "publish": Status.SUBMITTED,
    "archive": Status.PUBLISHED,
    "delete": Status.PUBLISHED,
    "export_draft": Status.DRAFT,
    "export_published": Status.PUBLISHED,
}
KEYS = sorted(rt.key for rt in registry)
_words = itertools.count(1)


# Record types that differ from their kind's table, action by action.
OVERRIDES = {
    "conference": {"create": {MOD, ADMIN}},  # the Secretariat and conference moderators run conferences
}


def table_for(rt):
    model = rt.model
    if model.scope_field in ("id", "pk"):
        table = SELF_SCOPED
    else:
        table = NATIONAL if model.scope_kind == Scope.COUNTRY else ORGANIZATIONAL
    return {**table, **OVERRIDES.get(rt.key, {})}


def test_tables_cover_every_action_and_role():
    for table in (NATIONAL, ORGANIZATIONAL, SELF_SCOPED):
        assert tuple(table) == ACTIONS and set(STATE_OF) == set(ACTIONS)
        assert all(set(allowed) <= EVERYONE for allowed in table.values())


class Cast:
    """The users of the matrix, each with a signed-in page client and an API client holding a token."""

    def __init__(self, roles):
        self.roles = roles
        moderator = grant(UserFactory(username="moderator"), Role.MODERATOR)
        self.users = {
            ANON: None,
            REG: roles.registered,
            AUTH_A: roles.author_a,
            FOCAL_A: roles.focal_a,
            AUTH_B: roles.author_b,
            FOCAL_B: roles.focal_b,
            PUB_X: roles.publisher_x,
            PUB_Y: roles.publisher_y,
            MOD: moderator,
            ADMIN: roles.admin,
        }
        self.pages, self.api = {}, {}
        for who, user in self.users.items():
            page, api = Client(), APIClient()
            if user is not None:
                page.force_login(user)
                token, _created = Token.objects.get_or_create(user=user)
                api.credentials(HTTP_AUTHORIZATION="Token {}".format(token.key))
            self.pages[who], self.api[who] = page, api


def make(rt, roles, status):
    """A record of scope A / X in ``status``, made by the system (nobody is its author)."""
    word = "matrixword{}".format(next(_words))
    title = "Matrix {} {}".format(status, word)
    model = rt.model
    if model.scope_field in ("id", "pk"):
        if status == Status.PUBLISHED:  # organization X itself
            record = make_record(rt.key, organization=roles.org_x)
            return record, record.display_title()
        return make_record(rt.key, status=status, title=title), word
    scope = (
        {"country": roles.country_a} if model.scope_kind == Scope.COUNTRY else {"organization": roles.org_x}
    )
    return make_record(rt.key, status=status, title=title, **scope), word


def status_of(record):
    return type(record).objects.filter(pk=record.pk).values_list("status", flat=True).first()


def export_text(response, file_format):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if file_format == "xlsx":
        sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
        return json.dumps([list(row) for row in sheet.iter_rows(values_only=True)], default=str)
    if file_format == "csv":
        return json.dumps(list(csv.reader(io.StringIO(body.decode("utf-8-sig")))))
    return json.dumps(json.loads(body))


def exported(text, record):
    """Is ``record`` a row of the export? Its id is in the first column of every format."""
    return (
        '"{}"'.format(record.pk) in text
        or "[{},".format(record.pk) in text
        or ('"id": {},'.format(record.pk) in text)
    )


# -- the cells, through the pages ----------------------------------------------------------------------------


def page_observe(cast, rt, who, record, word):
    """What ``who`` sees of ``record`` through the pages: (detail answers 200, in the list, in the search
    results, in the CSV export)."""
    client = cast.pages[who]
    detail = client.get(record.get_absolute_url())
    if detail.status_code not in (200, 404):
        return "detail answered {}".format(detail.status_code)
    link = 'href="{}"'.format(record.get_absolute_url())
    listing = client.get(rt.url("list")).content.decode()
    searched = client.get(rt.url("list"), {"q": word}).content.decode()
    export = client.get(rt.url("export", format="csv"))
    if export.status_code != 200:
        return "CSV export answered {}".format(export.status_code)
    return (
        detail.status_code == 200,
        link in listing,
        link in searched,
        exported(export_text(export, "csv"), record),
    )


def page_act(cast, rt, who, action, record):
    """Did ``who`` manage to do ``action`` through the pages? (True, False) — or a string for an error."""
    client = cast.pages[who]
    if action == "create":
        model = rt.model
        before = model.objects.count()
        response = client.post(rt.url("add"), CASES[rt.key].form_data(cast.roles, "Created in the matrix"))
        created = model.objects.count() - before
        if created and response.status_code != 302:
            return "created with status {}".format(response.status_code)
        if not created and response.status_code not in (302, 400, 403):
            return "refused with status {}".format(response.status_code)
        return bool(created)
    if action in ("edit_draft", "edit_published"):
        edit_url = rt.url("edit", pk=record.pk)
        response = client.get(edit_url)
        if response.status_code == 200:
            return True
        if response.status_code not in (302, 403, 404):
            return "edit form answered {}".format(response.status_code)
        data = CASES[rt.key].form_data(cast.roles, "Changed in the matrix")
        data["base_revision"] = record.revision
        client.post(edit_url, data)
        revision = type(record).objects.filter(pk=record.pk).values_list("revision", flat=True).first()
        return "an edit was saved although the form was refused" if revision != record.revision else False
    if action in ("submit", "publish", "archive"):
        client.post(rt.url("transition", pk=record.pk, action=action))
        return status_of(record) != record.status
    if action == "delete":
        client.post(record.get_absolute_url() + "delete/")
        client.post(rt.url("edit", pk=record.pk), {"delete": "1", "DELETE": "on"})
        return status_of(record) != record.status
    raise ValueError(action)


# -- the cells, through the API ------------------------------------------------------------------------------


def api_path(rt, pk=None, action=None):
    return (
        "/api/{}/".format(rt.path)
        + ("{}/".format(pk) if pk else "")
        + ("{}/".format(action) if action else "")
    )


def api_observe(cast, rt, who, record, word):
    client = cast.api[who]
    detail = client.get(api_path(rt, record.pk))
    listing = client.get(api_path(rt), {"page_size": 200})
    searched = client.get(api_path(rt), {"q": word, "page_size": 200})
    export = client.get(api_path(rt, action="export/json"))
    if {listing.status_code, searched.status_code, export.status_code} != {200}:
        return "list, search or export answered {}".format(
            (listing.status_code, searched.status_code, export.status_code)
        )
    if detail.status_code not in (200, 404):
        return "detail answered {}".format(detail.status_code)
    if listing.json()["count"] != len(listing.json()["results"]):
        return "count differs from the rows"
    return (
        detail.status_code == 200,
        record.pk in {row["id"] for row in listing.json()["results"]},
        record.pk in {row["id"] for row in searched.json()["results"]},
        exported(export_text(export, "json"), record),
    )


def api_act(cast, rt, who, action, record):
    client = cast.api[who]
    if action == "create":
        model = rt.model
        before = model.objects.count()
        try:
            body = api_payload(rt.key, cast.roles, "Created in the matrix")
        except ValueError:
            return "no API payload for this type: add one to payload() in core/tests/test_api.py"
        response = client.post(api_path(rt), body, format="json")
        created = model.objects.count() - before
        if created and response.status_code != 201:
            return "created with status {}".format(response.status_code)
        if not created and response.status_code not in (400, 401, 403):
            return "refused with status {}: {}".format(response.status_code, response.content[:300])
        return bool(created)
    if action in ("edit_draft", "edit_published"):
        response = client.patch(api_path(rt, record.pk), {"original_language": "en"}, format="json")
        if response.status_code == 200:
            return True
        if response.status_code not in (401, 403, 404):
            return "edit answered {}: {}".format(response.status_code, response.content[:300])
        return False
    if action in ("submit", "publish", "archive"):
        response = client.post(api_path(rt, record.pk, action), {}, format="json")
        changed = status_of(record) != record.status
        if changed != (response.status_code == 200):
            return "status {} but changed={}".format(response.status_code, changed)
        if not changed and response.status_code not in (401, 403, 404):
            return "refused with status {}".format(response.status_code)
        return changed
    if action == "delete":
        response = client.delete(api_path(rt, record.pk))
        return response.status_code < 400 or status_of(record) is None
    raise ValueError(action)


READS = ("list", "read_draft", "read_published", "export_draft", "export_published")


def outcome_of_read(action, seen):
    """The cell's outcome from what a user sees: detail, list, search and export must agree."""
    if isinstance(seen, str):
        return seen
    detail, in_list, in_search, in_export = seen
    if action == "list":
        return in_list
    if action.startswith("export"):
        return in_export
    if len({detail, in_list, in_search, in_export}) != 1:
        return "detail/list/search/export disagree: {}".format(seen)
    return detail


@pytest.fixture
def cast(roles):
    return Cast(roles)


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["pages", "api"])
@pytest.mark.parametrize("key", KEYS)
def test_permission_matrix(cast, key, channel):
    assert key in CASES, "add a Case in core/testing/cases.py for the record type {}".format(key)
    rt = registry[key]
    table = table_for(rt)
    observe, act = (page_observe, page_act) if channel == "pages" else (api_observe, api_act)
    wrong = []
    cells = 0
    with translation.override("en"):
        for state in (None, Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED):
            actions = [action for action in ACTIONS if STATE_OF[action] == state]
            with transaction.atomic():
                record, word = make(rt, cast.roles, state) if state else (None, None)
                seen = {}
                for action in actions:
                    for who in sorted(EVERYONE):
                        cache.clear()
                        if action in READS:
                            if who not in seen:
                                seen[who] = observe(cast, rt, who, record, word)
                            outcome = outcome_of_read(action, seen[who])
                        else:
                            with transaction.atomic():
                                outcome = act(cast, rt, who, action, record)
                                transaction.set_rollback(True)
                        cells += 1
                        expected = who in table[action]
                        if outcome is not expected:
                            wrong.append(
                                "{} {} {} {}: expected {}, got {}".format(
                                    channel, key, action, who, "allowed" if expected else "refused", outcome
                                )
                            )
                transaction.set_rollback(True)
    assert cells == len(ACTIONS) * len(EVERYONE)
    assert not wrong, "\n".join(wrong)
