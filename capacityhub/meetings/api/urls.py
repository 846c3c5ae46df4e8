"""``/api/meetings/`` and ``/api/decisions/``: include under ``api/`` (``path("api/", include(...))``)."""

from rest_framework.routers import SimpleRouter

from .views import DecisionViewSet, MeetingViewSet

router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("decisions", DecisionViewSet, basename="decision")
urlpatterns = router.urls
