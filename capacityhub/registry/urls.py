from django.urls import path

from capacityhub.core.registry import registry
from capacityhub.core.routing import record_urls

from . import views

app_name = "registry"
urlpatterns = [
    path("countries/", views.CountryListView.as_view(), name="country_list"),
    path("countries/<str:iso2>/", views.CountryView.as_view(), name="country"),
    path("resources/<int:pk>/files/<str:language>/", views.resource_file, name="resource_file"),
    path("experts/<int:pk>/cv/", views.expert_cv, name="expert_cv"),
]
for key in ("initiative", "need", "opportunity", "resource", "expert", "countryprofile"):
    urlpatterns += record_urls(registry[key])
