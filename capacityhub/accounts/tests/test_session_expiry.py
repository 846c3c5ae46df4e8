"""Sessions end a fixed time after sign-in (SESSION_COOKIE_AGE) and after a time without activity
(SESSION_IDLE_TIMEOUT)."""

import time

import pytest
from django.conf import settings
from django.test import override_settings

from capacityhub.accounts.signals import LAST_SEEN, SIGNED_IN_AT


def set_clock(client, **values):
    session = client.session
    session.update(values)
    session.save()


def signed_in(client):
    return "_auth_user_id" in client.session


def test_the_defaults():
    assert settings.SESSION_COOKIE_AGE == 14 * 24 * 3600
    assert settings.SESSION_IDLE_TIMEOUT == 8 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


@override_settings(SESSION_COOKIE_AGE=3600)
@pytest.mark.django_db
def test_the_session_cookie_lives_session_cookie_age(client, roles):
    response = client.post("/en/accounts/login/", {"username": "focal_a", "password": "pass"})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 3600 and cookie["httponly"]
    assert client.session[SIGNED_IN_AT] == pytest.approx(time.time(), abs=5)


@override_settings(SESSION_IDLE_TIMEOUT=600)
@pytest.mark.django_db
def test_a_session_ends_after_inactivity(client, roles):
    client.force_login(roles.focal_a)
    now = int(time.time())
    set_clock(client, **{LAST_SEEN: now - 300})
    assert client.get("/en/accounts/profile/").status_code == 200
    assert client.session[LAST_SEEN] >= now  # activity moves the clock

    set_clock(client, **{LAST_SEEN: int(time.time()) - 601})
    response = client.get("/en/accounts/profile/")
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/")
    assert not signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 10 minutes without activity." in page


@override_settings(SESSION_IDLE_TIMEOUT=0, SESSION_COOKIE_AGE=10 * 24 * 3600)
@pytest.mark.django_db
def test_the_idle_limit_can_be_turned_off(client, roles):
    client.force_login(roles.focal_a)
    set_clock(client, **{LAST_SEEN: int(time.time()) - 9 * 24 * 3600})
    assert client.get("/en/accounts/profile/").status_code == 200 and signed_in(client)


@override_settings(SESSION_COOKIE_AGE=3600, SESSION_IDLE_TIMEOUT=600)
@pytest.mark.django_db
def test_a_session_ends_session_cookie_age_after_sign_in_even_when_active(client, roles):
    client.force_login(roles.focal_a)
    now = int(time.time())
    set_clock(client, **{SIGNED_IN_AT: now - 3601, LAST_SEEN: now - 10})
    response = client.get("/en/accounts/profile/")
    assert response.status_code == 302 and not signed_in(client)
    assert "Your session has ended." in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_recent_request_does_not_write_the_session(client, roles):
    client.force_login(roles.focal_a)
    before = client.session[LAST_SEEN]
    client.get("/en/accounts/profile/")
    assert client.session[LAST_SEEN] == before
