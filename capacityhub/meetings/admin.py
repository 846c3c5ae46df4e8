from django.contrib import admin

from .models import Decision, LiaisonGroupMember, Link, Meeting


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "series_number", "start_date", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["sort_title", "city"]
    raw_id_fields = ["organizer", "country"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["symbol", "__str__", "adopted_on", "status"]
    list_filter = ["status"]
    search_fields = ["symbol", "sort_title"]
    raw_id_fields = ["publisher", "meeting"]


@admin.register(LiaisonGroupMember)
class LiaisonGroupMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organization", "country", "term_start", "term_end"]
    raw_id_fields = ["user", "organization", "country"]


@admin.register(Link)
class LinkAdmin(admin.ModelAdmin):
    list_display = ["__str__", "relation", "created_at"]
    list_filter = ["relation"]
