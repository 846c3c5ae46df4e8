"""The gate, cell by cell: role × record state × action, for a national and an organization record."""

import pytest

from capacityhub.core import permissions as p
from capacityhub.core.choices import Status
from capacityhub.core.testing.factories import make_record
from capacityhub.registry.models import Initiative, Need

A, R, FA, AA, FB, AB, PX, PY = (
    "anon",
    "registered",
    "focal_a",
    "author_a",
    "focal_b",
    "author_b",
    "pub_x",
    "pub_y",
)


def _user(roles, who):
    from django.contrib.auth.models import AnonymousUser

    return {
        A: AnonymousUser(),
        R: roles.registered,
        FA: roles.focal_a,
        AA: roles.author_a,
        FB: roles.focal_b,
        AB: roles.author_b,
        PX: roles.publisher_x,
        PY: roles.publisher_y,
        "admin": roles.admin,
    }[who]


NATIONAL = {  # (state, action): users allowed
    ("draft", p.VIEW): {FA, AA, "admin"},
    ("draft", p.CHANGE): {FA, AA, "admin"},
    ("draft", p.SUBMIT): {FA, AA, "admin"},
    ("draft", p.PUBLISH): {FA, "admin"},
    ("submitted", p.RETURN): {FA, "admin"},
    ("submitted", p.SUBMIT): set(),
    ("published", p.VIEW): {A, R, FA, AA, FB, AB, PX, PY, "admin"},
    ("published", p.CHANGE): {FA, "admin"},
    ("published", p.ARCHIVE): {FA, "admin"},
}
ORGANIZATION = {
    ("draft", p.VIEW): {PX, "admin"},
    ("draft", p.CHANGE): {PX, "admin"},
    ("draft", p.PUBLISH): {PX, "admin"},
    ("submitted", p.RETURN): {PX, "admin"},
    ("published", p.VIEW): {A, R, FA, AA, FB, AB, PX, PY, "admin"},
    ("published", p.CHANGE): {PX, "admin"},
}
EVERYONE = [A, R, FA, AA, FB, AB, PX, PY, "admin"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["need", "initiative"])
def test_matrix(roles, kind):
    table = NATIONAL if kind == "need" else ORGANIZATION
    model = Need if kind == "need" else Initiative
    for (state, action), allowed in table.items():
        kwargs = {"country": roles.country_a} if kind == "need" else {"organization": roles.org_x}
        record = make_record(kind, status=state, **kwargs)
        for who in EVERYONE:
            user = _user(roles, who)
            expected = who in allowed
            assert p.can(user, action, record) is expected, (kind, state, action, who)
            in_queryset = p.restrict(model.objects.filter(pk=record.pk), user, action).exists()
            assert in_queryset is expected, ("restrict", kind, state, action, who)


@pytest.mark.django_db
def test_add(roles):
    for who in EVERYONE:
        user = _user(roles, who)
        assert p.can(user, p.ADD, model=Need) is (who in {FA, AA, FB, AB, "admin"})
        assert p.can(user, p.ADD, model=Initiative) is (who != A)


@pytest.mark.django_db
def test_creator_sees_own_draft(roles):
    record = make_record("initiative", status=Status.DRAFT, organization=roles.org_x, actor=roles.registered)
    assert p.can(roles.registered, p.VIEW, record)
    assert p.can(roles.registered, p.SUBMIT, record)
    assert not p.can(roles.registered, p.PUBLISH, record)
