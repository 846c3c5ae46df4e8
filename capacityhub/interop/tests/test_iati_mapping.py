"""The IATI mapping rules: seeded from data, consistent with the codelists and the vocabulary, and the
keyword matching (case, accents, word starts, scripts without spaces)."""

import pytest

from capacityhub.interop.iati import codelists
from capacityhub.interop.iati.activity import Activity
from capacityhub.interop.iati.mapping import ActivityMapping, load_seed, normalize, seed_rules
from capacityhub.interop.models import MappingRule
from capacityhub.reference.models import Term

CODELISTS = {("sector", "1"): "Sector", ("policy-marker", "1"): "PolicyMarker"}


def test_the_seed_refers_to_real_codes_and_areas(db):
    areas = set(Term.objects.filter(vocabulary__code="thematic-areas").values_list("code", flat=True))
    for rule in load_seed():
        assert set(rule["areas"]) <= areas, rule
        if rule["kind"] in ("sector", "policy-marker"):
            assert rule["code"] in codelists.codes(CODELISTS[(rule["kind"], rule["vocabulary"])]), rule
        assert rule["selects"] or rule["areas"], rule


def test_the_seed_is_loaded_by_the_migration_and_loading_again_changes_nothing(db):
    count = MappingRule.objects.count()
    assert count == len({(r["kind"], r["vocabulary"], r["code"]) for r in load_seed()})
    MappingRule.objects.filter(code="biosafety").update(selects=False)  # an edit of the Secretariat
    assert seed_rules(MappingRule) == 0
    assert MappingRule.objects.count() == count and not MappingRule.objects.get(code="biosafety").selects


def text_activity(text, **fields):
    activity = Activity(index=1, line=1, title=[("en", text)], **fields)
    return activity


@pytest.fixture
def mapping(db):
    return ActivityMapping.from_database()


@pytest.mark.parametrize(
    "text, selected",
    [
        ("BIOSAFETY regulations", True),
        ("Cadre national de biosécurité", True),
        ("prévention des risques biotechnologiques", True),
        ("Detección de OVMs en aduanas", True),
        ("LMOs in maize", True),
        ("Salmon farming", False),  # "lmo" inside a word
        ("Biodiversity and climate", False),
        ("转基因生物检测", True),
        ("تعزيز السلامة الأحيائية", True),
        ("Система биобезопасности", True),
    ],
)
def test_keywords(mapping, text, selected):
    assert mapping.match(text_activity(text)).selected is selected


def test_areas_come_from_every_matching_rule_and_default_otherwise(mapping):
    match = mapping.match(text_activity("Biosafety clearing-house and risk assessment"))
    assert {"information-exchange", "risk-assessment"} <= match.areas
    assert mapping.match(text_activity("Biosafety")).areas == {"other"}


def test_policy_markers_need_their_significance(mapping):
    targeted = text_activity("Biosafety", policy_markers=[("policy-marker", "5", "1", "2")])
    not_targeted = text_activity("Biosafety", policy_markers=[("policy-marker", "5", "1", "0")])
    assert "mainstreaming" in mapping.match(targeted).areas
    assert "mainstreaming" not in mapping.match(not_targeted).areas


def test_normalize():
    assert normalize("Biosécurité  et OGM—socio-économique") == "biosecurite et ogm socio economique"
