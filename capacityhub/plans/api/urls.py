"""The plans app's API routes, to be included at ``/api/``: ``plans/``, ``questionnaires/``, ``cycles/`` and
``submissions/`` (the last is also what the project's record-type router registers for the ``submission``
record type, with the same ViewSet)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.include_format_suffixes = False
router.register("plans", views.PlanViewSet, basename="plan")
router.register("questionnaires", views.QuestionnaireViewSet, basename="questionnaire")
router.register("cycles", views.CycleViewSet, basename="cycle")
router.register("submissions", views.SubmissionViewSet, basename="submission")

urlpatterns = router.urls
