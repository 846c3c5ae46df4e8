"""Writes of the interoperability layer: IATI and BCH imports, the mapping rules. Each import runs in one
transaction: a file is imported whole or not at all, and a dry run is a full import rolled back."""

import gc
import logging
from contextlib import contextmanager

from django.db import DatabaseError, transaction
from django.utils.translation import gettext_lazy as _

from .reports import FileReport

logger = logging.getLogger(__name__)


def _guarded(report, work):
    """Run ``work()`` in a transaction, rolled back if the file has an error or for a dry run. A refusal of
    the database (which the validation should have prevented) becomes an error of the report, not a crash."""
    try:
        with transaction.atomic():
            work()
            if not report.valid or report.dry_run:
                transaction.set_rollback(True)
    except DatabaseError as error:
        logger.exception("Import of %s refused by the database", report.file)
        report.error(
            "IATI-DB" if report.kind != "bch" else "BCH-DB",
            _("The database refused the data ({error}); nothing was written.").format(error=error),
        )
    if not report.valid:  # nothing was written: counts of a partial run would mislead
        report.created = report.updated = report.unchanged = report.organizations_created = 0
    return report


@contextmanager
def _objects_of_the_process_frozen():
    """An import allocates millions of short-lived objects, and each time enough have been allocated the
    cyclic garbage collector scans the older generations, which hold every object of the process (Django,
    its apps, the lookups of the import). Objects alive before the import are frozen (never scanned) until
    it ends; the import's own garbage is still collected. About a tenth of the import's time."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def iati_file_import(*, source, name, actor=None, dry_run=False, comment=""):
    """Import an IATI activity or organisation file (a path or a binary file object) as ``actor`` (``None``:
    the system, e.g. the command line). Returns the :class:`~capacityhub.interop.reports.FileReport`."""
    from .iati.importer import IatiImport

    report = FileReport(file=name, dry_run=dry_run)
    with _objects_of_the_process_frozen():
        return _guarded(report, lambda: IatiImport(report=report, actor=actor, comment=comment).run(source))


def bch_file_import(*, data, name, actor=None, dry_run=False):
    """Import BCH capacity-building initiative documents (the parsed JSON array) as ``actor``."""
    from .bch import BchImport

    report = FileReport(file=name, dry_run=dry_run, kind="bch")
    return _guarded(report, lambda: BchImport(report=report, actor=actor).run(data))


@transaction.atomic
def mapping_rules_load(*, actor=None):
    """Add the IATI mapping rules of ``data/iati-mapping.json`` missing from the database. Rules already
    there, edited by the Secretariat or not, are left alone. Returns the number added."""
    from .iati.mapping import seed_rules
    from .models import MappingRule

    return seed_rules(MappingRule)
