"""A clear "temporarily unavailable" page (503, with ``Retry-After``) instead of a server error while the
database cannot be reached.

Errors raised by a view are caught by :meth:`DatabaseUnavailableMiddleware.process_exception`; errors raised
by the middleware inside this one (sessions, authentication, login lockout) are turned into server errors by
Django before they get here, so a receiver of ``got_request_exception`` marks the request and the middleware
swaps the error page for the 503 page. The page is rendered without the database (no context processors, no
session, no user) in the language of the request (cookie or ``Accept-Language``).

The platform recovers by itself: Django closes a connection that failed at the end of the request, and with
``CONN_HEALTH_CHECKS`` checks a persistent one before re-using it, so the first request after the database
comes back opens a new connection.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

RETRY_AFTER = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)
MARK = "_capacityhub_database_unavailable"

logger = logging.getLogger("capacityhub.ops")


@receiver(got_request_exception)
def mark_database_unavailable(sender, request=None, **kwargs):
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_ERRORS):
        setattr(request, MARK, error)


def unavailable_response(request):
    language = translation.get_language_from_request(request, check_path=True)
    with translation.override(language):
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "detail": _(
                        "The service is temporarily unavailable: the database cannot be reached. "
                        "Try again shortly."
                    )
                },
                status=503,
            )
        else:
            html = render_to_string("ops/503.html", {"retry_after": RETRY_AFTER})
            response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        error = getattr(request, MARK, None)
        if error is not None and response.status_code >= 500:
            return self._unavailable(request, error)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request, error):
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path, error)
        return unavailable_response(request)
