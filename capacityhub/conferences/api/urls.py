"""``/api/conferences/``: include under ``api/`` (``path("api/", include(...))``)."""

from rest_framework.routers import SimpleRouter

from .views import ConferenceViewSet

router = SimpleRouter()
router.register("conferences", ConferenceViewSet, basename="conference")
urlpatterns = router.urls
