from django.urls import path

from capacityhub.core.registry import registry
from capacityhub.core.routing import record_urls

from . import views

app_name = "reference"
urlpatterns = [
    path("organizations/<int:pk>/merge/", views.OrganizationMergeView.as_view(), name="organization_merge"),
    *record_urls(registry["organization"]),
    *record_urls(registry["contact"]),
]
