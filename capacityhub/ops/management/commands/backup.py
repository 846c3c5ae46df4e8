"""``manage.py backup --output FILE``: the whole platform (records, files, users, history) in one archive."""

import time

from django.core.management.base import BaseCommand, CommandError

from capacityhub.ops.backup import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Write a backup of the whole platform to one ZIP archive: every table (records, users with their "
        "password hashes, roles and tokens, history), the uploaded files and a manifest with checksums and "
        "the schema state. Safe while the platform runs: the tables are read in one snapshot."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", required=True, help="Path of the archive to write (e.g. backup.zip)."
        )
        parser.add_argument("--database", default="default", help="Database alias (default: %(default)s).")

    def handle(self, *args, output, database, verbosity, **options):
        started = time.monotonic()

        def progress(label, rows):
            if verbosity >= 2:
                self.stdout.write("  {:>9}  {}".format(rows, label))

        try:
            manifest = write_backup(output, using=database, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(t["rows"] for t in manifest["tables"])
        self.stdout.write(
            self.style.SUCCESS(
                "Backup written to {}: {} rows in {} tables, {} files, in {:.1f} s.".format(
                    output, rows, len(manifest["tables"]), len(manifest["media"]), time.monotonic() - started
                )
            )
        )
