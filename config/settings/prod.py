"""Production settings: everything secret or site-specific comes from the environment.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL. See docs/deployment.md for the others.
`make prod-check` runs `manage.py check --deploy` on these settings and must print no warning.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, env_bool


def required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            "Set the environment variable {} for the production settings (see docs/deployment.md).".format(
                name
            )
        )
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in required("ALLOWED_HOSTS").split(",") if host.strip()]
# Needed only when the site is reached under another origin than its host names (e.g. a proxy path).
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# Database: PostgreSQL in production; connections are reused and checked before use.
DATABASES["default"] = dj_database_url.parse(
    required("DATABASE_URL"),
    conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    conn_health_checks=True,
)

# The cache is shared by every application server (Redis), and sessions are read through it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": required("REDIS_URL"),
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "capacityhub"),
        "TIMEOUT": int(os.environ.get("CACHE_TIMEOUT", "300")),
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# HTTPS behind a load balancer or reverse proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Cookies: sent over HTTPS only and never readable by scripts.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# django-axes counts failures per client address: behind N proxies, the client is N hops back in
# X-Forwarded-For. Wrong here, every visitor looks like the load balancer and one attacker locks out all.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "1"))
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# E-mail (password resets, digests): SMTP when EMAIL_HOST is set, else EMAIL_BACKEND (console by default).
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", os.environ.get("DEFAULT_FROM_EMAIL", "root@localhost"))
