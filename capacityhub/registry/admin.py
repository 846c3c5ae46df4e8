from django.contrib import admin

from .models import CountryProfile, Expert, Initiative, Need, Opportunity, Resource


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "publisher", "status", "updated_at"]
    list_filter = ["status", "geographic_scope"]
    search_fields = ["sort_title", "iati_identifier", "project_number"]
    raw_id_fields = ["publisher", "part_of"]


@admin.register(Need, Opportunity, Resource, Expert, CountryProfile)
class RecordAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["sort_title"]
