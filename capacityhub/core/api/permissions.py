"""The API's permission class: asks the same gate as the pages."""

from rest_framework import permissions as drf

from capacityhub.core import permissions


class RecordPermission(drf.BasePermission):
    """Reads for everyone (the queryset is already restricted); writes through the gate."""

    def has_permission(self, request, view):
        if request.method in drf.SAFE_METHODS:
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        model = getattr(getattr(view, "queryset", None), "model", None)
        if request.method == "POST" and model is not None and hasattr(model, "scope_kind"):
            return permissions.can(request.user, permissions.ADD, model=model)
        return True

    def has_object_permission(self, request, view, obj):
        if request.method in drf.SAFE_METHODS:
            return permissions.can(request.user, permissions.VIEW, obj)
        return permissions.can(request.user, permissions.CHANGE, obj)
