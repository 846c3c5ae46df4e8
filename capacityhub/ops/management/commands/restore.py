"""``manage.py restore FILE``: put a backup made by ``manage.py backup`` back, into an empty database."""

import time

from django.core.management.base import BaseCommand, CommandError

from capacityhub.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'manage.py backup' into this database: every table, with the original ids, "
        "and the uploaded files. The database must be migrated to the same schema state and empty (or "
        "--force, which replaces everything in it). The archive is checked entirely first; the restore is "
        "one transaction: on any error nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Path of the archive written by 'manage.py backup'.")
        parser.add_argument(
            "--force", action="store_true", help="Replace the contents of a database that is not empty."
        )
        parser.add_argument("--database", default="default", help="Database alias (default: %(default)s).")

    def handle(self, *args, archive, force, database, verbosity, **options):
        started = time.monotonic()

        def progress(label, rows):
            if verbosity >= 2:
                self.stdout.write("  {:>9}  {}".format(rows, label))

        try:
            counts = restore_backup(archive, force=force, using=database, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                "Restored {} rows in {} tables from {} in {:.1f} s.".format(
                    sum(counts.values()), len(counts), archive, time.monotonic() - started
                )
            )
        )
