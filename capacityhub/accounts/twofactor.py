"""Two-factor sign-in (TOTP) with django-otp: who may use it, the pending sign-in, QR codes, code checks.

Writes (enabling, disabling, backup codes) are in ``services.py``; this module only reads and keeps the
state of a sign-in between the password and the code in the session.

A user with a confirmed TOTP device signs in in two steps: the password (``SignInView``) and then a code from
their authenticator app or one of their backup codes (``SignInVerifyView``). Between the two, the session
holds only the user's id, the authentication backend, where to go next and when the password was accepted;
the user is not signed in until the code is accepted. The API's token authentication is not affected.
"""

import binascii
import math
import time
from base64 import b32encode
from datetime import timedelta
from os import urandom

import django_otp
import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.models import MAX_THROTTLE_DELAY_SECONDS
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .choices import Role

# Session keys of a sign-in waiting for its second factor, and of an enrolment in progress.
PENDING_USER = "accounts_2fa_user"
PENDING_BACKEND = "accounts_2fa_backend"
PENDING_NEXT = "accounts_2fa_next"
PENDING_SINCE = "accounts_2fa_since"
PENDING_FAILURES = "accounts_2fa_failures"
SETUP_KEY = "accounts_2fa_setup_key"
NEW_BACKUP_CODES = "accounts_2fa_new_codes"

# The password step is valid this long; wrong codes allowed before the password must be entered again.
PENDING_SECONDS = 5 * 60
MAX_CODE_FAILURES = 5
BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"


def is_administrator(user):
    """Secretariat administrators and staff: those whom ``TWO_FACTOR_REQUIRED_FOR_ADMINS`` concerns."""
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser or user.is_secretariat))


def is_eligible(user):
    """Two-factor sign-in is offered to national focal points and administrators."""
    return is_administrator(user) or bool(user.is_authenticated and Role.FOCAL_POINT in user.roles)


def has_two_factor(user):
    """True when the user has a confirmed authenticator (TOTP) device."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def backup_codes_left(user):
    device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    return device.token_set.count() if device else 0


def normalize_code(code):
    """Codes are accepted with spaces or dashes and in any case, as people copy them."""
    return "".join(ch for ch in (code or "") if ch.isalnum()).lower()


def devices_for_code(user, code):
    """The devices a code is meant for: six digits go to the authenticator, anything else to the backup codes
    (eight letters and digits), so that a backup code never counts as a wrong authenticator code."""
    model = TOTPDevice if (code.isdigit() and len(code) == 6) else StaticDevice
    return list(model.objects.devices_for_user(user, confirmed=True))


def throttle_wait(user, code):
    """Seconds before the device meant for ``code`` accepts a code again (0: now).

    django-otp makes a device wait 1, 2, 4, 8... seconds after each successive wrong code."""
    waits = []
    now = timezone.now()
    for device in devices_for_code(user, normalize_code(code)):
        allowed, _data = device.verify_is_allowed()
        if allowed:
            return 0
        delay = min(
            device.get_throttle_factor() * 2 ** (device.throttling_failure_count - 1),
            MAX_THROTTLE_DELAY_SECONDS,
        )
        waits.append((device.throttling_failure_timestamp + timedelta(seconds=delay) - now).total_seconds())
    return max(1, math.ceil(min(waits))) if waits else 0


def match_code(user, code):
    """The device (authenticator or backup codes) that accepts ``code``, or None.

    django-otp's own checks apply: a TOTP code is accepted once, a backup code is used up, and a device
    refuses codes for a growing delay after each wrong one. A successful second step proves the user:
    the delays left on their other devices by earlier wrong codes are lifted."""
    code = normalize_code(code)
    if not code:
        return None
    for device in devices_for_code(user, code):
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            for model in (TOTPDevice, StaticDevice):
                for other in model.objects.devices_for_user(user, confirmed=True):
                    if other.throttling_failure_count:
                        other.throttle_reset()
            return verified
    return None


# -- enrolment -------------------------------------------------------------------------------------
def new_secret():
    """A new random TOTP secret, hex-encoded as django-otp stores it (20 bytes, as RFC 6238 recommends)."""
    return binascii.hexlify(urandom(20)).decode()


def secret_base32(key_hex):
    """The secret as people type it into an authenticator app: base32, in groups of four."""
    text = b32encode(binascii.unhexlify(key_hex)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_uri(user, key_hex):
    """The ``otpauth://`` address the QR code holds, built as django-otp builds it for its devices."""
    device = TOTPDevice(user=user, key=key_hex, name=TOTP_DEVICE_NAME)
    return device.config_url


def qr_svg(uri, title):
    """The QR code as an inline SVG element (no script, no style attribute: fits the CSP)."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff", title=title)


def check_setup_code(key_hex, code):
    """The time step of ``code`` when it is a valid current code for the secret being enrolled, else None."""
    code = normalize_code(code)
    if not code.isdigit():
        return None
    totp = TOTP(binascii.unhexlify(key_hex), step=30, t0=0, digits=6, drift=0)
    if totp.verify(int(code), tolerance=1):
        return totp.t()
    return None


# -- the sign-in between the password and the code --------------------------------------------------
def pending_begin(request, user, next_url):
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_BACKEND] = user.backend
    request.session[PENDING_NEXT] = next_url
    request.session[PENDING_SINCE] = int(time.time())
    request.session[PENDING_FAILURES] = 0


def pending_user(request):
    """The user whose password was accepted a moment ago and who still owes a code, or None."""
    user_id = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE, 0)
    if user_id is None or time.time() - since > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        user.backend = request.session.get(PENDING_BACKEND) or settings.AUTHENTICATION_BACKENDS[-1]
    return user


def pending_failure(request):
    """Count a wrong code; True when the pending sign-in is used up and the password is needed again."""
    failures = request.session.get(PENDING_FAILURES, 0) + 1
    request.session[PENDING_FAILURES] = failures
    return failures >= MAX_CODE_FAILURES


def pending_next(request):
    return request.session.get(PENDING_NEXT) or settings.LOGIN_REDIRECT_URL


def pending_clear(request):
    for key in (PENDING_USER, PENDING_BACKEND, PENDING_NEXT, PENDING_SINCE, PENDING_FAILURES):
        request.session.pop(key, None)
