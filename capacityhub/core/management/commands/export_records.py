"""``manage.py export_records TYPE --format csv|xlsx|json [--layout long] [--output FILE] [--filter K=V]``"""

import sys

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from capacityhub.core import exports
from capacityhub.core.registry import registry


class Command(BaseCommand):
    help = (
        "Export the records of one type, as a list page would, in CSV, XLSX or JSON. As an anonymous user "
        "(published records, no e-mail addresses) unless --all exports every record as the system."
    )

    def add_arguments(self, parser):
        parser.add_argument("type", choices=[rt.key for rt in registry], help="Record type, e.g. initiative.")
        parser.add_argument("--format", choices=exports.FORMATS, default="csv")
        parser.add_argument("--layout", choices=exports.LAYOUTS, default="wide")
        parser.add_argument("--output", help="File to write; standard output when left out (not for XLSX).")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="A filter of the list page, e.g. --filter country=KE --filter area=risk-assessment.",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the labels.",
        )
        parser.add_argument("--all", action="store_true", help="Every record, drafts included (the system).")

    def handle(self, *args, **options):
        record_type = registry[options["type"]]
        params = QueryDict(mutable=True)
        for item in options["filter"]:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise CommandError("--filter takes KEY=VALUE, not {}".format(item))
            params.appendlist(key.strip(), value.strip())
        if options["format"] == "xlsx" and not options["output"]:
            raise CommandError("XLSX needs --output FILE.")
        user = None if options["all"] else AnonymousUser()
        kwargs = {
            "user": user,
            "format": options["format"],
            "layout": options["layout"],
            "language": options["language"],
        }
        try:
            if options["output"]:
                with open(options["output"], "wb") as output:
                    exports.write(record_type, params, output, **kwargs)
            else:
                exports.write(record_type, params, _Output(self.stdout), **kwargs)
        except exports.ExportError as error:
            raise CommandError(str(error)) from error


class _Output:
    """Bytes to the command's standard output (a terminal, a pipe or a test's StringIO)."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.buffer = getattr(stdout._out, "buffer", None) if stdout._out is sys.stdout else None

    def write(self, data):
        if self.buffer is not None:
            self.buffer.write(data)
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
