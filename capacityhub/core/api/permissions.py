"""The API's permission class: asks the same gate as the pages."""

from rest_framework import permissions as drf

from capacityhub.core import permissions


class RecordPermission(drf.BasePermission):
    """Reads for everyone (the queryset is already restricted); writes through the gate.

    Creating asks the gate whether the user may add this kind of record; editing, whether the user may
    change the record. Workflow actions (submit, publish, return, archive) are checked by
    ``services.record_transition`` itself. Objects that are not records (countries, vocabularies) are
    read-only.
    """

    def has_permission(self, request, view):
        if request.method in drf.SAFE_METHODS:
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        model = getattr(getattr(view, "queryset", None), "model", None)
        creating = getattr(view, "action", "create" if request.method == "POST" else None) == "create"
        if creating and model is not None and hasattr(model, "scope_kind"):
            return permissions.can(request.user, permissions.ADD, model=model)
        return True

    def has_object_permission(self, request, view, obj):
        if not hasattr(obj, "scope_kind"):
            return request.method in drf.SAFE_METHODS
        if request.method in drf.SAFE_METHODS:
            return permissions.can(request.user, permissions.VIEW, obj)
        return permissions.can(request.user, permissions.CHANGE, obj)
