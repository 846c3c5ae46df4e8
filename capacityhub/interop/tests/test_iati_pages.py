"""The IATI upload page: who may use it, a dry run, errors per activity, an import, without JavaScript."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from capacityhub.core.choices import Status
from capacityhub.registry.models import Initiative

from .iati_samples import activity, document

pytestmark = pytest.mark.django_db
URL = "interop:iati_import"


def upload(client, data, dry_run):
    payload = {"file": SimpleUploadedFile("activities.xml", data, content_type="application/xml")}
    if dry_run:
        payload["dry_run"] = "on"
    return client.post(reverse(URL), payload)


def test_only_the_secretariat_and_publishers_may_import(client, roles):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(roles.registered)
    assert client.get(reverse(URL)).status_code == 403
    client.force_login(roles.focal_a)
    assert client.get(reverse(URL)).status_code == 403
    for user in (roles.admin, roles.publisher_x):
        client.force_login(user)
        response = client.get(reverse(URL))
        assert response.status_code == 200
        assert b'enctype="multipart/form-data"' in response.content and b'name="dry_run"' in response.content


def test_a_dry_run_shows_the_result_and_writes_nothing(client, roles):
    client.force_login(roles.admin)
    response = upload(client, document(activity()), dry_run=True)
    assert response.status_code == 200
    assert response.context["report"].valid and response.context["report"].created == 1
    assert b"nothing was written" in response.content
    assert Initiative.objects.count() == 0


def test_errors_are_listed_per_activity_and_nothing_is_written(client, roles):
    client.force_login(roles.admin)
    bad = activity(identifier="XM-DAC-41116-BAD", status="9")
    response = upload(client, document(activity(), bad), dry_run=False)
    assert response.status_code == 200 and Initiative.objects.count() == 0
    content = response.content.decode()
    assert "Activity XM-DAC-41116-BAD" in content and "IATI-CODE-ActivityStatus" in content
    assert "/iati-activity/activity-status/@code" in content and "nothing was imported" in content


def test_malformed_xml_is_a_clear_error_on_the_page(client, roles):
    client.force_login(roles.publisher_x)
    response = upload(client, b"<iati-activities version='2.03'><iati-activity>", dry_run=False)
    assert response.status_code == 200
    assert "IATI-XML-MALFORMED" in response.content.decode()


def test_an_import_by_a_publisher_of_another_organization_makes_drafts(client, roles):
    client.force_login(roles.publisher_y)
    response = upload(client, document(activity()), dry_run=False)
    assert response.status_code == 200 and response.context["report"].created == 1
    record = Initiative.objects.get()
    assert record.status == Status.DRAFT and record.created_by == roles.publisher_y


def test_a_form_without_a_file_is_refused(client, roles):
    client.force_login(roles.admin)
    response = client.post(reverse(URL), {"dry_run": "on"})
    assert response.status_code == 400 and response.context["form"].errors["file"]


def test_the_page_is_translated(client, roles):
    client.force_login(roles.admin)
    response = client.get(reverse(URL).replace("/en/", "/fr/"))
    assert response.status_code == 200 and 'lang="fr"' in response.content.decode()
