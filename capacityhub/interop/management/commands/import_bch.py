"""``manage.py import_bch [--dry-run] [--report json] FILE``: import BCH capacity-building initiative
documents (a JSON array; organization and contact documents it refers to may be in the same array)."""

import json
import sys

from django.core.management.base import BaseCommand

from capacityhub.interop.reports import FileReport
from capacityhub.interop.services import bch_file_import

MAX_BYTES = 200 * 1024 * 1024


class Command(BaseCommand):
    help = "Import BCH capacity-building initiatives (JSON). A file with an error is not imported at all."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="Check and count; write nothing.")
        parser.add_argument("--report", choices=["text", "json"], default="text", help="Output format.")

    def handle(self, *args, **options):
        name = options["file"]
        try:
            with open(name, "rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
            if len(raw) > MAX_BYTES:
                raise ValueError("the file is larger than {} MB".format(MAX_BYTES // 1024 // 1024))
            data = json.loads(raw.decode("utf-8-sig"))
        except (OSError, ValueError) as error:
            report = FileReport(file=name, kind="bch", dry_run=options["dry_run"])
            report.error("BCH-JSON", "The file cannot be read as JSON: {}".format(error))
        else:
            report = bch_file_import(data=data, name=name, dry_run=options["dry_run"])
        if options["report"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        else:
            state = "valid" if report.valid else "INVALID: nothing written"
            if report.valid:
                state += ", dry run: nothing written" if report.dry_run else ", imported"
            self.stdout.write("{}: {}".format(name, state))
            self.stdout.write(
                "  {r.activities} documents, {r.in_scope} initiatives: {r.created} created, "
                "{r.updated} updated, {r.unchanged} unchanged; "
                "{r.organizations_created} organizations created".format(r=report)
            )
            for problem in report.errors:
                self.stdout.write(
                    "  ERROR {p.rule} [{p.activity}] {p.element}: {p.message}".format(p=problem)
                )
        if not report.valid:
            sys.exit(1)
