"""The production settings: `check --deploy` passes with the environment set, and a missing value is named."""

import os
import subprocess
import sys

from django.conf import settings

ENV = {
    "SECRET_KEY": "k7Vq2-test-only-not-a-real-secret-Zp9xR4mW8sT1yB6nC3vL5hJ0gF",
    "ALLOWED_HOSTS": "capacityhub.example.org",
    "DATABASE_URL": "postgres://capacityhub@db.example.org:5432/capacityhub",
    "REDIS_URL": "redis://cache.example.org:6379/0",
}
SHOW = (
    "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'], s.SESSION_COOKIE_SECURE, "
    "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS, "
    "s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.DATABASES['default']['ENGINE'], s.ALLOWED_HOSTS)"
)


def run(args, **env):
    # A clean environment: none of the test run's DJANGO_* variables (DJANGO_ALLOW_ASYNC_UNSAFE, set by the
    # browser tests) nor the production variables of the machine.
    environment = {k: v for k, v in os.environ.items() if k not in ENV and not k.startswith("DJANGO_")}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings.prod")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_check_deploy_passes_without_warnings():
    result = run(["check", "--deploy", "--fail-level", "WARNING"], **ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout

    shown = run(["shell", "--no-imports", "-c", SHOW], **ENV)
    assert shown.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        *["True"] * 4,
        "31536000",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "django.db.backends.postgresql",
        "['capacityhub.example.org']",
    ], shown.stderr


def test_a_missing_setting_is_named():
    env = {**ENV}
    del env["REDIS_URL"]
    result = run(["check"], **env)
    assert result.returncode != 0
    assert "Set the environment variable REDIS_URL for the production settings" in result.stderr
