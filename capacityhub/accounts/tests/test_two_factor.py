"""Two-factor sign-in (TOTP) for focal points and administrators: enrol, sign in with a code or a backup
code, wrong codes, turning it off, the administrators' requirement, the admin's sign-in, the API token."""

import time
from binascii import unhexlify

import pytest
from django.test import Client, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from capacityhub.accounts import services, twofactor
from capacityhub.core.testing.factories import UserFactory


def code_for(key, steps_ahead=0):
    totp = TOTP(unhexlify(key))
    totp.time = time.time() + 30 * steps_ahead
    return "{:06d}".format(totp.token())


def wrong_code_for(key):
    valid = {code_for(key, offset) for offset in (-1, 0, 1)}
    return next(c for c in ("{:06d}".format(n) for n in range(123456, 999999, 7)) if c not in valid)


def enable(user):
    key = twofactor.new_secret()
    codes = services.two_factor_enable(user=user, key=key, last_t=-1, actor=user)
    return key, codes


def password_step(client, user, next_url=""):
    data = {"username": user.username, "password": "pass"}
    if next_url:
        data["next"] = next_url
    return client.post("/en/accounts/login/", data)


def signed_in(client):
    return "_auth_user_id" in client.session


# -- enrolment -----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_focal_point_enrols_with_a_qr_code_and_a_confirming_code(client, roles):
    client.force_login(roles.focal_a)
    profile = client.get("/en/accounts/profile/").content.decode()
    assert 'href="/en/accounts/two-factor/"' in profile and "Off." in profile

    page = client.get("/en/accounts/two-factor/")
    html = page.content.decode()
    key = client.session[twofactor.SETUP_KEY]
    assert page.status_code == 200 and "<svg" in html and "<script" not in html.split("<main", 1)[1]
    assert twofactor.secret_base32(key) in html
    uri = twofactor.provisioning_uri(roles.focal_a, key)
    assert uri.startswith("otpauth://totp/CapacityHub%3Afocal_a?secret=") and "issuer=CapacityHub" in uri
    # The key stays the same while the page is reloaded, and nothing is saved before the code confirms it.
    client.get("/en/accounts/two-factor/")
    assert client.session[twofactor.SETUP_KEY] == key
    assert not TOTPDevice.objects.filter(user=roles.focal_a).exists()

    refused = client.post("/en/accounts/two-factor/", {"code": wrong_code_for(key)})
    assert refused.status_code == 200 and 'id="id_code_error"' in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=roles.focal_a).exists()

    done = client.post("/en/accounts/two-factor/", {"code": code_for(key)})
    assert done.status_code == 302 and done["Location"] == "/en/accounts/two-factor/backup-codes/"
    device = TOTPDevice.objects.get(user=roles.focal_a)
    assert device.confirmed and device.key == key
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id  # this session is verified
    codes = list(StaticToken.objects.filter(device__user=roles.focal_a).values_list("token", flat=True))
    assert len(codes) == twofactor.BACKUP_CODE_COUNT

    shown = client.get("/en/accounts/two-factor/backup-codes/").content.decode()
    assert all(code in shown for code in codes)
    # Shown once only.
    assert client.get("/en/accounts/two-factor/backup-codes/")["Location"] == "/en/accounts/profile/"
    profile = client.get("/en/accounts/profile/").content.decode()
    assert "On." in profile and "You have 10 unused backup codes." in profile
    assert client.get("/en/accounts/two-factor/")["Location"] == "/en/accounts/profile/"


@pytest.mark.django_db
def test_two_factor_is_offered_to_focal_points_and_administrators_only(client, roles):
    for user, offered in [(roles.focal_a, True), (roles.admin, True), (roles.registered, False)]:
        client.force_login(user)
        profile = client.get("/en/accounts/profile/").content.decode()
        assert ('href="/en/accounts/two-factor/"' in profile) is offered
        setup = client.get("/en/accounts/two-factor/")
        assert setup.status_code == (200 if offered else 302)
    assert not TOTPDevice.objects.filter(user=roles.registered).exists()
    assert client.get("/en/accounts/two-factor/")["Location"] == "/en/accounts/profile/"


@pytest.mark.django_db
def test_enrolment_needs_a_signed_in_user(client):
    response = client.get("/en/accounts/two-factor/")
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/")


# -- signing in ----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_sign_in_asks_for_the_code_and_a_valid_code_signs_in(client, roles):
    key, _codes = enable(roles.focal_a)
    response = password_step(client, roles.focal_a, next_url="/en/needs/")
    assert response.status_code == 302 and response["Location"] == "/en/accounts/login/code/"
    assert not signed_in(client)
    assert client.get("/en/accounts/profile/")["Location"].startswith("/en/accounts/login/")
    assert 'name="code"' in client.get("/en/accounts/login/code/").content.decode()

    code = code_for(key)  # the same string twice below, even if a new 30-second step starts meanwhile
    done = client.post("/en/accounts/login/code/", {"code": code})
    assert done.status_code == 302 and done["Location"] == "/en/needs/"
    assert signed_in(client) and client.session["_auth_user_id"] == str(roles.focal_a.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == TOTPDevice.objects.get(user=roles.focal_a).persistent_id
    assert twofactor.PENDING_USER not in client.session

    # The same code is never accepted twice.
    other = Client()
    password_step(other, roles.focal_a)
    again = other.post("/en/accounts/login/code/", {"code": code})
    assert again.status_code == 200 and not signed_in(other)


@pytest.mark.django_db
def test_a_wrong_code_does_not_sign_in(client, roles):
    key, _codes = enable(roles.focal_a)
    password_step(client, roles.focal_a)
    response = client.post("/en/accounts/login/code/", {"code": wrong_code_for(key)})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="id_code_error"' in page and "This code is not valid" in page
    assert not signed_in(client)
    assert client.post("/en/accounts/login/code/", {"code": ""}).status_code == 200
    assert not signed_in(client)


NO_THROTTLE = override_settings(OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)


@NO_THROTTLE
@pytest.mark.django_db
def test_too_many_wrong_codes_need_the_password_again(client, roles):
    key, _codes = enable(roles.focal_a)
    password_step(client, roles.focal_a)
    for _attempt in range(twofactor.MAX_CODE_FAILURES - 1):
        assert client.post("/en/accounts/login/code/", {"code": wrong_code_for(key)}).status_code == 200
    last = client.post("/en/accounts/login/code/", {"code": wrong_code_for(key)})
    assert last.status_code == 302 and last["Location"] == "/en/accounts/login/"
    assert client.get("/en/accounts/login/code/")["Location"] == "/en/accounts/login/"
    assert not signed_in(client)


@NO_THROTTLE
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
@pytest.mark.django_db
def test_wrong_codes_count_as_failed_sign_ins_for_the_lockout(client, roles):
    key, _codes = enable(roles.focal_a)
    password_step(client, roles.focal_a)
    client.post("/en/accounts/login/code/", {"code": wrong_code_for(key)})
    client.post("/en/accounts/login/code/", {"code": wrong_code_for(key)})
    locked = client.post("/en/accounts/login/code/", {"code": wrong_code_for(key)})
    assert locked.status_code == 429 and "Sign-in blocked for now" in locked.content.decode()
    assert password_step(client, roles.focal_a).status_code == 429
    assert not signed_in(client)


@pytest.mark.django_db
def test_after_a_wrong_code_the_next_one_waits_a_moment(client, roles):
    key, codes = enable(roles.focal_a)
    password_step(client, roles.focal_a)
    client.post("/en/accounts/login/code/", {"code": wrong_code_for(key)})
    # Even a right code is refused during django-otp's delay, with a message saying how long to wait...
    response = client.post("/en/accounts/login/code/", {"code": code_for(key)})
    assert "After a wrong code, wait 1 second before typing the next one." in response.content.decode()
    assert not signed_in(client)
    # ...and goes through once the delay has passed.
    TOTPDevice.objects.filter(user=roles.focal_a).update(throttling_failure_timestamp=None)
    client.post("/en/accounts/login/code/", {"code": code_for(key)})
    assert signed_in(client)


@pytest.mark.django_db
def test_a_backup_code_is_not_held_up_by_a_wrong_app_code(client, roles):
    key, codes = enable(roles.focal_a)
    password_step(client, roles.focal_a)
    client.post("/en/accounts/login/code/", {"code": wrong_code_for(key)})
    device = TOTPDevice.objects.get(user=roles.focal_a)
    assert device.throttling_failure_count == 1  # the authenticator now waits before its next code
    client.post("/en/accounts/login/code/", {"code": codes[0]})
    assert signed_in(client)
    # the backup code was not taken for a second wrong app code, and signing in lifted the wait
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


@pytest.mark.django_db
def test_the_password_step_expires(client, roles):
    key, _codes = enable(roles.focal_a)
    password_step(client, roles.focal_a)
    session = client.session
    session[twofactor.PENDING_SINCE] = int(time.time()) - twofactor.PENDING_SECONDS - 1
    session.save()
    response = client.post("/en/accounts/login/code/", {"code": code_for(key)})
    assert response.status_code == 302 and response["Location"] == "/en/accounts/login/"
    assert not signed_in(client)


@pytest.mark.django_db
def test_a_backup_code_signs_in_once(client, roles):
    _key, codes = enable(roles.admin)
    password_step(client, roles.admin)
    response = client.post("/en/accounts/login/code/", {"code": codes[0].upper()}, follow=True)
    assert signed_in(client)
    assert "You have 9 backup codes left." in response.content.decode()
    assert twofactor.backup_codes_left(roles.admin) == 9

    other = Client()
    password_step(other, roles.admin)
    assert other.post("/en/accounts/login/code/", {"code": codes[0]}).status_code == 200
    assert not signed_in(other)


@pytest.mark.django_db
def test_a_wrong_password_never_reaches_the_code_step(client, roles):
    enable(roles.focal_a)
    response = client.post("/en/accounts/login/", {"username": "focal_a", "password": "nope"})
    assert response.status_code == 200 and twofactor.PENDING_USER not in client.session
    assert client.get("/en/accounts/login/code/")["Location"] == "/en/accounts/login/"


@pytest.mark.django_db
def test_without_two_factor_the_password_is_enough(client, roles):
    response = password_step(client, roles.focal_a)
    assert response.status_code == 302 and signed_in(client)


# -- backup codes and turning off ------------------------------------------------------------------------
@pytest.mark.django_db
def test_new_backup_codes_replace_the_old_ones(client, roles):
    _key, old = enable(roles.focal_a)
    client.force_login(roles.focal_a)
    response = client.post("/en/accounts/two-factor/backup-codes/")
    assert response["Location"] == "/en/accounts/two-factor/backup-codes/"
    page = client.get(response["Location"]).content.decode()
    new = list(StaticToken.objects.filter(device__user=roles.focal_a).values_list("token", flat=True))
    assert len(new) == 10 and all(code in page for code in new) and not set(old) & set(new)


@pytest.mark.django_db
def test_turning_off_needs_the_password(client, roles):
    enable(roles.focal_a)
    client.force_login(roles.focal_a)
    assert "Turn off two-factor sign-in" in client.get("/en/accounts/two-factor/off/").content.decode()
    refused = client.post("/en/accounts/two-factor/off/", {"password": "wrong"})
    assert refused.status_code == 200 and 'id="id_password_error"' in refused.content.decode()
    assert twofactor.has_two_factor(roles.focal_a)

    done = client.post("/en/accounts/two-factor/off/", {"password": "pass"})
    assert done["Location"] == "/en/accounts/profile/"
    assert not twofactor.has_two_factor(roles.focal_a)
    assert not StaticToken.objects.filter(device__user=roles.focal_a).exists()
    client.logout()
    assert password_step(client, roles.focal_a).status_code == 302 and signed_in(client)


@pytest.mark.django_db
def test_an_administrator_turns_it_off_for_a_user_who_lost_their_device(client, roles):
    enable(roles.focal_a)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.post(
        "/en/admin/accounts/user/", {"action": "turn_off_two_factor", "_selected_action": [roles.focal_a.pk]}
    )
    assert response.status_code == 302 and not twofactor.has_two_factor(roles.focal_a)


# -- the administration and the API ----------------------------------------------------------------------
@pytest.mark.django_db
def test_the_admin_signs_in_through_the_platforms_sign_in_page(client, roles):
    response = client.get("/en/admin/login/?next=/en/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/en/admin/"
    assert client.post("/en/admin/login/", {"username": "secretariat", "password": "pass"}).status_code == 302
    assert not signed_in(client)


@pytest.mark.django_db
def test_api_tokens_work_as_before_for_a_user_with_two_factor(roles):
    enable(roles.admin)
    token = Token.objects.create(user=roles.admin)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token {}".format(token.key))
    assert api.get("/api/token/").status_code == 200
    with override_settings(TWO_FACTOR_REQUIRED_FOR_ADMINS=True):
        assert api.get("/api/token/").status_code == 200


@override_settings(TWO_FACTOR_REQUIRED_FOR_ADMINS=True)
@pytest.mark.django_db
def test_administrators_can_be_required_to_use_two_factor(client, roles):
    client.force_login(roles.admin)
    response = client.get("/en/needs/")
    assert response.status_code == 302 and response["Location"] == "/en/accounts/two-factor/"
    assert client.get("/api/token/").status_code == 403
    page = client.get("/en/accounts/two-factor/")
    assert page.status_code == 200 and "Administrators must use two-factor sign-in." in page.content.decode()
    key = client.session[twofactor.SETUP_KEY]
    client.post("/en/accounts/two-factor/", {"code": code_for(key)})
    assert client.get("/en/needs/").status_code == 200
    # They cannot turn it off.
    client.post("/en/accounts/two-factor/off/", {"password": "pass"})
    assert twofactor.has_two_factor(roles.admin)

    # A session that never gave the code is signed out and asked to sign in with it.
    other = Client()
    other.force_login(roles.admin)
    response = other.get("/en/needs/")
    assert response["Location"] == "/en/accounts/login/" and not signed_in(other)
    password_step(other, roles.admin)
    other.post("/en/accounts/login/code/", {"code": code_for(key, steps_ahead=1)})
    assert other.get("/en/needs/").status_code == 200

    # Other users are not concerned.
    client.force_login(roles.focal_a)
    assert client.get("/en/needs/").status_code == 200


@pytest.mark.django_db
def test_administrators_are_not_required_by_default(client, roles):
    client.force_login(roles.admin)
    assert client.get("/en/needs/").status_code == 200
