"""Import pages: ``<path>/import/`` for every record type (``imports:<key>_import``), and the page of one
import with its progress, preview and errors (``imports:job``, ``imports:job_apply``)."""

from django.urls import path

from capacityhub.core.registry import registry

from . import views_imports

app_name = "imports"
urlpatterns = [
    path("imports/<int:pk>/", views_imports.ImportJobView.as_view(), name="job"),
    path("imports/<int:pk>/apply/", views_imports.ImportJobApplyView.as_view(), name="job_apply"),
]
urlpatterns += [
    path(f"{rt.path}/import/", views_imports.ImportStartView.as_view(record_type=rt), name=f"{rt.key}_import")
    for rt in registry
]
