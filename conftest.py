"""Shared pytest fixtures: the reference data loaded once per test database, users for every role."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the shipped reference data (countries, regions, vocabularies)."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture
def roles(db):
    from capacityhub.core.testing.factories import RoleSet

    return RoleSet.create()
