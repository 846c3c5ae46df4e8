"""Periodic jobs without cron: the daily digests, the deadline reminders of reporting cycles, the nightly
coordination analysis and the monthly quality reminders.

Each job runs as the :func:`run_job` background task which, when done, enqueues the job's next run with
``run_after`` (the database task backend defers it; the worker picks it up when it is due). ``manage.py
schedule_jobs`` makes sure every job has exactly one pending run; ``make run`` calls it before starting the
worker, so a fresh machine runs its periodic jobs out of the box. Cron calling the jobs' own commands remains
an alternative for deployments that prefer it (docs/admin-guide.md)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import default_task_backend, task


@dataclass(frozen=True)
class Job:
    name: str
    task_path: str  # the django-tasks task that does the work
    at: datetime.time  # time of day (server time zone)
    monthly: bool = False  # on the first day of each month instead of every day
    site_url: bool = False  # pass base_url= the site's address (for links in e-mails)

    def next_run(self, now):
        """The first time strictly after ``now`` at which this job is due."""
        now = timezone.localtime(now)
        candidate = now.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
        if self.monthly:
            candidate = candidate.replace(day=1)
            while candidate <= now:
                candidate = (candidate + datetime.timedelta(days=32)).replace(day=1)
        elif candidate <= now:
            candidate += datetime.timedelta(days=1)
        return candidate


JOBS = {
    job.name: job
    for job in (
        Job("digests", "capacityhub.notifications.tasks.send_digests_task", datetime.time(6, 0)),
        Job(
            "cycle-reminders",
            "capacityhub.plans.tasks.send_cycle_reminders_task",
            datetime.time(7, 0),
            site_url=True,
        ),
        Job(
            "coordination-analysis",
            "capacityhub.coordination.tasks.analyze_coordination",
            datetime.time(2, 0),
        ),
        Job(
            "quality-reminders",
            "capacityhub.coordination.tasks.send_quality_reminders",
            datetime.time(8, 0),
            monthly=True,
            site_url=True,
        ),
    )
}


def site_url():
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def can_schedule():
    """Whether the configured task backend can defer a task to a later time (the database backend can; the
    immediate backend used by the tests cannot)."""
    return default_task_backend.supports_defer


def enqueue_next(name, now=None):
    job = JOBS[name]
    return run_job.using(run_after=job.next_run(now or timezone.now())).enqueue(name)


@task()
def run_job(name):
    """Run the periodic job ``name`` now, then enqueue its next run. The next run is enqueued even when
    the job fails, so one bad night does not stop the schedule (the failure stays in the task results)."""
    job = JOBS[name]
    work = import_string(job.task_path)
    try:
        result = work.call(base_url=site_url()) if job.site_url else work.call()
    finally:
        if can_schedule():
            enqueue_next(name)
    return {"job": name, "result": result}


def pending_runs():
    """``{job name: [run_after, ...]}`` of the runs waiting in the database task queue."""
    from django_tasks_db.models import DBTaskResult

    pending = {}
    rows = DBTaskResult.objects.filter(task_path=run_job.module_path, status__in=["READY", "RUNNING"])
    for args_kwargs, run_after in rows.values_list("args_kwargs", "run_after"):
        args = (args_kwargs or {}).get("args") or []
        if args:
            pending.setdefault(args[0], []).append(run_after)
    return pending


def ensure_scheduled(now=None):
    """Enqueue the next run of every job that has none pending; returns ``{name: run_after}`` of those
    enqueued (an empty dict when every job was already scheduled)."""
    pending = pending_runs()
    enqueued = {}
    for name, job in JOBS.items():
        if name not in pending:
            enqueue_next(name, now)
            enqueued[name] = job.next_run(now or timezone.now())
    return enqueued
