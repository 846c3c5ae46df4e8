"""Periodic jobs run by the task worker without cron: queued once, run when due, queued again."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from capacityhub.core import schedule
from capacityhub.core.testing.factories import country, make_record
from capacityhub.core.testing.tasks import run_task_worker
from capacityhub.notifications import services

pytestmark = pytest.mark.django_db
DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def at(y, m, d, hh, mm=0):
    return timezone.make_aware(datetime.datetime(y, m, d, hh, mm))


def test_next_run_daily_and_monthly():
    digests, quality = schedule.JOBS["digests"], schedule.JOBS["quality-reminders"]
    assert digests.next_run(at(2026, 11, 23, 5, 59)) == at(2026, 11, 23, 6)
    assert digests.next_run(at(2026, 11, 23, 6)) == at(2026, 11, 24, 6)  # strictly after
    assert digests.next_run(at(2026, 12, 31, 23)) == at(2027, 1, 1, 6)
    assert quality.next_run(at(2026, 11, 23, 9)) == at(2026, 12, 1, 8)
    assert quality.next_run(at(2026, 12, 1, 7)) == at(2026, 12, 1, 8)
    assert quality.next_run(at(2026, 12, 1, 8)) == at(2027, 1, 1, 8)


def test_the_immediate_backend_cannot_schedule():
    with pytest.raises(CommandError, match="cannot defer"):
        call_command("schedule_jobs", stdout=StringIO())


def test_jobs_are_queued_once(settings):
    settings.TASKS = DB_BACKEND
    out = StringIO()
    call_command("schedule_jobs", stdout=out)
    assert sorted(schedule.pending_runs()) == sorted(schedule.JOBS)
    assert out.getvalue().count("queued ") == len(schedule.JOBS)
    out = StringIO()
    call_command("schedule_jobs", stdout=out)  # idempotent: make run calls it at every start
    assert "queued " not in out.getvalue()
    assert all(len(runs) == 1 for runs in schedule.pending_runs().values())
    assert all(when > timezone.now() for runs in schedule.pending_runs().values() for when in runs)


def test_a_due_job_runs_in_the_worker_and_queues_its_next_run(roles, settings):
    settings.TASKS = DB_BACKEND
    from django_tasks_db.models import DBTaskResult

    follow = services.follow_create(target=country("KE"), actor=roles.registered)
    earlier = timezone.now() - datetime.timedelta(minutes=1)
    type(follow).objects.filter(pk=follow.pk).update(created_at=earlier)
    make_record("need", country=roles.country_a, title="Need in the scheduled digest")
    schedule.ensure_scheduled()
    due = DBTaskResult.objects.filter(task_path=schedule.run_job.module_path, args_kwargs__args=["digests"])
    due.update(run_after=timezone.now() - datetime.timedelta(seconds=1))
    run_task_worker()
    assert len(mail.outbox) == 1 and "Need in the scheduled digest" in mail.outbox[0].body
    done = DBTaskResult.objects.get(task_path=schedule.run_job.module_path, status="SUCCESSFUL")
    assert done.return_value["job"] == "digests"
    runs = schedule.pending_runs()["digests"]
    assert len(runs) == 1 and runs[0] == schedule.JOBS["digests"].next_run(timezone.now())
    # The other jobs were not due: they still wait.
    assert sorted(schedule.pending_runs()) == sorted(schedule.JOBS)
