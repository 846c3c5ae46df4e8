"""One uniform test per record type: list, detail, create, edit and workflow, for anonymous, unprivileged,
permitted and out-of-scope users; and list/detail pages whose query count does not grow with the data."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capacityhub.core.choices import Status
from capacityhub.core.models import Version
from capacityhub.core.registry import registry
from capacityhub.core.testing.cases import CASES
from capacityhub.core.testing.factories import make_record
from capacityhub.reference.models import Country

KEYS = sorted(CASES)


def test_every_record_type_has_a_case():
    assert {rt.key for rt in registry} == set(CASES), (
        "add a Case in core/testing/cases.py for each record type"
    )


def _make(case, roles, status, title, **scope):
    member, _publisher, _out = case.members(roles)
    if scope:  # outside the member's scope: created by the system
        return make_record(case.key, status=status, title=title, **scope)
    return make_record(case.key, status=status, title=title, actor=member, **case.scope_kwargs(roles))


def _url(rt, view, **kwargs):
    return rt.url(view, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_list_and_detail_visibility(client, roles, key):
    case, rt = CASES[key], registry[key]
    member, publisher, outsider = case.members(roles)
    # One profile per country: the public one is another country's.
    other = {"country": Country.objects.get(iso2="UG")} if key == "countryprofile" else {}
    public = _make(case, roles, Status.PUBLISHED, "Publicly visible alpha", **other)
    draft = _make(case, roles, Status.DRAFT, "Hidden draft omega")
    list_url = _url(rt, "list")
    for user, sees_draft in [
        (None, False),
        (outsider, False),
        (member, True),
        (publisher, True),
        (roles.admin, True),
    ]:
        client.logout()
        if user:
            client.force_login(user)
        page = client.get(list_url).content.decode()
        assert case.title_of(public) in page
        assert (case.title_of(draft) in page) is sees_draft, (user, page[:200])
        assert client.get(public.get_absolute_url()).status_code == 200
        assert client.get(draft.get_absolute_url()).status_code == (200 if sees_draft else 404)
        searched = client.get(list_url, {"q": "omega"}).content.decode()
        assert (case.title_of(draft) in searched) is sees_draft


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_create(client, roles, key):
    case, rt = CASES[key], registry[key]
    member, _publisher, outsider = case.members(roles)
    add_url = _url(rt, "add")
    response = client.get(add_url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    if case.scope == "country":
        client.force_login(roles.registered)
        assert client.get(add_url).status_code == 403
        client.force_login(outsider)  # may add for country B, not for country A
        response = client.post(add_url, case.form_data(roles, "Outsider attempt"))
        assert response.status_code == 400
    client.force_login(member)
    assert client.get(add_url).status_code == 200
    response = client.post(add_url, case.form_data(roles, "Created through the form"))
    assert response.status_code == 302, response.content.decode()[:3000]
    record = rt.model.objects.get(sort_title="created through the form")
    assert record.status == Status.DRAFT and record.created_by == member and record.revision == 1
    assert (
        Version.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        ).count()
        == 1
    )


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_edit(client, roles, key):
    case, rt = CASES[key], registry[key]
    member, publisher, outsider = case.members(roles)
    record = _make(case, roles, Status.PUBLISHED, "Before edit")
    edit_url = _url(rt, "edit", pk=record.pk)
    assert client.get(edit_url).status_code == 302  # anonymous: to the sign-in page
    client.force_login(outsider)
    assert client.get(edit_url).status_code == 403
    if case.scope == "country":  # an authorized user cannot change what the focal point published
        client.force_login(member)
        assert client.get(edit_url).status_code == 403
    client.force_login(publisher)
    data = case.form_data(roles, "After edit")
    data["base_revision"] = record.revision
    if key == "initiative":  # the existing rows are edited, not added again
        data.update(_existing_initiative_rows(record))
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED and record.sort_title == "after edit"
    history = client.get(
        _url(rt, "history", pk=record.pk) + f"?from={record.revision - 1}&to={record.revision}"
    )
    assert history.status_code == 200 and "After edit" in history.content.decode()
    # A second editor who started from the old revision is told of the conflict; nothing is overwritten.
    data["base_revision"] = record.revision - 1
    data.update(
        {
            k: "Stale edit"
            for k in data
            if k.endswith("_en") and k.split("_en")[0] in ("title", "name", "summary")
        }
    )
    response = client.post(edit_url, data)
    assert response.status_code == 409
    record.refresh_from_db()
    assert record.sort_title == "after edit"


def _existing_initiative_rows(record):
    data = {}
    for prefix, rows in (
        ("countries", record.country_shares.all()),
        ("participations", record.participations.all()),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            if prefix == "countries":
                data[f"{prefix}-{i}-country"] = row.country_id
                data[f"{prefix}-{i}-percentage"] = ""
            else:
                data[f"{prefix}-{i}-organization"] = row.organization_id
                data[f"{prefix}-{i}-role"] = row.role_id
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_workflow(client, roles, key):
    case, rt = CASES[key], registry[key]
    member, publisher, outsider = case.members(roles)
    record = _make(case, roles, Status.DRAFT, "In review")

    def act(user, action, **data):
        client.logout()
        if user:
            client.force_login(user)
        response = client.post(_url(rt, "transition", pk=record.pk, action=action), data)
        record.refresh_from_db()
        return response

    assert act(None, "submit").status_code == 302 and record.status == Status.DRAFT
    act(outsider, "submit")
    assert record.status == Status.DRAFT
    act(member, "submit")
    assert record.status == Status.SUBMITTED
    act(outsider, "publish")
    assert record.status == Status.SUBMITTED
    if case.scope == "country":
        act(member, "publish")  # an authorized user does not publish
        assert record.status == Status.SUBMITTED
    act(publisher, "return")  # a comment is required
    assert record.status == Status.SUBMITTED
    act(publisher, "return", comment="Please add the budget.")
    assert record.status == Status.DRAFT and record.review_comment == "Please add the budget."
    act(member, "submit")
    act(publisher, "publish")
    assert record.status == Status.PUBLISHED and record.published_at is not None
    client.logout()
    assert client.get(record.get_absolute_url()).status_code == 200
    actions = list(
        Version.objects.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)
        .order_by("number")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == ["submitted", "returned", "submitted", "published"]


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_list_and_detail_queries_do_not_grow(client, roles, key):
    """No N+1: the list page makes as many queries for 8 records as for 2."""
    case, rt = CASES[key], registry[key]
    if key == "countryprofile":  # one profile per country
        countries = list(Country.objects.order_by("iso2")[:8])
        records = [make_record(key, country=c, title=f"Profile {c.iso2}") for c in countries[:2]]
        small = _queries(client, rt.url("list"))
        records += [make_record(key, country=c, title=f"Profile {c.iso2}") for c in countries[2:]]
    else:
        records = [_make(case, roles, Status.PUBLISHED, f"Row {i}") for i in range(2)]
        small = _queries(client, rt.url("list"))
        records += [_make(case, roles, Status.PUBLISHED, f"Row {i}") for i in range(2, 8)]
    large = _queries(client, rt.url("list"))
    assert large == small
    detail = _queries(client, records[-1].get_absolute_url())
    assert detail <= 25
