from django.contrib import admin

from .models import Version


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    """Read-only: the history of records is never edited."""

    list_display = ["content_type", "object_id", "number", "action", "actor", "created_at"]
    list_filter = ["action", "content_type"]
    readonly_fields = [f.name for f in Version._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
