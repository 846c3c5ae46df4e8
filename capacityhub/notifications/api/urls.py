"""``/api/subscriptions/``: include under ``api/`` (``path("api/", include(...))``)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import FollowViewSet, SavedSearchViewSet, SubscriptionsView

router = SimpleRouter()
router.register("subscriptions/saved-searches", SavedSearchViewSet, basename="saved-search")
router.register("subscriptions/follows", FollowViewSet, basename="follow")
urlpatterns = [
    path("subscriptions/", SubscriptionsView.as_view(), name="subscriptions"),
    *router.urls,
]
