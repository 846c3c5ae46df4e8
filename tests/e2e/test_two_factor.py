"""Two-factor sign-in in a real browser: a focal point enrols from the QR page (no CSP violation), signs out,
and signs back in with a backup code, then with a code from the app."""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from capacityhub.core.testing.factories import RoleSet


@pytest.fixture
def cast(reference_data):
    return RoleSet.create()


def app_code(secret, steps_ahead=0):
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return "{:06d}".format(totp.token())


def password_step(page, base):
    page.goto(base + "/en/accounts/login/")
    page.get_by_label("Username").fill("focal_a")
    page.get_by_label("Password").fill("pass")
    page.get_by_role("button", name="Sign in").click()


def test_enrol_then_sign_in_with_a_backup_code_and_an_app_code(live_server, page, cast):
    base = live_server.url
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    password_step(page, base)
    expect(page.get_by_role("link", name="My dashboard")).to_be_visible()
    page.goto(base + "/en/accounts/profile/")
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    expect(page.locator("figure.qr-code svg")).to_be_visible()
    secret = page.locator("code.secret-key").inner_text()
    page.get_by_label("Code from the app").fill(app_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept my codes").click()
    expect(page.get_by_text("You have 10 unused backup codes.")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    password_step(page, base)
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("link", name="My dashboard")).to_have_count(0)
    page.get_by_label("Code").fill("000000" if app_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("div.field-error")).to_contain_text("This code is not valid")
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(re.compile("You have 9 backup codes left"))).to_be_visible()
    expect(page.get_by_role("link", name="My dashboard")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    password_step(page, base)
    page.get_by_label("Code").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="My dashboard")).to_be_visible()
    assert violations == []
