from django.contrib import admin

from .models import Follow, SavedSearch, SentItem


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "record_type", "frequency", "created_at"]
    list_filter = ["frequency", "record_type"]
    raw_id_fields = ["user"]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "frequency", "created_at"]
    list_filter = ["kind", "frequency"]
    raw_id_fields = ["user"]


@admin.register(SentItem)
class SentItemAdmin(admin.ModelAdmin):
    """The ledger of what was sent: read-only."""

    list_display = ["user", "content_type", "object_id", "frequency", "sent_at"]
    list_filter = ["frequency"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
