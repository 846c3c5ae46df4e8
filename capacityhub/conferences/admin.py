from django.contrib import admin

from .models import Conference, ConferenceEvent, Participant, Post


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "start_date", "end_date", "status", "closed_at"]
    list_filter = ["status"]
    search_fields = ["sort_title"]
    raw_id_fields = ["organizer", "feeds_meeting"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["user", "conference", "country", "stakeholder_type", "status"]
    list_filter = ["status", "stakeholder_type"]
    raw_id_fields = ["user", "conference", "country", "organization", "decided_by"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Read-only: posts are moderated on the conference's pages, where every action is logged."""

    list_display = ["__str__", "topic", "author", "language", "status", "created_at"]
    list_filter = ["status", "language"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ConferenceEvent)
class ConferenceEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "conference", "actor", "action", "subject"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
