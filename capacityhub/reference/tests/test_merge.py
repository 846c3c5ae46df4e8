import pytest
from django.core.exceptions import PermissionDenied

from capacityhub.core.choices import Status
from capacityhub.core.testing.factories import make_record, organization
from capacityhub.reference.models import Organization
from capacityhub.reference.services import organization_merge


@pytest.mark.django_db
def test_merge_moves_every_reference_and_keeps_the_duplicate_as_alias(roles, client):
    keep = organization("United Nations Environment Programme", acronym="UNEP")
    duplicate = organization("PNUMA Medio Ambiente", iati_identifier="XM-DAC-41116")
    initiative = make_record("initiative", organization=duplicate)
    resource = make_record("resource", organization=duplicate)
    with pytest.raises(PermissionDenied):
        organization_merge(keep=keep, duplicate=duplicate, actor=roles.publisher_x)
    client.force_login(roles.admin)
    response = client.post(f"/en/organizations/{keep.pk}/merge/", {"duplicate": duplicate.pk})
    assert response.status_code == 302
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    initiative.refresh_from_db()
    resource.refresh_from_db()
    assert initiative.publisher == keep and resource.publisher == keep
    assert list(initiative.participations.values_list("organization_id", flat=True)) == [keep.pk]
    assert "PNUMA Medio Ambiente" in keep.aliases and keep.iati_identifier == "XM-DAC-41116"
    assert duplicate.merged_into == keep and duplicate.status == Status.ARCHIVED
    assert Organization.objects.filter(pk=duplicate.pk).exists()  # nothing deleted
    # The duplicate's old name now finds the kept organization, and only it.
    client.logout()
    page = client.get("/en/organizations/", {"q": "PNUMA"}).content.decode()
    assert "United Nations Environment Programme" in page and "1 record" in page
