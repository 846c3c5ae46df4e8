from django.urls import path

from . import views_iati

app_name = "interop"
urlpatterns = [
    path("iati/import/", views_iati.IatiImportView.as_view(), name="iati_import"),
    path("iati/export.xml", views_iati.IatiExportView.as_view(), name="iati_export"),
]
