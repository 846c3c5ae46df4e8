"""The Secretariat completes plans here (areas, elements, activities, indicators, crosswalk) and keeps the
questionnaires, cycles and report files. Submissions are edited through their pages (workflow and
versions)."""

from django.contrib import admin

from .models import (
    Crosswalk,
    CycleReminder,
    Plan,
    PlanActivity,
    PlanArea,
    PlanElement,
    PlanIndicator,
    Question,
    Questionnaire,
    QuestionPlanLink,
    ReportingCycle,
    Section,
    Submission,
    SynthesisReport,
)


class PlanAreaInline(admin.TabularInline):
    model = PlanArea
    extra = 1
    fields = ["number", "title", "identifier", "thematic_area", "position"]
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["key", "__str__", "adopted_by", "period_start", "period_end", "is_complete", "is_demo"]
    list_filter = ["is_complete", "is_demo"]
    search_fields = ["key", "adopted_by"]
    inlines = [PlanAreaInline]


class PlanElementInline(admin.TabularInline):
    model = PlanElement
    extra = 1
    fields = ["number", "kind", "title", "position"]
    exclude = ["plan"]
    show_change_link = True


@admin.register(PlanArea)
class PlanAreaAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "position"]
    list_filter = ["plan"]
    inlines = [PlanElementInline]
    autocomplete_fields = ["initiatives"]

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            if isinstance(obj, PlanElement):
                obj.plan_id = form.instance.plan_id
            obj.save()
        formset.save_m2m()
        for obj in formset.deleted_objects:
            obj.delete()


class PlanActivityInline(admin.TabularInline):
    model = PlanActivity
    extra = 1


class PlanIndicatorInline(admin.TabularInline):
    model = PlanIndicator
    extra = 1


@admin.register(PlanElement)
class PlanElementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "area", "kind"]
    list_filter = ["plan", "kind"]
    exclude = ["plan"]
    inlines = [PlanActivityInline, PlanIndicatorInline]
    autocomplete_fields = ["initiatives"]

    def save_model(self, request, obj, form, change):
        obj.plan_id = obj.area.plan_id
        super().save_model(request, obj, form, change)


@admin.register(Crosswalk)
class CrosswalkAdmin(admin.ModelAdmin):
    list_display = ["__str__", "relation"]
    list_filter = ["relation", "source_area__plan", "target_area__plan"]
    raw_id_fields = ["source_area", "source_element", "target_area", "target_element"]


@admin.register(QuestionPlanLink)
class QuestionPlanLinkAdmin(admin.ModelAdmin):
    """The questions of the national reports that speak about a part of a plan (loaded from
    ``data/questionnaires/plan-links-*.json``; links added here have no source file and are kept)."""

    list_display = ["__str__", "plan_area", "plan_element", "source"]
    list_filter = ["question__questionnaire", "plan_area__plan"]
    raw_id_fields = ["question", "plan_area", "plan_element"]


@admin.register(CycleReminder)
class CycleReminderAdmin(admin.ModelAdmin):
    """The deadline reminders sent (read-only: the record that keeps a reminder from going twice)."""

    list_display = ["cycle", "country", "organization", "days_before", "sent_at"]
    list_filter = ["cycle", "days_before"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["key", "title", "position"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["key", "version", "__str__", "kind", "plan", "is_demo"]
    list_filter = ["kind", "is_demo"]
    inlines = [SectionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "number", "type", "mandatory", "questionnaire", "section"]
    list_filter = ["questionnaire", "type", "mandatory"]
    search_fields = ["key", "number"]
    raw_id_fields = ["section", "parent", "plan_area", "plan_element", "plan_indicator"]


@admin.register(ReportingCycle)
class ReportingCycleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "questionnaire", "deadline", "respondents", "reminder_days", "is_demo"]
    list_filter = ["respondents", "is_demo"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: submissions change through their pages, so that each change has its version."""

    list_display = ["__str__", "cycle", "status", "received_at", "is_late"]
    list_filter = ["status", "is_late", "cycle"]
    search_fields = ["sort_title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SynthesisReport)
class SynthesisReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "format", "language", "state", "progress", "created_at"]
    list_filter = ["state", "format"]
