"""The IATI schema test suite (IATI-Schemas, version-2.03 branch, ``tests/**/should-pass|should-fail``),
run through the import's own validation: every should-pass file is accepted, every should-fail file is
refused with an error that names the problem. One test per file."""

import re
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import translation

from capacityhub.interop.services import iati_file_import

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "iati-conformance"
FILES = sorted(
    path
    for path in FIXTURES.rglob("*")
    if path.is_file() and path.suffix != ".txt" and path.name != "LICENSE"
)
SHOULD_PASS = [path for path in FILES if "should-pass" in path.parts]
SHOULD_FAIL = [path for path in FILES if "should-fail" in path.parts]
NAMED = re.compile(r"Element '[^']+'")
ROOT = re.compile(r"root element is <[\w:-]+>")


def name(path):
    return str(path.relative_to(FIXTURES))


def check(path):
    # The assertions read our English messages: never the language another test left active.
    with path.open("rb") as handle, translation.override("en"):
        return iati_file_import(source=handle, name=name(path), dry_run=True)


@pytest.fixture(scope="module")
def database(django_db_setup, django_db_blocker):
    """One transaction for the module, rolled back at its end (each import is a dry run anyway): ~700 tests
    without the cost of a transaction each."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def test_the_whole_suite_is_there():
    assert len(SHOULD_PASS) == 233
    assert len(SHOULD_FAIL) == 454


@pytest.mark.parametrize("path", SHOULD_PASS, ids=name)
def test_should_pass_file_is_accepted(database, path):
    report = check(path)
    assert report.valid, [problem.as_dict() for problem in report.errors]
    assert report.kind in ("activities", "organisations")
    assert report.activities >= 1


@pytest.mark.parametrize("path", SHOULD_FAIL, ids=name)
def test_should_fail_file_is_refused_with_an_error_naming_the_problem(database, path):
    report = check(path)
    assert not report.valid
    problem = report.errors[0]
    assert problem.rule in ("IATI-XSD", "IATI-XML-MALFORMED", "IATI-XML-ROOT")
    if problem.rule == "IATI-XSD":
        # libxml2 names the element (and the attribute) at fault; we add where it is.
        assert NAMED.search(str(problem.message)), problem.message
        assert problem.element.startswith("/iati-") and problem.line
    elif problem.rule == "IATI-XML-ROOT":
        assert ROOT.search(str(problem.message)), problem.message
    else:
        assert problem.line and "line {}".format(problem.line) in str(problem.message)
    assert report.created == report.updated == 0
