from django.contrib import admin

from .coverage import bump_generation
from .models import AnalysisRun, ExchangeRate, InitiativeMerge, PairReview


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """The editable rates table of the funding figures."""

    list_display = ("currency", "usd_per_unit", "note", "updated_at")
    search_fields = ("currency", "note")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        bump_generation()


@admin.register(PairReview)
class PairReviewAdmin(admin.ModelAdmin):
    list_display = ("initiative_a", "initiative_b", "decision", "reviewer", "reviewed_at")
    list_filter = ("decision",)
    raw_id_fields = ("initiative_a", "initiative_b", "reviewer")


@admin.register(InitiativeMerge)
class InitiativeMergeAdmin(admin.ModelAdmin):
    list_display = ("duplicate", "kept", "actor", "merged_at")
    raw_id_fields = ("duplicate", "kept", "actor")

    def has_add_permission(self, request):
        return False


@admin.register(AnalysisRun)
class AnalysisRunAdmin(admin.ModelAdmin):
    list_display = ("kind", "status", "started_at", "finished_at")
    list_filter = ("kind", "status")
    readonly_fields = ("kind", "status", "started_at", "finished_at", "stats")
