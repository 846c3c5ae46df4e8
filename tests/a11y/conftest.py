"""Accessibility tests run in the same Chromium as the browser tests (fixtures in tests/conftest.py) and
carry their marker, ``e2e``."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "/a11y/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
