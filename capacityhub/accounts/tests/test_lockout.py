"""django-axes: repeated failed sign-ins lock out, with a clear page in the user's language; unlocking."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client, override_settings
from django.utils import translation

from capacityhub.core.testing.factories import UserFactory

LOCKED = override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, AXES_COOLOFF_TIME=1)


def sign_in(client, password, language="en", username="alice"):
    return client.post("/{}/accounts/login/".format(language), {"username": username, "password": password})


def signed_in(client):
    return "_auth_user_id" in client.session


def lock_out(client, username="alice"):
    for _attempt in range(2):
        response = sign_in(client, "wrong", username=username)
        assert response.status_code == 200 and not signed_in(client)
    return sign_in(client, "wrong", username=username)


@LOCKED
@pytest.mark.django_db
def test_third_failure_locks_out_even_with_the_right_password(client):
    UserFactory(username="alice")
    locked = lock_out(client)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in blocked for now" in page and "You can try again in 60 minutes." in page
    assert 'href="/en/accounts/password/reset/"' in page
    assert AccessAttempt.objects.get(username="alice").failures_since_start == 3

    again = sign_in(client, "pass")
    assert again.status_code == 429 and not signed_in(client)


@LOCKED
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_lockout_page_is_in_the_users_language(client, language):
    UserFactory(username="alice")
    lock_out(client)
    page = sign_in(client, "pass", language=language).content.decode()
    assert '<html lang="{}"'.format(language) in page
    with translation.override(language):
        title = translation.gettext("Sign-in blocked for now")
        wait = translation.ngettext(
            "You can try again in %(minutes)s minute.", "You can try again in %(minutes)s minutes.", 60
        ) % {"minutes": 60}
        reset_link = 'href="/{}/accounts/password/reset/"'.format(language)
    assert title in page and wait in page and reset_link in page


@LOCKED
@pytest.mark.django_db
def test_an_administrator_unlocks_the_account_from_the_admin(client):
    user = UserFactory(username="alice")
    lock_out(client)
    assert sign_in(client, "pass").status_code == 429

    admin = Client()
    admin.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = admin.post(
        "/en/admin/accounts/user/", {"action": "unlock_sign_in", "_selected_action": [user.pk]}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="alice").exists()

    response = sign_in(client, "pass")
    assert response.status_code == 302 and signed_in(client)


@LOCKED
@pytest.mark.django_db
def test_the_other_accounts_stay_usable_from_another_network(client):
    UserFactory(username="alice")
    UserFactory(username="bob")
    lock_out(client)
    other = Client(REMOTE_ADDR="10.0.0.7")
    assert sign_in(other, "pass", username="bob").status_code == 302
    assert sign_in(other, "pass", username="alice").status_code == 429


@LOCKED
@pytest.mark.django_db
def test_a_password_reset_lifts_the_lockout(client):
    UserFactory(username="alice", email="alice@example.org")
    lock_out(client)
    client.post("/en/accounts/password/reset/", {"email": "alice@example.org"})
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    done = client.post(
        form_url, {"new_password1": "a-fresh-pass-phrase-5", "new_password2": "a-fresh-pass-phrase-5"}
    )
    assert done.status_code == 302
    assert sign_in(client, "a-fresh-pass-phrase-5").status_code == 302 and signed_in(client)


@pytest.mark.django_db
def test_lockout_is_off_in_the_rest_of_the_suite(client):
    UserFactory(username="alice")
    for _attempt in range(12):
        sign_in(client, "wrong")
    assert sign_in(client, "pass").status_code == 302
