"""The session clock: the time of sign-in and of the last request, read by ``SessionExpiryMiddleware``."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SIGNED_IN_AT = "accounts_signed_in_at"
LAST_SEEN = "accounts_last_seen"


@receiver(user_logged_in, dispatch_uid="accounts_session_clock")
def start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now
