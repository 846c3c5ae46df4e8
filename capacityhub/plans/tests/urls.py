"""The project's URLs with the plans API included at /api/ (as config/api_urls.py does once wired)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("api/", include("capacityhub.plans.api.urls")), *project_urlpatterns]
