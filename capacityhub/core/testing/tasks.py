"""Running the real database task worker inside a test."""

from unittest import mock

from django.core.management import call_command


def run_task_worker():
    """Run ``manage.py db_worker`` until the queue is empty, as ``make run``'s worker would.

    The worker calls ``close_old_connections()`` between tasks. Inside a test's transaction (autocommit off)
    Django counts the connection as unusable and closes it — on PostgreSQL that would end the test's
    transaction — so that one call is made a no-op here; everything else the worker does is real."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
