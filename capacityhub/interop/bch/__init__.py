"""BCH capacity-building initiative documents: import and export (JSON)."""

from .exporter import write_bch
from .importer import BchImport

__all__ = ["BchImport", "write_bch"]
