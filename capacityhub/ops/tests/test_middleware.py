"""While the database cannot be reached, every page answers with a clear, translated 503 page (no stack
trace) and ``Retry-After``; the API with a JSON 503; as soon as the database answers again, so does the
platform, by itself."""

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.utils import translation
from django.utils.translation import gettext

from capacityhub.ops.middleware import RETRY_AFTER

TITLE = "Temporarily unavailable"


class Database:
    """``down()``: every query fails as it does when the server is gone; ``up()``: it is back."""

    def __init__(self, monkeypatch):
        self.monkeypatch, self.queries = monkeypatch, []

    def down(self):
        queries = self.queries

        def fail(self, sql, params=None):
            queries.append(sql)
            raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

        self.monkeypatch.setattr(CursorWrapper, "execute", fail)
        self.monkeypatch.setattr(CursorWrapper, "executemany", fail)
        return self

    def up(self):
        self.monkeypatch.undo()


@pytest.fixture
def database(monkeypatch, client):
    # The test client re-raises errors that reached Django's error handler; a server sends the response.
    client.raise_request_exception = False
    return Database(monkeypatch)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/", "/en/initiatives/", "/es/initiatives/", "/en/accounts/login/"])
def test_pages_answer_503_while_the_database_is_away_and_recover(client, roles, database, path):
    client.force_login(roles.author_a)  # the session itself needs the database
    database.down()
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER) and response["Cache-Control"] == "no-store"
    body = response.content.decode()
    with translation.override(path.split("/")[1] if path.startswith(("/es/", "/fr/")) else "en"):
        title = gettext(TITLE)
    assert title in body and "Traceback" not in body and "OperationalError" not in body
    assert "Connection refused" not in body and "5432" not in body
    assert database.queries  # the page really did try the database
    database.up()
    assert client.get(path).status_code in (200, 302)


@pytest.mark.django_db
def test_the_page_is_in_the_readers_language(client, database):
    database.down()
    response = client.get("/es/initiatives/")
    assert response.status_code == 503 and response["Content-Language"] == "es"
    body = response.content.decode()
    assert '<html lang="es"' in body
    with translation.override("es"):
        assert gettext(TITLE) in body


@pytest.mark.django_db
def test_a_post_is_answered_503_too(client, database):
    database.down()
    response = client.post("/en/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 503


@pytest.mark.django_db
def test_the_api_answers_json(client, database):
    database.down()
    response = client.get("/api/initiatives/")
    assert response.status_code == 503 and response["Retry-After"] == str(RETRY_AFTER)
    assert "database" in response.json()["detail"]


@pytest.mark.django_db
def test_other_errors_are_not_hidden_as_503(client, monkeypatch):
    from capacityhub.core import views_pages

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(views_pages.HomeView, "get_context_data", broken)
    client.raise_request_exception = False
    assert client.get("/en/").status_code == 500
