"""Writes to accounts."""

from django.db import transaction

from .models import RoleAssignment, User


@transaction.atomic
def user_sign_up(*, form):
    """Create the account of a registered user from a valid sign-up form; no role is granted."""
    return form.save()


@transaction.atomic
def role_assign(*, user: User, role, country=None, organization=None, actor=None):
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, country=country, organization=organization
    )
    user.__dict__.pop("roles", None)
    return assignment
