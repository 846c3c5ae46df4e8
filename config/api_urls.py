"""The REST API under ``/api/``: one endpoint per record type (from the registry), countries, vocabularies,
the user's token, and the OpenAPI schema with its documentation (served from the sidecar, no CDN)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from capacityhub.accounts import api as accounts_api
from capacityhub.core.api.docs import RedocView, SwaggerView
from capacityhub.core.api.routers import APIRouter, register_record_types
from capacityhub.reference.api.views import CountryViewSet, VocabularyViewSet

router = register_record_types(APIRouter())
router.register("countries", CountryViewSet, basename="country")
router.register("vocabularies", VocabularyViewSet, basename="vocabulary")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("token/", accounts_api.TokenView.as_view(), name="api-token"),
    path("token/manage/", accounts_api.token_manage, name="api-token-manage"),
    path("", include("capacityhub.plans.api.urls")),
    path("", include("capacityhub.coordination.api.urls")),
    path("", include(router.urls)),
    path("", include("capacityhub.meetings.api.urls")),
    path("", include("capacityhub.conferences.api.urls")),
    path("", include("capacityhub.notifications.api.urls")),
]
