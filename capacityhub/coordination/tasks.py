"""Background tasks (django-tasks): the full re-analysis."""

from django_tasks import task


@task()
def analyze_coordination():
    """Recompute footprints, completeness and pairs of every initiative; returns the run's figures."""
    from .analysis import analyze_all
    from .coverage import bump_generation

    stats = analyze_all()
    bump_generation()
    return stats


@task()
def send_quality_reminders(base_url=""):
    """The periodic reminder e-mail to publishers (schedule it monthly, e.g. from cron with db_worker)."""
    from .reminders import send_quality_reminders as send

    return send(base_url=base_url)
