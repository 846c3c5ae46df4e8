"""``manage.py send_digests``: send the daily digests now (run it once a day, e.g. from cron)."""

from django.core.management.base import BaseCommand

from capacityhub.notifications.choices import Frequency
from capacityhub.notifications.services import send_all
from capacityhub.notifications.tasks import send_alerts_task, send_digests_task


class Command(BaseCommand):
    help = (
        "Send the daily digest e-mails of saved searches and follows (never the same item twice). "
        "With --immediate, send the pending immediate alerts instead. With --enqueue, leave the work to "
        "the task worker (manage.py db_worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--immediate", action="store_true", help="Send pending immediate alerts.")
        parser.add_argument("--enqueue", action="store_true", help="Enqueue a background task instead.")

    def handle(self, *args, immediate, enqueue, **options):
        frequency = Frequency.IMMEDIATE if immediate else Frequency.DAILY
        if enqueue:
            result = (send_alerts_task if immediate else send_digests_task).enqueue()
            self.stdout.write("Enqueued task {}.".format(result.id))
            return
        users, items = send_all(frequency)
        self.stdout.write(self.style.SUCCESS("Sent {} items to {} users.".format(items, users)))
