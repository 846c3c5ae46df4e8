"""URL patterns of a record type, all from its registry descriptor: ``<namespace>:<key>_list``,
``<key>``, ``<key>_add``, ``<key>_edit``, ``<key>_history`` and ``<key>_transition``."""

from django.urls import path

from . import views


def record_urls(record_type, **overrides):
    rt = record_type
    view = {
        "list": views.RecordListView,
        "detail": views.RecordDetailView,
        "edit": views.RecordEditView,
        "history": views.RecordHistoryView,
        "transition": views.RecordTransitionView,
        **overrides,
    }
    base = rt.path
    return [
        path(f"{base}/", view["list"].as_view(record_type=rt), name=f"{rt.key}_list"),
        path(f"{base}/add/", view["edit"].as_view(record_type=rt), name=f"{rt.key}_add"),
        path(f"{base}/<int:pk>/", view["detail"].as_view(record_type=rt), name=rt.key),
        path(
            f"{base}/<int:pk>/edit/",
            view["edit"].as_view(record_type=rt),
            name=f"{rt.key}_edit",
        ),
        path(
            f"{base}/<int:pk>/history/",
            view["history"].as_view(record_type=rt),
            name=f"{rt.key}_history",
        ),
        path(
            f"{base}/<int:pk>/<slug:action>/",
            view["transition"].as_view(record_type=rt),
            name=f"{rt.key}_transition",
        ),
    ]
