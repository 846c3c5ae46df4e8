"""The REST API of every record type: schema, visibility, the pages' filters and search, writes through the
gate with versions, workflow, conflicts, languages, the brief form and query counts."""

import pytest
import yaml
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient, APIRequestFactory

from capacityhub.core.api.routers import generic_serializer
from capacityhub.core.choices import Status
from capacityhub.core.models import Version
from capacityhub.core.registry import registry
from capacityhub.core.testing.cases import CASES
from capacityhub.core.testing.factories import make_record
from capacityhub.reference.models import Country

KEYS = sorted(CASES)
TRANSITION_PATHS = ("submit", "publish", "return", "archive")


def api_path(rt, pk=None, action=None):
    path = "/api/{}/".format(rt.path)
    if pk is not None:
        path += "{}/".format(pk)
    if action:
        path += "{}/".format(action)
    return path


def client_for(user=None):
    """An API client signed in with the user's token (anonymous without a user)."""
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION="Token {}".format(token.key))
    return client


def make(case, roles, status, title=None, profile_country=None):
    """A record in the case's scope. A country has one profile: ``profile_country`` gives profiles others."""
    member, _publisher, _outsider = case.members(roles)
    scope = case.scope_kwargs(roles)
    if case.key == "countryprofile" and profile_country and profile_country != "KE":
        scope["country"] = Country.objects.get(iso2=profile_country)
        member = None  # made by the system: member of the other country
    return make_record(case.key, status=status, title=title, actor=member, **scope)


def payload(key, roles, title):
    """Valid JSON for a new record of type ``key`` in scope A (Kenya) or X (organization X)."""
    org = roles.org_x.pk
    area = ["risk-assessment"]
    body = {"original_language": "en"}
    if key == "initiative":
        return {
            **body,
            "title": {"en": title},
            "publisher": org,
            "activity_status": "implementation",
            "geographic_scope": "national",
            "currency": "USD",
            "thematic_areas": area,
            "planned_start": "2025-01-01",
            "planned_end": "2026-06-30",
            "countries": [{"country": "KE"}],
            "organizations": [{"organization": org, "role": "implementing"}],
        }
    if key == "need":
        return {
            **body,
            "title": {"en": title},
            "country": "KE",
            "thematic_areas": area,
            "priority": "high",
            "timeframe": "short",
            "source": "needs_assessment",
            "need_status": "open",
        }
    if key == "opportunity":
        return {**body, "title": {"en": title}, "kind": "workshop", "publisher": org, "thematic_areas": area}
    if key == "resource":
        return {
            **body,
            "title": {"en": title},
            "resource_type": "manual",
            "publisher": org,
            "thematic_areas": area,
        }
    if key == "expert":
        return {
            **body,
            "name": {"en": title},
            "country": "KE",
            "expertise": area,
            "availability": "available",
        }
    if key == "countryprofile":
        return {**body, "summary": {"en": title}, "country": "KE"}
    if key == "organization":
        return {**body, "name": {"en": title}}
    if key == "contact":
        return {**body, "name": {"en": title}, "organization": org}
    if key == "submission":  # a national submission for a cycle of its own
        from capacityhub.plans.testing import make_cycle

        return {**body, "title": {"en": title}, "cycle": make_cycle().pk, "country": "KE"}
    if key == "meeting":
        return {
            **body,
            "title": {"en": title},
            "kind": "coordination",
            "start_date": "2025-03-09",
            "end_date": "2025-03-11",
            "city": "San José",
            "country": "KE",
            "organizer": org,
        }
    if key == "decision":
        from capacityhub.meetings.models import Decision

        symbol = "BS-API/{}".format(Decision.objects.count() + 1)
        return {
            **body,
            "symbol": symbol,
            "title": {"en": title},
            "publisher": org,
            "adopted_on": "2025-06-01",
        }
    if key == "conference":
        return {
            **body,
            "title": {"en": title},
            "start_date": "2025-01-19",
            "end_date": "2025-02-06",
            "languages": ["en", "es"],
            "organizer": org,
        }
    raise ValueError(key)


def title_field(key):
    return registry[key].model.title_field


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# -- schema and documentation ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_schema_generates_without_warnings_and_has_every_endpoint(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    expected = {
        "/api/countries/",
        "/api/countries/{iso2}/",
        "/api/vocabularies/",
        "/api/vocabularies/{code}/",
    }
    expected.add("/api/token/")
    for rt in registry:
        expected |= {"/api/{}/".format(rt.path), "/api/{}/{{id}}/".format(rt.path)}
        expected |= {"/api/{}/{{id}}/{}/".format(rt.path, action) for action in TRANSITION_PATHS}
    assert expected <= set(paths), sorted(expected - set(paths))
    for rt in registry:
        listing = paths["/api/{}/".format(rt.path)]
        assert {"get", "post"} <= set(listing)
        params = {p["name"] for p in listing["get"]["parameters"]}
        assert {"q", "page", "page_size", "brief", "lang", "sort"} <= params
        assert set(rt.filterset.base_filters) <= params
        assert "delete" not in paths["/api/{}/{{id}}/".format(rt.path)]


@pytest.mark.django_db
def test_schema_and_docs_are_served_without_any_cdn(client):
    assert client.get("/api/schema/").status_code == 200
    for url in ("/api/docs/", "/api/redoc/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "/static/drf_spectacular_sidecar/" in html
        assert "//" not in html.replace("http://testserver/", "").replace("<!--", ""), "an outside address"
        assert "<script>" not in html, "inline scripts are refused by the Content Security Policy"
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_every_record_type_has_an_endpoint():
    from capacityhub.core.api.views import VIEWSETS

    assert {rt.key for rt in registry} <= set(VIEWSETS)
    for rt in registry:
        assert VIEWSETS[rt.key].serializer_class.Meta.model is rt.model


# -- reading: visibility ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_list_and_detail_visibility(roles, key):
    case, rt = CASES[key], registry[key]
    member, publisher, outsider = case.members(roles)
    public = make(case, roles, Status.PUBLISHED, "Publicly visible alpha", profile_country="UG")
    draft = make(case, roles, Status.DRAFT, "Hidden draft omega")
    for user, sees_draft in [
        (None, False),
        (outsider, False),
        (member, True),
        (publisher, True),
        (roles.admin, True),
    ]:
        client = client_for(user)
        listing = client.get(api_path(rt), {"page_size": 200})
        found = ids(listing)
        assert public.pk in found
        assert (draft.pk in found) is sees_draft, (user, key)
        assert listing.json()["count"] == len(found)
        searched = ids(client.get(api_path(rt), {"q": "omega"}))
        assert (draft.pk in searched) is sees_draft
        assert client.get(api_path(rt, public.pk)).status_code == 200
        assert client.get(api_path(rt, draft.pk)).status_code == (200 if sees_draft else 404)
        for action in TRANSITION_PATHS:
            if not sees_draft:
                assert client.post(api_path(rt, draft.pk, action), {}, format="json").status_code in (
                    401,
                    403,
                    404,
                )


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_anonymous_sees_only_published(roles, key):
    case, rt = CASES[key], registry[key]
    countries = {Status.DRAFT: "KE", Status.SUBMITTED: "UG", Status.PUBLISHED: "TZ", Status.ARCHIVED: "RW"}
    records = {status: make(case, roles, status, profile_country=iso2) for status, iso2 in countries.items()}
    data = client_for().get(api_path(rt), {"page_size": 200, "roster": "all"}).json()
    statuses = {row["status"] for row in data["results"]}
    assert statuses == {Status.PUBLISHED}
    assert records[Status.PUBLISHED].pk in {row["id"] for row in data["results"]}


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_detail_shape(roles, key):
    case, rt = CASES[key], registry[key]
    record = make(case, roles, Status.PUBLISHED, "Shape of a record")
    response = client_for().get(api_path(rt, record.pk))
    assert response.status_code == 200
    data = response.json()
    assert response["ETag"] == '"{}"'.format(record.revision)
    assert data["id"] == record.pk and data["revision"] == record.revision
    assert data["url"].endswith(api_path(rt, record.pk))
    assert data["web_url"].endswith(record.get_absolute_url())
    assert data["status"] == "published"
    if key != "countryprofile":  # a decision's display title starts with its symbol
        assert data["display"] == record.display_title()
    assert data[title_field(key)] == {"en": "Shape of a record"}


# -- reading: the page's FilterSet --------------------------------------------------------------------------

FILTER_QUERIES = {
    "initiative": [
        {"country": "KE"},
        {"country": "CO,KE"},
        {"area": "risk-assessment"},
        {"region": "cbd-africa"},
        {"status": "implementation"},
        {"role": "implementing"},
        {"year": "2024"},
        {"scope": "national"},
    ],
    "need": [{"country": "KE"}, {"priority": "high"}, {"region": "cbd-grulac"}, {"area": "risk-assessment"}],
    "opportunity": [{"kind": "workshop"}, {"area": "risk-assessment"}, {"online": "false"}],
    "resource": [{"type": "manual"}, {"area": "risk-assessment"}],
    "expert": [
        {"country": "KE"},
        {"expertise": "risk-assessment"},
        {"roster": "all"},
        {"availability": "available"},
    ],
    "countryprofile": [{"region": "cbd-africa"}, {"region": "cbd-grulac"}],
    "organization": [{"country": "KE"}],
    "contact": [{"country": "KE"}],
    "submission": [{"country": "KE"}, {"region": "cbd-grulac"}, {"late": "false"}],
    "meeting": [{"kind": "coordination"}, {"kind": "workshop"}, {"country": "KE"}, {"year": "2025"}],
    "decision": [{"year": "2025"}, {"year": "2009"}],
    "conference": [{"phase": "open"}, {"phase": "archived"}, {"phase": "upcoming"}],
}


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_search_and_filters_give_the_same_records_as_the_list_page(client, roles, key):
    case, rt = CASES[key], registry[key]
    member, _publisher, _outsider = case.members(roles)
    make(case, roles, Status.PUBLISHED, "Biosafety customs training", profile_country="KE")
    make(case, roles, Status.PUBLISHED, "Risk assessment laboratory", profile_country="UG")
    make(case, roles, Status.DRAFT, "Customs laboratory draft", profile_country="TZ")
    if case.scope == "country" and key != "countryprofile":
        make_record(key, country=roles.country_b, status=Status.PUBLISHED, title="Colombian customs")
    client.force_login(member)
    api = client_for(member)
    queries = [
        {"q": "customs"},
        {"q": "laboratory"},
        {"q": "nothing-matches"},
        {"workflow": "draft"},
        {"language": "en"},
        {"q": "customs", "workflow": "published"},
        *FILTER_QUERIES[key],
    ]
    sizes = set()
    for params in queries:
        page = client.get(rt.url("list"), params)
        assert page.status_code == 200
        paginator = page.context["page"].paginator
        expected = {record.pk for record in paginator.object_list}
        response = api.get(api_path(rt), {**params, "page_size": 200})
        assert ids(response) == expected, params
        assert response.json()["count"] == paginator.count
        sizes.add(len(expected))
    assert 0 in sizes and len(sizes) > 2, "the queries should tell records apart"


@pytest.mark.django_db
def test_sort_keys_are_the_pages(roles):
    rt = registry["need"]
    make_record("need", country=roles.country_a, title="Beta")
    make_record("need", country=roles.country_a, title="Alpha")
    titles = [row["display"] for row in client_for().get(api_path(rt), {"sort": "title"}).json()["results"]]
    assert titles == sorted(titles)


@pytest.mark.django_db
def test_pagination_has_a_count_and_a_bounded_page_size(roles):
    rt = registry["need"]
    for n in range(5):
        make_record("need", country=roles.country_a, title="Need {}".format(n))
    data = client_for().get(api_path(rt), {"page_size": 2}).json()
    assert data["count"] == 5 and len(data["results"]) == 2 and data["next"] and data["previous"] is None
    assert len(client_for().get(api_path(rt), {"page_size": 5000}).json()["results"]) == 5
    assert client_for().get(api_path(rt), {"page": 99}).status_code == 404


# -- brief form, languages ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_brief_form(roles, key):
    case, rt = CASES[key], registry[key]
    record = make(case, roles, Status.PUBLISHED, "Brief title")
    for flag in ("1", "true"):
        rows = client_for().get(api_path(rt), {"brief": flag}).json()["results"]
        row = next(row for row in rows if row["id"] == record.pk)
        assert set(row) == {"id", "url", "display", "status"}
        assert row["status"] == "published" and row["url"].endswith(api_path(rt, record.pk))
    detail = client_for().get(api_path(rt, record.pk), {"brief": "1"}).json()
    assert set(detail) == {"id", "url", "display", "status"}
    if key != "countryprofile":  # a decision's display title starts with its symbol
        assert detail["display"] == record.display_title()


@pytest.mark.django_db
def test_multilingual_round_trip_and_resolved_text(roles):
    rt = registry["need"]
    api = client_for(roles.author_a)
    body = payload("need", roles, "")
    body["title"] = {"en": "Train customs officers", "es": "  Formar a los agentes de aduanas  ", "fr": ""}
    body["description"] = {"en": "Border checks"}
    created = api.post(api_path(rt), body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["title"] == {"en": "Train customs officers", "es": "Formar a los agentes de aduanas"}
    assert "title_text" not in data
    pk = data["id"]
    spanish = api.get(api_path(rt, pk), {"lang": "es"}).json()
    assert spanish["title"] == data["title"]
    assert spanish["title_text"] == "Formar a los agentes de aduanas"
    assert spanish["description_text"] == "Border checks"  # falls back to the original language
    assert spanish["display"] == "Formar a los agentes de aduanas"
    keys = list(spanish)
    assert keys.index("title_text") == keys.index("title") + 1
    listed = api.get(api_path(rt), {"lang": "es"}).json()["results"]
    assert next(row for row in listed if row["id"] == pk)["title_text"] == "Formar a los agentes de aduanas"
    assert api.get(api_path(rt), {"lang": "xx"}).status_code == 400
    # PUT back what was read changes the texts not at all
    put = api.put(
        api_path(rt, pk), {**body, "title": spanish["title"], "revision": spanish["revision"]}, format="json"
    )
    assert put.status_code == 200, put.content
    assert put.json()["title"] == data["title"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value",
    [{"xx": "Unknown language"}, "a plain string", {}, {"en": "   "}, {"en": 5}, {"en": "x" * 301}],
)
def test_multilingual_field_validation(roles, value):
    rt = registry["need"]
    body = {**payload("need", roles, ""), "title": value}
    response = client_for(roles.author_a).post(api_path(rt), body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"title"}


@pytest.mark.django_db
def test_validation_errors_in_the_users_language(roles):
    rt = registry["need"]
    api = client_for(roles.author_a)
    body = payload("need", roles, "Title")
    del body["thematic_areas"]
    english = api.post(api_path(rt), body, format="json").json()
    spanish = api.post(api_path(rt), body, format="json", HTTP_ACCEPT_LANGUAGE="es").json()
    by_param = api.post(api_path(rt) + "?lang=fr", body, format="json").json()
    assert english["thematic_areas"] == ["This field is required."]
    assert spanish["thematic_areas"] == ["Este campo es requerido."]
    assert by_param["thematic_areas"] == ["Ce champ est obligatoire."]


# -- writing ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_create_with_a_token_makes_a_draft_with_a_version(roles, key):
    case, rt = CASES[key], registry[key]
    member, _publisher, _outsider = case.members(roles)
    if key == "countryprofile":
        rt.model.objects.filter(country=roles.country_a).delete()
    response = client_for(member).post(
        api_path(rt), payload(key, roles, "Created through the API"), format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == Status.DRAFT and data["revision"] == 1
    assert response["Location"] == data["url"]
    record = rt.model.objects.get(pk=data["id"])
    assert record.created_by == member and record.status == Status.DRAFT
    versions = Version.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )
    assert [(v.number, v.action, v.actor) for v in versions] == [(1, "created", member)]
    found = client_for(member).get(api_path(rt), {"q": "created through", "workflow": "draft"})
    assert data["id"] in ids(found)


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_anonymous_cannot_write(roles, key):
    case, rt = CASES[key], registry[key]
    record = make(case, roles, Status.PUBLISHED)
    anonymous = client_for()
    assert anonymous.post(api_path(rt), payload(key, roles, "No"), format="json").status_code in (401, 403)
    assert anonymous.patch(
        api_path(rt, record.pk), {"original_language": "fr"}, format="json"
    ).status_code in (
        401,
        403,
    )
    assert anonymous.post(api_path(rt, record.pk, "archive"), {}, format="json").status_code in (401, 403)
    assert rt.model.objects.get(pk=record.pk).revision == record.revision


@pytest.mark.django_db
def test_out_of_scope_create_is_refused(roles):
    rt = registry["need"]
    body = payload("need", roles, "Not my country")
    refused = client_for(roles.author_b).post(api_path(rt), body, format="json")
    assert refused.status_code == 403
    assert "country" in refused.json()["detail"]
    assert client_for(roles.registered).post(api_path(rt), body, format="json").status_code == 403
    assert not rt.model.objects.filter(sort_title="not my country").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_out_of_scope_edit_is_refused(roles, key):
    case, rt = CASES[key], registry[key]
    _member, _publisher, outsider = case.members(roles)
    published = make(case, roles, Status.PUBLISHED, profile_country="UG")
    draft = make(case, roles, Status.DRAFT)
    api = client_for(outsider)
    assert (
        api.patch(api_path(rt, published.pk), {"original_language": "fr"}, format="json").status_code == 403
    )
    assert api.patch(api_path(rt, draft.pk), {"original_language": "fr"}, format="json").status_code == 404
    assert rt.model.objects.get(pk=published.pk).original_language == "en"


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_nothing_is_deleted(roles, key):
    case, rt = CASES[key], registry[key]
    record = make(case, roles, Status.DRAFT)
    response = client_for(roles.admin).delete(api_path(rt, record.pk))
    assert response.status_code == 405
    assert rt.model.objects.filter(pk=record.pk).exists()


@pytest.mark.django_db
def test_edit_conflict_is_a_409(roles):
    rt = registry["need"]
    need = make_record("need", country=roles.country_a, status=Status.DRAFT, actor=roles.author_a)
    api = client_for(roles.author_a)
    first = api.patch(api_path(rt, need.pk), {"title": {"en": "First"}, "revision": 1}, format="json")
    assert first.status_code == 200 and first.json()["revision"] == 2 and first["ETag"] == '"2"'
    stale = api.patch(api_path(rt, need.pk), {"title": {"en": "Second"}, "revision": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "edit_conflict"
    assert stale.json()["current_revision"] == 2 and stale.json()["your_revision"] == 1
    header = api.patch(api_path(rt, need.pk), {"title": {"en": "Third"}}, format="json", HTTP_IF_MATCH='"1"')
    assert header.status_code == 409
    assert rt.model.objects.get(pk=need.pk).title == {"en": "First"}
    ok = api.patch(api_path(rt, need.pk), {"title": {"en": "Fourth"}}, format="json", HTTP_IF_MATCH='"2"')
    assert ok.status_code == 200 and ok.json()["revision"] == 3
    blind = api.patch(api_path(rt, need.pk), {"title": {"en": "Fifth"}}, format="json")  # no revision: saved
    assert blind.status_code == 200 and blind.json()["revision"] == 4


# -- workflow -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_workflow_through_the_api(roles, key):
    case, rt = CASES[key], registry[key]
    member, publisher, outsider = case.members(roles)
    record = make(case, roles, Status.DRAFT)
    assert client_for(member).post(api_path(rt, record.pk, "submit"), {}, format="json").status_code == 200
    returned = client_for(publisher).post(api_path(rt, record.pk, "return"), {}, format="json")
    assert returned.status_code == 400 and "comment" in returned.json()
    returned = client_for(publisher).post(
        api_path(rt, record.pk, "return"), {"comment": "Add dates"}, format="json"
    )
    assert returned.status_code == 200 and returned.json()["review_comment"] == "Add dates"
    assert returned.json()["status"] == Status.DRAFT
    if member != publisher and case.scope == "country":
        assert (
            client_for(member).post(api_path(rt, record.pk, "publish"), {}, format="json").status_code == 403
        )
    published = client_for(publisher).post(api_path(rt, record.pk, "publish"), {}, format="json")
    assert published.status_code == 200, published.content
    assert published.json()["status"] == Status.PUBLISHED
    again = client_for(publisher).post(api_path(rt, record.pk, "publish"), {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"
    assert client_for(outsider).post(api_path(rt, record.pk, "archive"), {}, format="json").status_code == 403
    archived = client_for(publisher).post(api_path(rt, record.pk, "archive"), {}, format="json")
    assert archived.status_code == 200 and archived.json()["status"] == Status.ARCHIVED
    record.refresh_from_db()
    assert record.status == Status.ARCHIVED
    actions = list(
        Version.objects.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)
        .order_by("number")
        .values_list("action", flat=True)
    )
    assert actions == ["created", "submitted", "returned", "published", "archived"]


@pytest.mark.django_db
def test_focal_point_publishes_a_need(roles):
    rt = registry["need"]
    need = make_record("need", country=roles.country_a, status=Status.SUBMITTED, actor=roles.author_a)
    assert client_for(roles.focal_b).post(api_path(rt, need.pk, "publish"), format="json").status_code == 404
    assert client_for(roles.author_a).post(api_path(rt, need.pk, "publish"), format="json").status_code == 403
    response = client_for(roles.focal_a).post(api_path(rt, need.pk, "publish"), format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "published" and response.json()["published_at"]
    assert need.pk in ids(client_for().get(api_path(rt)))


@pytest.mark.django_db
def test_session_authentication_needs_the_csrf_token(roles):
    rt = registry["need"]
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(roles.author_a)
    assert client.get(api_path(rt)).status_code == 200
    assert client.post(api_path(rt), payload("need", roles, "CSRF"), format="json").status_code == 403


# -- private fields ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_expert_email_and_contact_details_only_for_signed_in_users(roles):
    expert = make_record("expert", country=roles.country_a, email="expert@example.org")
    contact = make_record("contact", organization=roles.org_x, email="c@example.org", phone="+254 1")
    for key, record, private in [
        ("expert", expert, ("email", "cv_url")),
        ("contact", contact, ("email", "phone")),
    ]:
        path = api_path(registry[key], record.pk)
        anonymous = client_for().get(path).json()
        assert not set(private) & set(anonymous)
        signed_in = client_for(roles.registered).get(path).json()
        assert set(private) <= set(signed_in)
    assert client_for(roles.registered).get(api_path(registry["expert"], expert.pk)).json()["email"] == (
        "expert@example.org"
    )


# -- query counts -------------------------------------------------------------------------------------------


def _count_queries(client, path, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_list_queries_do_not_grow_with_the_page(roles, key):
    case, rt = CASES[key], registry[key]
    member, _publisher, _outsider = case.members(roles)
    if key == "countryprofile":  # one profile per country
        countries = ["KE", "UG", "TZ", "RW", "ET", "GH", "NG", "SN"]

        def add(n):
            for iso2 in countries[:n]:
                if not rt.model.objects.filter(country__iso2=iso2).exists():
                    make_record(key, country=Country.objects.get(iso2=iso2))
    else:

        def add(n):
            while rt.model.objects.filter(status=Status.PUBLISHED).count() < n + (
                2 if key == "organization" else 0
            ):
                make(case, roles, Status.PUBLISHED)

    counts = {}
    for n in (2, 8):
        add(n)
        for user in (None, member):
            for params in ({}, {"brief": "1"}, {"lang": "es"}):
                counts.setdefault((user, tuple(params)), []).append(
                    _count_queries(client_for(user), api_path(rt), params)
                )
    for setting, (small, large) in counts.items():
        assert small == large, (setting, small, large)


@pytest.mark.django_db
def test_a_record_type_without_a_viewset_gets_a_generic_one(roles):
    rt = registry["need"]
    serializer_class = generic_serializer(rt)
    assert set(rt.form._meta.fields) <= set(serializer_class.Meta.fields)
    need = make_record("need", country=roles.country_a, title="Generic")
    request = APIRequestFactory().get("/api/needs/")
    data = serializer_class(need, context={"request": request}).data
    assert data["title"] == {"en": "Generic"} and data["country"] == "KE"
    assert data["thematic_areas"] == ["risk-assessment"]
