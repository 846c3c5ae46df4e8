"""Background tasks (django-tasks): daily digests and immediate alerts. ``make run`` runs the worker
(``manage.py db_worker``); tests run them immediately."""

from django.db import transaction
from django_tasks import task

from .choices import Frequency
from .services import send_all


@task()
def send_digests_task():
    """The daily digest of every subscriber (run once a day: ``manage.py send_digests`` from cron, or this
    task from a scheduler)."""
    users, items = send_all(Frequency.DAILY)
    return {"users": users, "items": items}


@task()
def send_alerts_task():
    """Immediate alerts: enqueued after something was published."""
    users, items = send_all(Frequency.IMMEDIATE)
    return {"users": users, "items": items}


def schedule_alerts():
    """Enqueue the immediate alerts once the current transaction commits — once per transaction, however
    many records it publishes (a pending callback is reused unless a rollback discarded it)."""
    connection = transaction.get_connection()
    pending = getattr(connection, "_capacityhub_alerts", None)
    if pending is not None and connection.in_atomic_block:
        try:
            if any(entry[1] is pending for entry in connection.run_on_commit):
                return
        except (AttributeError, IndexError, TypeError):  # pragma: no cover - Django internals changed
            pass

    def enqueue():
        if getattr(connection, "_capacityhub_alerts", None) is enqueue:
            connection._capacityhub_alerts = None
        send_alerts_task.enqueue()

    connection._capacityhub_alerts = enqueue
    transaction.on_commit(enqueue)
