"""``/api/subscriptions/``: a user lists, creates, changes and deletes their own saved searches and follows;
nobody sees or touches another user's; the endpoints are in the OpenAPI schema."""

import pytest
import yaml
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from capacityhub.conferences.tests.factories import make_conference, make_topic
from capacityhub.core.choices import Status
from capacityhub.core.testing.factories import make_record
from capacityhub.notifications.models import Follow, SavedSearch

pytestmark = pytest.mark.django_db


def api_for(user=None):
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION="Token {}".format(token.key))
    return client


def test_anonymous_users_have_no_subscriptions(roles):
    for path in ("/api/subscriptions/", "/api/subscriptions/saved-searches/", "/api/subscriptions/follows/"):
        assert api_for().get(path).status_code == 401
    body = {"record_type": "need", "query": "q=customs"}
    assert api_for().post("/api/subscriptions/saved-searches/", body, format="json").status_code == 401
    assert not SavedSearch.objects.exists()


def test_saved_searches_of_ones_own(roles):
    api = api_for(roles.author_a)
    created = api.post(
        "/api/subscriptions/saved-searches/",
        {"record_type": "need", "query": "?q=customs&country=KE", "name": "Customs in Kenya"},
        format="json",
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["frequency"] == "daily" and data["query"] == "q=customs&country=KE"
    assert data["list_url"].endswith("/en/needs/?q=customs&country=KE")
    search = SavedSearch.objects.get(pk=data["id"])
    assert search.user == roles.author_a
    # The same search twice, an unknown list, an unknown frequency: refused with the field named.
    again = api.post(
        "/api/subscriptions/saved-searches/",
        {"record_type": "need", "query": "q=customs&country=KE"},
        format="json",
    )
    assert again.status_code == 400 and "You saved this search already." in str(again.json())
    unknown = api.post("/api/subscriptions/saved-searches/", {"record_type": "planets"}, format="json")
    assert unknown.status_code == 400 and "record_type" in unknown.json()
    wrong = api.post(
        "/api/subscriptions/saved-searches/", {"record_type": "need", "frequency": "hourly"}, format="json"
    )
    assert wrong.status_code == 400 and "frequency" in wrong.json()
    # Lists of the new record types may be searched too.
    meetings = api.post(
        "/api/subscriptions/saved-searches/",
        {"record_type": "meeting", "query": "kind=coordination"},
        format="json",
    )
    assert meetings.status_code == 201, meetings.content
    assert {row["id"] for row in api.get("/api/subscriptions/saved-searches/").json()["results"]} == {
        search.pk,
        meetings.json()["id"],
    }
    changed = api.patch(
        "/api/subscriptions/saved-searches/{}/".format(search.pk),
        {"frequency": "immediate", "name": "Customs", "query": "ignored"},
        format="json",
    )
    assert changed.status_code == 200, changed.content
    search.refresh_from_db()
    assert (
        search.frequency == "immediate"
        and search.name == "Customs"
        and search.query == "q=customs&country=KE"
    )
    # Another user sees none of them and can neither change nor delete them.
    other = api_for(roles.author_b)
    assert other.get("/api/subscriptions/saved-searches/").json()["results"] == []
    assert other.get("/api/subscriptions/").json() == {"saved_searches": [], "follows": []}
    path = "/api/subscriptions/saved-searches/{}/".format(search.pk)
    assert other.get(path).status_code == 404
    assert other.patch(path, {"frequency": "none"}, format="json").status_code == 404
    assert other.delete(path).status_code == 404
    search.refresh_from_db()
    assert search.frequency == "immediate"
    assert api.put(path, {"frequency": "none"}, format="json").status_code == 405
    assert api.delete(path).status_code == 204
    assert not SavedSearch.objects.filter(pk=search.pk).exists()


def test_follows_of_ones_own(roles):
    need = make_record("need", country=roles.country_a, title="Customs training")
    draft = make_record("need", country=roles.country_a, title="Draft", status=Status.DRAFT)
    conference = make_conference()
    topic = make_topic(conference)
    api = api_for(roles.registered)
    made = {}
    for target in (
        "registry.need:{}".format(need.pk),
        "reference.country:{}".format(roles.country_a.pk),
        "conferences.conference:{}".format(conference.pk),
        "conferences.topic:{}".format(topic.pk),
    ):
        response = api.post("/api/subscriptions/follows/", {"target": target}, format="json")
        assert response.status_code == 201, (target, response.content)
        assert response.json()["target"] == target
        made[target] = response.json()
    assert made["registry.need:{}".format(need.pk)]["kind"] == "record"
    assert made["registry.need:{}".format(need.pk)]["web_url"].endswith(need.get_absolute_url())
    assert made["conferences.topic:{}".format(topic.pk)]["kind"] == "topic"
    # What one may not see, what does not exist, what cannot be followed: refused, nothing saved.
    for target in (
        "registry.need:{}".format(draft.pk),
        "registry.need:999999",
        "accounts.user:{}".format(roles.admin.pk),
        "nonsense",
    ):
        response = api.post("/api/subscriptions/follows/", {"target": target}, format="json")
        assert response.status_code == 400 and "target" in response.json(), target
    assert Follow.objects.filter(user=roles.registered).count() == 4
    # Following again changes nothing but the frequency.
    again = api.post(
        "/api/subscriptions/follows/",
        {"target": "registry.need:{}".format(need.pk), "frequency": "none"},
        format="json",
    )
    assert again.status_code == 201 and again.json()["frequency"] == "none"
    assert Follow.objects.filter(user=roles.registered).count() == 4
    both = api.get("/api/subscriptions/").json()
    assert len(both["follows"]) == 4 and both["saved_searches"] == []
    follow_id = made["conferences.conference:{}".format(conference.pk)]["id"]
    path = "/api/subscriptions/follows/{}/".format(follow_id)
    other = api_for(roles.publisher_x)
    assert other.get("/api/subscriptions/follows/").json()["results"] == []
    assert other.delete(path).status_code == 404 and other.get(path).status_code == 404
    changed = api.patch(path, {"frequency": "immediate", "target": "registry.need:1"}, format="json")
    assert changed.status_code == 200 and changed.json()["frequency"] == "immediate"
    assert changed.json()["target"] == "conferences.conference:{}".format(conference.pk)
    assert api.delete(path).status_code == 204
    assert not Follow.objects.filter(pk=follow_id).exists()


def test_subscriptions_are_in_the_schema(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    assert "get" in paths["/api/subscriptions/"]
    assert {"get", "post"} <= set(paths["/api/subscriptions/saved-searches/"])
    assert {"get", "patch", "delete"} <= set(paths["/api/subscriptions/saved-searches/{id}/"])
    assert {"get", "post"} <= set(paths["/api/subscriptions/follows/"])
    assert {"get", "patch", "delete"} <= set(paths["/api/subscriptions/follows/{id}/"])
    assert "put" not in paths["/api/subscriptions/follows/{id}/"]
    posts = paths["/api/conferences/{id}/posts/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in posts
