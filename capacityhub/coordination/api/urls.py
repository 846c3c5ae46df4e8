"""Included by the project under ``/api/``: ``path("", include("capacityhub.coordination.api.urls"))``."""

from django.urls import path

from . import views

urlpatterns = [
    path("coordination/coverage/", views.CoverageAPIView.as_view(), name="api-coordination-coverage"),
    path("coordination/gaps/", views.GapsAPIView.as_view(), name="api-coordination-gaps"),
    path(
        "coordination/overlaps/", views.PairsAPIView.as_view(kind="overlap"), name="api-coordination-overlaps"
    ),
    path(
        "coordination/duplicates/",
        views.PairsAPIView.as_view(kind="duplicate"),
        name="api-coordination-duplicates",
    ),
    path("coordination/matches/", views.MatchesAPIView.as_view(), name="api-coordination-matches"),
    path("coordination/check/", views.CheckAPIView.as_view(), name="api-coordination-check"),
]
