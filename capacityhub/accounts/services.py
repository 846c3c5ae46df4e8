"""Writes to accounts."""

import logging

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import twofactor
from .models import RoleAssignment, User

security_log = logging.getLogger("capacityhub.security")


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


# -- sign-in security ----------------------------------------------------------------------------------
@transaction.atomic
def two_factor_enable(*, user: User, key: str, last_t: int, actor: User):
    """Turn on two-factor sign-in with the authenticator secret ``key`` (hex) that ``user`` just proved with a
    code of time step ``last_t`` (that code cannot be used again). Replaces any earlier device and returns
    a fresh set of backup codes, to be shown once."""
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(
        user=user, name=twofactor.TOTP_DEVICE_NAME, key=key, confirmed=True, last_t=last_t
    )
    codes = backup_codes_regenerate(user=user, actor=actor)
    security_log.info("two-factor sign-in enabled for user %s by %s", user.pk, actor.pk)
    return codes


@transaction.atomic
def backup_codes_regenerate(*, user: User, actor: User):
    """Replace the user's backup codes with new ones (each usable once) and return them."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=twofactor.BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(twofactor.BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    security_log.info("backup codes regenerated for user %s by %s", user.pk, actor.pk)
    return codes


@transaction.atomic
def two_factor_disable(*, user: User, actor: User):
    """Turn off two-factor sign-in: remove the authenticator and the backup codes. True when it was on."""
    deleted = TOTPDevice.objects.filter(user=user).delete()[0]
    deleted += StaticDevice.objects.filter(user=user).delete()[0]
    security_log.info("two-factor sign-in disabled for user %s by %s", user.pk, actor.pk)
    return bool(deleted)


def sign_in_unlock(*, user: User, actor=None):
    """Lift a django-axes lockout: forget the failed sign-in attempts made with this user name.

    Returns the number of attempts forgotten."""
    from axes.utils import reset

    count = reset(username=user.get_username())
    security_log.info(
        "sign-in unlocked for user %s by %s (%s attempts)", user.pk, getattr(actor, "pk", None), count
    )
    return count
