"""``manage.py export_iati [--output FILE]``: the published initiatives as an IATI 2.03 activity file."""

import sys

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand

from capacityhub.core import permissions
from capacityhub.interop.iati.exporter import write_activities_xml
from capacityhub.registry.models import Initiative


class Command(BaseCommand):
    help = "Write the published initiatives as IATI 2.03 activity XML (valid against the IATI schema)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", metavar="FILE", help="File to write (default: standard output)."
        )

    def handle(self, *args, **options):
        queryset = permissions.restrict(Initiative.objects.all(), AnonymousUser(), permissions.VIEW)
        if options["output"]:
            with open(options["output"], "wb") as output:
                count = write_activities_xml(queryset, output)
            self.stderr.write("{} activities written to {}.".format(count, options["output"]))
        else:
            write_activities_xml(queryset, sys.stdout.buffer)
