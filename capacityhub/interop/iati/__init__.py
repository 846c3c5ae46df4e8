"""IATI 2.0x import and export."""
