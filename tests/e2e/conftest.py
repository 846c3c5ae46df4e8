"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser). The fixtures
(``browser``, ``page``, ``reference_data``) are in tests/conftest.py, shared with the accessibility tests."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
