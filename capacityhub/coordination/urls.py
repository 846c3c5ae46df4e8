from django.urls import path

from . import views

app_name = "coordination"
urlpatterns = [
    path("coordination/", views.CoverageView.as_view(), name="coverage"),
    path("coordination/cell/", views.CellView.as_view(), name="cell"),
    path("coordination/map/", views.MapView.as_view(), name="map"),
    path("coordination/charts/", views.ChartsView.as_view(), name="charts"),
    path("coordination/gaps/", views.GapsView.as_view(), name="gaps"),
    path("coordination/overlaps/", views.PairsView.as_view(kind="overlap"), name="overlaps"),
    path("coordination/duplicates/", views.PairsView.as_view(kind="duplicate"), name="duplicates"),
    path("coordination/pairs/<int:a>/<int:b>/review/", views.ReviewView.as_view(), name="review"),
    path("coordination/pairs/<int:a>/<int:b>/merge/", views.MergeView.as_view(), name="merge"),
    path("coordination/check/", views.CheckView.as_view(), name="check"),
    path("coordination/quality/", views.QualityView.as_view(), name="quality"),
    path("coordination/needs/<int:pk>/matches/", views.NeedMatchesView.as_view(), name="need_matches"),
    path(
        "coordination/organizations/<int:pk>/partners/",
        views.OrganizationPartnersView.as_view(),
        name="organization_partners",
    ),
]
