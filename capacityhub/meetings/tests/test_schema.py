"""The OpenAPI schema, with the API of meetings, decisions and conferences wired as the lead will wire it,
generates and validates without a warning."""

import pytest
from django.core.management import call_command
from django.test import override_settings


@pytest.mark.django_db
def test_schema_with_meetings_decisions_and_conferences(tmp_path):
    target = tmp_path / "schema.yaml"
    with override_settings(ROOT_URLCONF="capacityhub.meetings.tests.urls"):
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in ("/api/meetings/", "/api/decisions/{id}/", "/api/conferences/{id}/posts/"):
        assert path + ":" in text, path
