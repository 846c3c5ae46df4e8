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


@task()
def send_cycle_reminders_task(base_url=""):
    """The deadline reminders of the reporting cycles (see :mod:`capacityhub.plans.reminders`); run once a
    day, from cron (``manage.py send_cycle_reminders``) or by enqueuing this task from a scheduler."""
    from .reminders import send_cycle_reminders

    return len(send_cycle_reminders(base_url=base_url))
