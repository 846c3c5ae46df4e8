from django.contrib import admin

from .models import Contact, Country, Organization, Region, Term, Vocabulary


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["iso2", "iso3", "name_en"]
    search_fields = ["iso2", "iso3", "name_en"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "kind"]
    list_filter = ["kind"]
    search_fields = ["code"]
    filter_horizontal = ["countries"]


class TermInline(admin.TabularInline):
    model = Term
    extra = 0
    fields = ["code", "label", "identifier", "iati_code", "position", "active"]


@admin.register(Vocabulary)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "source"]
    inlines = [TermInline]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "vocabulary", "position", "active"]
    list_filter = ["vocabulary", "active"]
    search_fields = ["code", "identifier"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "acronym", "country", "iati_identifier", "status"]
    list_filter = ["status", "org_type"]
    search_fields = ["sort_title", "acronym", "iati_identifier"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organization", "email", "status"]
    search_fields = ["sort_title", "email"]
    autocomplete_fields = ["organization", "country"]
