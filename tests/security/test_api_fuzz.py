"""The API fuzzed with schemathesis against its own OpenAPI schema (``/api/schema/``), in-process through the
WSGI application: every GET operation, anonymous and with a token, must never answer a server error, and
every documented response must match the schema. Bounded (a few examples per operation) to stay fast;
every record type's detail is also checked on a real record so the serializers' schemas are exercised."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import translation
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error, response_schema_conformance

from capacityhub.core.registry import registry
from capacityhub.core.testing.factories import make_record

MAX_EXAMPLES = 5
CHECKS = [not_a_server_error, response_schema_conformance]
# Operations that stream files rather than JSON: checked for server errors only.
FILES = ("/export/",)
LOADED = {}


def fuzz(operation, headers):
    checks = [not_a_server_error] if any(part in operation.path for part in FILES) else CHECKS

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate(headers=headers, checks=checks)

    run()


@pytest.fixture
def wsgi_in_test_transaction():
    """Django's WSGI handler closes "unusable" connections at each request's start and end; inside a test's
    transaction that would close it (PostgreSQL; SQLite's in-memory database is never closed). The test
    client turns that off the same way while it makes a request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(roles, wsgi_in_test_transaction):
    """The schema as served, and a published record of every type (lists and details are not empty)."""
    with translation.override("en"):
        records = {}
        for rt in registry:
            other = {"country": roles.country_b} if rt.key == "countryprofile" else {}
            records[rt.key] = make_record(rt.key, title="Fuzzed {}".format(rt.key), **other)
    if "schema" not in LOADED:  # the schema does not depend on the data: generated once
        LOADED["schema"] = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    return LOADED["schema"], records


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "administrator"])
def test_every_get_operation_answers_within_its_schema(api_schema, roles, who):
    schema, _records = api_schema
    headers = {}
    if who == "administrator":
        headers["Authorization"] = "Token {}".format(Token.objects.get_or_create(user=roles.admin)[0].key)
    operations = [result.ok() for result in schema.include(method="GET").get_all_operations()]
    assert len(operations) > 2 * len(list(registry))
    failures = []
    for operation in operations:
        try:
            fuzz(operation, headers)
        except (Exception, BaseExceptionGroup) as error:  # collected: a report of every failing operation
            failures.append("{}: {}".format(operation.label, str(error)[:1500]))
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db
def test_every_record_detail_matches_the_schema(api_schema):
    schema, records = api_schema
    for rt in registry:
        operation = schema["/api/{}/{{id}}/".format(rt.path)]["GET"]
        case = operation.Case(path_parameters={"id": records[rt.key].pk})
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code == 200, (rt.key, response.text[:500])


@pytest.mark.django_db
def test_malformed_filter_values_match_nothing_rather_than_fail(client):
    """What the fuzzing found: ``?year=abc`` or ``?organization=x`` on a list answered 500 (pages and API)."""
    for rt in registry:
        for facet in rt.facets:
            for value in ("abc", "1,x", "\u00e9\u0000", "-1"):
                query = {facet.param: value}
                page = client.get(rt.url("list"), query)
                assert page.status_code == 200, (rt.key, query)
                api = client.get("/api/{}/".format(rt.path), query)
                assert api.status_code in (200, 400), (rt.key, query, api.status_code)
