"""Background tasks of the plans app (django-tasks: the database backend and its worker in production,
the immediate backend in tests)."""

from django_tasks import task


@task()
def build_synthesis_report(report_id):
    """Build the file of the :class:`~capacityhub.plans.models.SynthesisReport` ``report_id``."""
    from .documents import build_report
    from .models import SynthesisReport

    report = (
        SynthesisReport.objects.select_related("cycle", "cycle__questionnaire").filter(pk=report_id).first()
    )
    if report is None:
        return None
    report = build_report(report)
    return report.state
