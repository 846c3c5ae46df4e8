"""``manage.py import_iati [--dry-run] [--report json] FILE...``: import IATI 2.0x activity or organisation
files. Each file is imported whole or not at all; the command exits 0 only when every file is valid."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from capacityhub.interop.services import iati_file_import


class Command(BaseCommand):
    help = (
        "Import IATI 2.01-2.03 activity files (biosafety capacity-building activities become initiatives) "
        "or organisation files. Validated against the IATI schema, then its codelists and rules; a file with "
        "an error is not imported at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="Check and count; write nothing.")
        parser.add_argument("--report", choices=["text", "json"], default="text", help="Output format.")

    def handle(self, *args, **options):
        reports = []
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                from capacityhub.interop.reports import FileReport

                report = FileReport(file=name, dry_run=options["dry_run"])
                report.error("IATI-FILE", "No such file: {}".format(name))
            else:
                with path.open("rb") as handle:
                    report = iati_file_import(source=handle, name=name, dry_run=options["dry_run"])
            reports.append(report)
            if options["report"] == "text":
                self._print(report)
        if options["report"] == "json":
            self.stdout.write(
                json.dumps([report.as_dict() for report in reports], ensure_ascii=False, indent=1)
            )
        if not all(report.valid for report in reports):
            sys.exit(1)

    def _print(self, report):
        state = "valid" if report.valid else "INVALID"
        if report.valid and not report.dry_run:
            state += ", imported"
        elif report.dry_run:
            state += ", dry run: nothing written"
        else:
            state += ": nothing written"
        self.stdout.write(
            "{} ({} {}): {}".format(report.file, report.kind or "?", report.version or "?", state)
        )
        self.stdout.write(
            "  {r.activities} records, {r.in_scope} biosafety capacity-building, {r.skipped} skipped; "
            "{r.created} created, {r.updated} updated, {r.unchanged} unchanged; "
            "{r.organizations_created} organizations created".format(r=report)
        )
        for problem in report.errors:
            self.stdout.write(
                "  ERROR {p.rule} [{p.activity}] {p.element} (line {p.line}): {p.message}".format(p=problem)
            )
        if report.error_count > len(report.errors):
            self.stdout.write("  … {} more errors".format(report.error_count - len(report.errors)))
        for problem in report.warnings[:50]:
            self.stdout.write("  warning {p.rule} [{p.activity}] {p.element}: {p.message}".format(p=problem))
        if report.warning_count > 50:
            self.stdout.write("  … {} more warnings".format(report.warning_count - 50))
