"""Background tasks of the interoperability layer (django-tasks; the database worker runs them)."""

from django_tasks import task


@task()
def run_import_job(job_id):
    """Import (or check, for a dry run) the file of an :class:`~capacityhub.interop.models.ImportJob`."""
    from .imports import import_job_run

    import_job_run(job_id=job_id)
