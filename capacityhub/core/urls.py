from django.urls import path

from . import views_pages

app_name = "core"
urlpatterns = [
    path("", views_pages.HomeView.as_view(), name="home"),
    path("dashboard/", views_pages.DashboardView.as_view(), name="dashboard"),
]
