"""The site's URLs plus what the lead wires at the root: ``/calendar.ics`` and the API of meetings,
decisions and conferences (``override_settings(ROOT_URLCONF=...)`` in tests)."""

from django.urls import include, path

from capacityhub.meetings.calendar import calendar_view
from config.urls import urlpatterns as site

urlpatterns = [
    path("calendar.ics", calendar_view, name="calendar"),
    path("api/", include("capacityhub.meetings.api.urls")),
    path("api/", include("capacityhub.conferences.api.urls")),
    *site,
]
