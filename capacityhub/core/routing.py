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
        path("{}/".format(base), view["list"].as_view(record_type=rt), name="{}_list".format(rt.key)),
        path("{}/add/".format(base), view["edit"].as_view(record_type=rt), name="{}_add".format(rt.key)),
        path("{}/<int:pk>/".format(base), view["detail"].as_view(record_type=rt), name=rt.key),
        path("{}/<int:pk>/edit/".format(base), view["edit"].as_view(record_type=rt), name="{}_edit".format(rt.key)),
        path(
            "{}/<int:pk>/history/".format(base),
            view["history"].as_view(record_type=rt),
            name="{}_history".format(rt.key),
        ),
        path(
            "{}/<int:pk>/<slug:action>/".format(base),
            view["transition"].as_view(record_type=rt),
            name="{}_transition".format(rt.key),
        ),
    ]
