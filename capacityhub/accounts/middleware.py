"""Session expiry and the two-factor requirement for administrators.

- ``SessionExpiryMiddleware``: a signed-in session ends ``SESSION_COOKIE_AGE`` seconds after sign-in, whatever
  happens, and after ``SESSION_IDLE_TIMEOUT`` seconds without a request (0 turns the idle limit off). The time
  of the last request is written to the session at most once a minute, so a busy page does not write the
  session on every request.
- ``AdminTwoFactorMiddleware``: with ``TWO_FACTOR_REQUIRED_FOR_ADMINS`` on, an administrator whose session was
  not verified with a code can only set up two-factor sign-in or sign out.

Both go after django-otp's ``OTPMiddleware`` and Django's ``MessageMiddleware``. Requests authenticated with
an API token carry no session user and are not concerned.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from . import twofactor
from .signals import LAST_SEEN, SIGNED_IN_AT

LAST_SEEN_RESOLUTION = 60  # seconds


class SessionExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    def check(self, request):
        session, now = request.session, int(time.time())
        signed_in_at = session.get(SIGNED_IN_AT)
        last_seen = session.get(LAST_SEEN)
        if signed_in_at is None or last_seen is None:
            # A session from before these checks: its clock starts now.
            session[SIGNED_IN_AT] = signed_in_at or now
            session[LAST_SEEN] = now
            return
        idle_limit = settings.SESSION_IDLE_TIMEOUT
        if now - signed_in_at > settings.SESSION_COOKIE_AGE:
            self.expire(request, _("Your session has ended. Please sign in again."))
        elif idle_limit and now - last_seen > idle_limit:
            minutes = max(1, idle_limit // 60)
            self.expire(
                request,
                _(
                    "You were signed out after {minutes} minutes without activity. Please sign in again."
                ).format(minutes=minutes),
            )
        elif now - last_seen >= LAST_SEEN_RESOLUTION:
            session[LAST_SEEN] = now

    def expire(self, request, message):
        logout(request)  # a new, empty session: the request goes on as an anonymous one
        messages.info(request, message)


# Where an administrator who must use two-factor sign-in may still go before setting it up.
ALLOWED_WITHOUT_TWO_FACTOR = {
    "accounts:two_factor_setup",
    "accounts:two_factor_backup_codes",
    "accounts:logout",
    "accounts:login",
    "accounts:login_verify",
    "set_language",
}


class AdminTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.TWO_FACTOR_REQUIRED_FOR_ADMINS:
            refused = self.refuse(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def refuse(self, request):
        user = getattr(request, "user", None)
        if user is None or not twofactor.is_administrator(user):
            return None
        is_verified = getattr(user, "is_verified", None)
        if is_verified is not None and is_verified():
            return None
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            return None
        if view_name in ALLOWED_WITHOUT_TWO_FACTOR:
            return None
        message = _("Administrators must sign in with two-factor sign-in.")
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        if twofactor.has_two_factor(user):
            # The device exists but this session never gave a code: sign in again, with the code.
            logout(request)
            messages.info(request, _("Please sign in again with your two-factor code."))
            return redirect("accounts:login")
        messages.info(request, _("Administrators must set up two-factor sign-in before going on."))
        return redirect("accounts:two_factor_setup")
