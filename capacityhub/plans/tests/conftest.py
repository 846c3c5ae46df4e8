import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Pages and names in English, whatever an earlier test of the same worker left active."""
    with translation.override("en"):
        yield
