"""API tokens: created and revoked by their user, over the API (session) and from the profile page."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_token_lifecycle_over_the_api(client, roles):
    assert client.post("/api/token/").status_code == 401
    client.force_login(roles.author_a)
    assert client.get("/api/token/").status_code == 404
    created = client.post("/api/token/")
    assert created.status_code == 201
    key = created.json()["key"]
    assert client.post("/api/token/").status_code == 200 and client.post("/api/token/").json()["key"] == key
    assert client.get("/api/token/").json()["key"] == key

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token {}".format(key))
    body = {"title": {"en": "Through a token"}, "country": "KE", "thematic_areas": ["risk-assessment"]}
    assert api.post("/api/needs/", body, format="json").status_code == 201

    assert client.delete("/api/token/").status_code == 204
    assert not Token.objects.filter(user=roles.author_a).exists()
    refused = api.get("/api/needs/")
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == "Token"
    assert client.get("/api/token/").status_code == 404


@pytest.mark.django_db
def test_tokens_from_the_profile_page(client, roles):
    url = reverse("api-token-manage")
    assert client.post(url, {"action": "create"}).status_code == 302
    assert not Token.objects.exists()
    client.force_login(roles.registered)
    assert client.get(url).status_code == 405
    response = client.post(url, {"action": "create"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    token = Token.objects.get(user=roles.registered)
    client.post(url, {"action": "create"})
    assert Token.objects.get(user=roles.registered).key == token.key
    client.post(url, {"action": "revoke"})
    assert not Token.objects.filter(user=roles.registered).exists()
