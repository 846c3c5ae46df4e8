"""``manage.py import_records TYPE [--format csv|xlsx|json] [--dry-run] [--user NAME] FILE``"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from capacityhub.core import exports
from capacityhub.core.registry import registry
from capacityhub.interop.imports import import_records


class Command(BaseCommand):
    help = (
        "Import records of one type from a CSV, XLSX or JSON file in the layout of the exports. Nothing is "
        "written unless every row is valid; the errors are printed per row and the command exits with 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("type", choices=[rt.key for rt in registry], help="Record type, e.g. initiative.")
        parser.add_argument("file")
        parser.add_argument(
            "--format", choices=exports.FORMATS, help="Recognized from the file when left out."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )
        parser.add_argument(
            "--user", help="Import as this user, through the permission gate (default: the system)."
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the messages.",
        )

    def handle(self, *args, **options):
        record_type = registry[options["type"]]
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError("No user {}.".format(options["user"]))
        try:
            handle = open(options["file"], "rb")  # noqa: SIM115
        except OSError as error:
            raise CommandError(str(error)) from error
        with handle, translation.override(options["language"]):
            result = import_records(
                record_type=record_type,
                fileobj=handle,
                name=options["file"],
                format=options["format"],
                actor=actor,
                dry_run=options["dry_run"],
                progress=ProgressBar(self.stderr),
            )
            self.stderr.write("")
            for notice in result.notices:
                self.stderr.write(notice)
            for error in result.errors:
                where = "row {}".format(error["row"]) if error["row"] else "file"
                column = ", column {}".format(error["column"]) if error["column"] else ""
                self.stderr.write("{}{}: {}".format(where, column, error["message"]))
        if not result.valid:
            raise CommandError(
                "The file is not valid: {} errors; nothing was written.".format(result.error_count)
            )
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            "{} rows: {} records {} created, {} updated; {} rows unchanged.".format(
                result.total, result.created, verb, result.updated, result.unchanged
            )
        )


class ProgressBar:
    """``[#########...........]  45%  450/1000 rows`` on one line of standard error."""

    width = 30

    def __init__(self, stream):
        self.stream, self.shown = stream, -1

    def __call__(self, done, total):
        percent = 100 * done // total if total else 100
        if percent == self.shown:
            return
        self.shown = percent
        filled = self.width * percent // 100
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write("\r[{}] {:3d}%  {}/{} rows".format(bar, percent, done, total), ending="")
        self.stream.flush()
