"""Full-text search finds records in any of their languages, through the database's engine."""

import pytest

from capacityhub.core.choices import Status
from capacityhub.core.search import search_filter
from capacityhub.core.testing.factories import make_record
from capacityhub.registry.models import Initiative


@pytest.mark.django_db
def test_search_in_every_language_of_a_record(roles):
    record = make_record(
        "initiative", status=Status.PUBLISHED, title="Detection of living modified organisms"
    )
    record.title["fr"] = "Détection des organismes vivants modifiés"
    record.title["es"] = "Detección de organismos vivos modificados"
    from capacityhub.core import services

    services.record_save(record=record, actor=None)
    other = make_record("initiative", status=Status.PUBLISHED, title="Public awareness campaign")
    qs = Initiative.objects.all()
    assert list(search_filter(qs, "initiative", "detection")) == [record]
    assert list(search_filter(qs, "initiative", "organismes")) == [record]
    assert list(search_filter(qs, "initiative", "detección")) == [record]
    assert list(search_filter(qs, "initiative", "awareness")) == [other]
    assert list(search_filter(qs, "initiative", "Kenya")) != []  # recipient country names are indexed
    assert list(search_filter(qs, "initiative", "zzzz-nothing")) == []


@pytest.mark.django_db
def test_search_survives_operators_and_quotes(roles):
    make_record("initiative", status=Status.PUBLISHED, title="Risk assessment training")
    qs = Initiative.objects.all()
    for q in ['"risk', "risk AND", "risk*", "NEAR(", "-risk", "' OR 1=1 --", "risk)"]:
        list(search_filter(qs, "initiative", q))  # no error


@pytest.mark.django_db
def test_nul_in_query_parameters_is_dropped(client):
    """PostgreSQL refuses NUL in text: a NUL in a search or filter parameter is dropped, never a 500."""
    make_record("need", title="Nulfree need")
    for query in ("q=Nulfree%00", "country=K%00E", "q=%00&page=1%00"):
        response = client.get("/en/needs/?" + query)
        assert response.status_code == 200, query
        assert "Nulfree need" in response.content.decode(), query
        assert client.get("/api/needs/?" + query).status_code == 200, query
