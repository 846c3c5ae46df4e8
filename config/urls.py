from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from capacityhub.meetings.calendar import calendar_view

urlpatterns = [
    path("api/", include("config.api_urls")),
    path("calendar.ics", calendar_view, name="calendar"),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("", include("capacityhub.core.urls")),
    path("accounts/", include("capacityhub.accounts.urls")),
    path("", include("capacityhub.registry.urls")),
    path("", include("capacityhub.reference.urls")),
    path("", include("capacityhub.interop.urls")),
    path("", include("capacityhub.interop.urls_imports")),
    path("", include("capacityhub.plans.urls")),
    path("", include("capacityhub.coordination.urls")),
    path("", include("capacityhub.conferences.urls")),
    path("", include("capacityhub.meetings.urls")),
    path("", include("capacityhub.notifications.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
urlpatterns += [
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "capacityhub/favicon.svg"))
]
