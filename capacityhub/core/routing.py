"""URL patterns of a record type, all from its registry descriptor: ``<namespace>:<key>_list``,
``<key>``, ``<key>_add``, ``<key>_edit``, ``<key>_history``, ``<key>_transition``, ``<key>_export``
(``<path>/export.csv|xlsx|json``, kwarg ``format``) and ``<key>_feed`` (``<path>/feed.atom``)."""

import re

from django.urls import path, re_path

from . import views, views_export
from .feeds import RecordFeed


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
        re_path(
            rf"^{re.escape(base)}/export\.(?P<format>csv|xlsx|json)$",
            views_export.RecordExportView.as_view(record_type=rt),
            name=f"{rt.key}_export",
        ),
        path(f"{base}/feed.atom", RecordFeed(rt), name=f"{rt.key}_feed"),
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
