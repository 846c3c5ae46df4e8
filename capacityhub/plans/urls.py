from django.urls import path

from capacityhub.core.registry import registry
from capacityhub.core.routing import record_urls

from .views import cycles, plans, questionnaires, submissions

app_name = "plans"
urlpatterns = [
    path("plans/", plans.PlanListView.as_view(), name="plan_list"),
    path("plans/import/", plans.PlanImportView.as_view(), name="plan_import"),
    path("plans/questionnaires/", questionnaires.QuestionnaireListView.as_view(), name="questionnaire_list"),
    path("plans/questionnaires/<int:pk>/", questionnaires.QuestionnaireView.as_view(), name="questionnaire"),
    path(
        "plans/questionnaires/<int:pk>/export.json",
        questionnaires.questionnaire_export,
        name="questionnaire_export",
    ),
    path("plans/cycles/", cycles.CycleListView.as_view(), name="cycle_list"),
    path("plans/cycles/add/", cycles.CycleEditView.as_view(), name="cycle_add"),
    path("plans/cycles/<int:pk>/", cycles.CycleView.as_view(), name="cycle"),
    path("plans/cycles/<int:pk>/edit/", cycles.CycleEditView.as_view(), name="cycle_edit"),
    path("plans/cycles/<int:pk>/analysis/", cycles.AnalysisView.as_view(), name="cycle_analysis"),
    path("plans/cycles/<int:pk>/analysis.xlsx", cycles.analysis_xlsx, name="cycle_analysis_xlsx"),
    path("plans/cycles/<int:pk>/synthesis/", cycles.SynthesisView.as_view(), name="cycle_synthesis"),
    path(
        "plans/cycles/<int:pk>/synthesis/build/",
        cycles.SynthesisBuildView.as_view(),
        name="cycle_synthesis_build",
    ),
    path("plans/reports/<int:pk>/", cycles.ReportView.as_view(), name="report"),
    path("plans/reports/<int:pk>/download/", cycles.report_download, name="report_download"),
    path(
        "submissions/<int:pk>/answers/",
        submissions.SubmissionAnswersView.as_view(record_type=registry["submission"]),
        name="submission_answers",
    ),
    path(
        "submissions/<int:pk>/check/",
        submissions.SubmissionCheckView.as_view(record_type=registry["submission"]),
        name="submission_check",
    ),
    *record_urls(
        registry["submission"],
        detail=submissions.SubmissionDetailView,
        edit=submissions.SubmissionEditView,
    ),
    path("plans/<slug:key>/", plans.PlanView.as_view(), name="plan"),
    path("plans/<slug:key>/export.json", plans.plan_export, name="plan_export"),
    path("plans/<slug:key>/crosswalk/<slug:other>/", plans.CrosswalkView.as_view(), name="crosswalk"),
    path(
        "plans/<slug:key>/crosswalk/<slug:other>/export.json", plans.crosswalk_export, name="crosswalk_export"
    ),
    path("plans/<slug:key>/questionnaire/", plans.PlanQuestionnaireView.as_view(), name="plan_questionnaire"),
    path("plans/<slug:key>/<str:number>/", plans.PlanUnitView.as_view(), name="plan_unit"),
    path(
        "plans/<slug:key>/<str:number>/initiatives/", plans.PlanUnitLinkView.as_view(), name="plan_unit_link"
    ),
]
