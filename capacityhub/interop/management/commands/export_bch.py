"""``manage.py export_bch --output FILE``: the published initiatives as BCH capacity-building initiative
documents, with the organization and contact documents they refer to (a JSON array)."""

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand

from capacityhub.core import permissions
from capacityhub.interop.bch import write_bch
from capacityhub.registry.models import Initiative


class Command(BaseCommand):
    help = "Write the published initiatives in the BCH capacity-building initiative format (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", metavar="FILE", required=True, help="File to write.")

    def handle(self, *args, **options):
        queryset = permissions.restrict(Initiative.objects.all(), AnonymousUser(), permissions.VIEW)
        with open(options["output"], "w", encoding="utf-8") as output:
            count = write_bch(queryset, output)
        self.stderr.write("{} initiatives written to {}.".format(count, options["output"]))
