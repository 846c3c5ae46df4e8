import pytest

from capacityhub.core.testing.factories import UserFactory


@pytest.mark.django_db
def test_sign_up_then_profile_with_api_token(client):
    response = client.post(
        "/en/accounts/signup/",
        {
            "username": "newcomer",
            "name": "New Comer",
            "email": "new@example.org",
            "preferred_language": "fr",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )
    assert response.status_code == 302
    page = client.get("/en/accounts/profile/").content.decode()
    assert "Create an API token" in page and "You hold no role yet" in page
    client.post("/api/token/manage/", {"action": "create"})
    page = client.get("/en/accounts/profile/").content.decode()
    assert "Revoke the token" in page


@pytest.mark.django_db
def test_sign_up_errors_are_shown_next_to_the_field_in_the_users_language(client):
    UserFactory(username="taken")
    response = client.post(
        "/es/accounts/signup/",
        {"username": "taken", "email": "bad", "password1": "x", "password2": "y"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_username_error"' in page and 'id="id_email_error"' in page
    assert "Introduzca una dirección de correo electrónico válida." in page


@pytest.mark.django_db
def test_failed_profile_save_does_not_change_the_header(client):
    user = UserFactory(username="alice", name="Alice")
    client.force_login(user)
    response = client.post("/en/accounts/profile/", {"name": "Mallory", "email": "not-an-email"})
    assert response.status_code == 200
    assert ">Alice</a>" in response.content.decode()
