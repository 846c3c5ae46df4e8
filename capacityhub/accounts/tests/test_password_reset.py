"""Password reset by e-mail, through Django's mail framework, in the user's language."""

import re

import pytest
from django.core import mail
from django.utils import translation

from capacityhub.core.testing.factories import UserFactory

NEW = "a-brand-new-pass-phrase-31"


def reset_link(message):
    match = re.search(r"http://testserver(/\S+/accounts/password/reset/\S+/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_the_whole_password_reset_flow(client):
    user = UserFactory(username="bob", email="bob@example.org", preferred_language="fr")
    login_page = client.get("/en/accounts/login/").content.decode()
    assert 'href="/en/accounts/password/reset/"' in login_page

    form = client.get("/en/accounts/password/reset/")
    assert form.status_code == 200 and 'name="email"' in form.content.decode()
    sent = client.post("/en/accounts/password/reset/", {"email": "BOB@example.org"})
    assert sent.status_code == 302 and sent["Location"] == "/en/accounts/password/reset/sent/"
    assert "Check your e-mail" in client.get(sent["Location"]).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bob@example.org"]
    # Written in the language of the user's profile, whatever the language of the page that asked for it.
    link = reset_link(message)
    assert link.startswith("/fr/accounts/password/reset/")
    with translation.override("fr"):
        assert message.subject == translation.gettext("Reset your CapacityHub password")
    assert "bob" in message.body

    form_page = client.get(link)
    assert form_page.status_code == 302  # Django hides the token from the address bar
    set_password = client.get(form_page["Location"])
    assert set_password.status_code == 200 and 'name="new_password1"' in set_password.content.decode()

    refused = client.post(form_page["Location"], {"new_password1": "abc", "new_password2": "abd"})
    assert refused.status_code == 200 and 'id="id_new_password2_error"' in refused.content.decode()

    done = client.post(form_page["Location"], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/fr/accounts/password/reset/complete/"
    user.refresh_from_db()
    assert user.check_password(NEW) and not user.check_password("pass")

    # The link works once.
    reused = client.get(link, follow=True)
    assert 'name="new_password1"' not in reused.content.decode()
    assert 'href="/fr/accounts/password/reset/"' in reused.content.decode()

    signed_in = client.post("/en/accounts/login/", {"username": "bob", "password": NEW})
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    UserFactory(username="bob", email="bob@example.org")
    response = client.post("/es/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == "/es/accounts/password/reset/sent/"
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_bad_address_is_reported_next_to_the_field(client):
    response = client.post("/fr/accounts/password/reset/", {"email": "not an address"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="id_email_error"' in page
    assert "Saisissez une adresse e-mail valide." in page


@pytest.mark.django_db
def test_a_forged_link_is_refused(client):
    user = UserFactory(username="bob")
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    page = client.get("/en/accounts/password/reset/{}/abc-0123456789abcdef/".format(uid)).content.decode()
    assert "This link does not work" in page and 'name="new_password1"' not in page
