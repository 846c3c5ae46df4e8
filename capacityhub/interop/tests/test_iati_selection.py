"""Selection before reading: an activity that is not selected is read only as far as the mapping rules look
(``read_selection``) and judged by the selecting rules alone (``ActivityMapping.selects``). These tests check
that this gives exactly the decision of the full reading and the full match, and that every activity of the
file is still validated (schema, duplicate identifiers) whether it is imported or not."""

import random
import re
import unicodedata
from pathlib import Path

import pytest
from lxml import etree

from capacityhub.interop.iati.activity import read_activity, read_selection
from capacityhub.interop.iati.mapping import ActivityMapping, normalize
from capacityhub.interop.models import MappingRule
from capacityhub.registry.models import Initiative

from .iati_samples import activity, document, rules_of, run

FIXTURES = Path(__file__).resolve().parent / "fixtures"
pytestmark = pytest.mark.django_db

OTHER = {
    "title": "Rural electrification, phase 2",
    "sector": "23210",
}


def not_biosafety(**values):
    """A valid activity that no rule selects (the sample activity with its biosafety texts replaced)."""
    text = activity(**{**OTHER, **values})
    for old, new in (
        ("Risk assessment of LMOs and public awareness.", "Power lines and mini-grids."),
        ("Evaluación del riesgo de los OVM.", "Redes eléctricas."),
        ("Appui au cadre national de biosécurité", "Électrification rurale"),
        ("National Biosafety Authority of Kenya", "Rural Energy Agency"),
        ('<policy-marker vocabulary="1" code="5" significance="2"/>', ""),
    ):
        text = text.replace(old, new)
    return text


def activities_of(*paths):
    for path in paths:
        tree = etree.parse(str(path))
        for index, element in enumerate(tree.getroot().iter("iati-activity"), start=1):
            identifier = (element.findtext("iati-identifier") or "").strip()
            yield element, index, identifier


def sample_elements():
    variants = [
        activity(),
        not_biosafety(),
        not_biosafety(title="Détection des OGM aux frontières"),
        not_biosafety(title="Salmon farming"),
        not_biosafety(title="转基因生物检测"),
        not_biosafety(
            extra='<tag vocabulary="99" code="risk-assessment" vocabulary-uri='
            '"https://capacityhub.org/vocabularies/thematic-areas/"><narrative>x</narrative></tag>'
        ),
        not_biosafety(extra='<policy-marker vocabulary="1" code="5" significance="1"/>'),
        not_biosafety(extra='<policy-marker vocabulary="1" code="5" significance="3"/>'),
        not_biosafety(extra='<tag vocabulary="1" code="bio"><narrative>Bioseguridad</narrative></tag>'),
    ]
    root = etree.fromstring(document(*variants))
    elements = [(element, index, "") for index, element in enumerate(root, start=1)]
    elements += list(activities_of(FIXTURES / "iati-samples" / "activity-standard-example-annotated.xml"))
    elements += list(
        activities_of(*sorted((FIXTURES / "iati-conformance" / "should-pass").rglob("*.xml"))[:60])
    )
    return elements


def assert_same_decisions(mapping):
    decisions = []
    for element, index, identifier in sample_elements():
        full = mapping.match(read_activity(element, index, identifier)).selected
        assert mapping.selects(read_selection(element)) is full, etree.tostring(element)[:300]
        decisions.append(full)
    assert True in decisions and False in decisions


def test_selection_gives_the_decision_of_the_full_match():
    assert_same_decisions(ActivityMapping.from_database())


def test_selection_follows_rules_edited_by_the_secretariat():
    MappingRule.objects.filter(kind="sector", code="23210").delete()
    MappingRule.objects.create(kind="sector", vocabulary="1", code="23210", selects=True, areas=["other"])
    MappingRule.objects.filter(kind="policy-marker").update(selects=True, min_significance=2)
    MappingRule.objects.filter(kind="keyword", code="biosafety").update(selects=False)
    MappingRule.objects.create(kind="tag", vocabulary="1", code="bio", selects=True, areas=["other"])
    mapping = ActivityMapping.from_database()
    assert_same_decisions(mapping)
    assert mapping.selects(read_selection(etree.fromstring(not_biosafety())))
    MappingRule.objects.filter(selects=True).update(selects=False)
    mapping = ActivityMapping.from_database()
    assert not mapping.selects(read_selection(etree.fromstring(activity())))
    assert_same_decisions_or_none_selected(mapping)


def assert_same_decisions_or_none_selected(mapping):
    for element, index, identifier in sample_elements():
        full = mapping.match(read_activity(element, index, identifier)).selected
        assert mapping.selects(read_selection(element)) is full


_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_/]+")
_COMBINING = re.compile(r"[\u0300-\u036f]")


def reference_normalize(text):
    """The definition normalize() implements faster."""
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _SEPARATORS.sub(" ", text).casefold()


def test_normalize_equals_its_definition():
    alphabet = list("aZé-_/ \t\n\u00a0\u2010\u2013\u2015\u2016\u3000\u0301ßДж生\x1c\x85\u2028xY1,.")
    rnd = random.Random(1)
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        assert normalize(text) == reference_normalize(text), repr(text)
    for text in ("", " ", "  a  ", "-a-", "Biosécurité  et OGM—socio-économique", "LMO/GMO_detection"):
        assert normalize(text) == reference_normalize(text), repr(text)


def test_a_skipped_activity_reusing_an_identifier_refuses_the_file():
    report = run(document(activity(), not_biosafety(identifier="XM-DAC-41116-BS-1")))
    assert "IATI-ID-DUPLICATE" in rules_of(report)
    problem = next(p for p in report.errors if p.rule == "IATI-ID-DUPLICATE")
    assert problem.activity == "XM-DAC-41116-BS-1" and problem.line is not None
    assert (report.skipped, report.valid, Initiative.objects.count()) == (1, False, 0)


def test_a_skipped_activity_failing_the_schema_refuses_the_file():
    broken = not_biosafety(identifier="XM-DAC-41116-OTHER").replace(
        '<activity-status code="2"/>', "<activity-status/>"
    )
    report = run(document(activity(), broken))
    assert "IATI-XSD" in rules_of(report)
    assert not report.valid and Initiative.objects.count() == 0


def test_skipped_activities_among_imported_ones():
    others = [not_biosafety(identifier="XM-DAC-41116-OTHER-{}".format(n)) for n in range(5)]
    report = run(document(others[0], activity(), *others[1:], activity(identifier="XM-DAC-41116-BS-2")))
    assert (report.activities, report.in_scope, report.skipped, report.created) == (7, 2, 5, 2), report.errors
    assert set(Initiative.objects.values_list("iati_identifier", flat=True)) == {
        "XM-DAC-41116-BS-1",
        "XM-DAC-41116-BS-2",
    }
