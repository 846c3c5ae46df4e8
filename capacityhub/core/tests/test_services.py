import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from capacityhub.core import services
from capacityhub.core.choices import Status
from capacityhub.core.models import Version
from capacityhub.core.testing.factories import make_record
from capacityhub.registry.models import Need


@pytest.mark.django_db
def test_every_save_writes_a_version_with_changed_fields(roles):
    need = make_record(
        "need", country=roles.country_a, status=Status.DRAFT, title="Train customs", actor=roles.author_a
    )
    need.title = {"en": "Train customs officers"}
    services.record_save(record=need, actor=roles.author_a, base_revision=1)
    versions = Version.objects.filter(content_type__model="need", object_id=need.pk).order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].changes == ["title"] and versions[1].actor == roles.author_a


@pytest.mark.django_db
def test_stale_revision_is_a_conflict_and_writes_nothing(roles):
    need = make_record("need", country=roles.country_a, status=Status.DRAFT, actor=roles.author_a)
    first = Need.objects.get(pk=need.pk)
    second = Need.objects.get(pk=need.pk)
    first.title = {"en": "First"}
    services.record_save(record=first, actor=roles.author_a, base_revision=1)
    second.title = {"en": "Second"}
    with pytest.raises(services.EditConflict):
        services.record_save(record=second, actor=roles.author_a, base_revision=1)
    assert Need.objects.get(pk=need.pk).title == {"en": "First"}


@pytest.mark.django_db
def test_national_records_only_for_own_country(roles):
    need = Need(country=roles.country_b, title={"en": "Not mine"})
    with pytest.raises(PermissionDenied):
        services.record_save(record=need, actor=roles.author_a)
    assert not Need.objects.filter(sort_title="not mine").exists()


@pytest.mark.django_db
def test_return_needs_a_comment(roles):
    need = make_record("need", country=roles.country_a, status=Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.record_transition(record=need, action="return", actor=roles.focal_a, comment=" ")
    need.refresh_from_db()
    assert need.status == Status.SUBMITTED
