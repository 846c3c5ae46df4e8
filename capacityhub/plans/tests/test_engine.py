"""The questionnaire engine on the real thing: the fifth (and fourth) national report questionnaires as loaded
from the BCH data files — types, skip logic, server-side validation and the mandatory answers."""

import json
import random

import pytest
from django.core.management import call_command
from django.http import QueryDict

from capacityhub.plans import engine
from capacityhub.plans.models import Question, Questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def nr5():
    return Questionnaire.objects.get(key="cpb-nr5").definition()


def test_the_national_reports_are_loaded_with_their_types(nr5):
    nr4 = Questionnaire.objects.get(key="cpb-nr4")
    # 237 from the analyzer's file, and the header of the form (questions 1 to 6 and the contact person).
    assert len(nr5.questions) == 246 and len(nr4.definition().questions) == 220
    types = {q.type for q in nr5}
    assert types == {
        "single",
        "multiple",
        "terms",
        "number",
        "bucket",
        "text",
        "richtext",
        "group",
        "legend",
        "date",
    }
    assert nr5["Q012"].type == "bucket"  # 1 to 4 / 5 to 9 / 10 or more
    assert nr5["Q119"].type == "terms" and nr5["Q119"].vocabulary_code == "thematic-areas"
    assert nr5["Q119"].option("BB3CA716-E122-4445-9FAD-9F6B440363BD").term == "institutional-capacity"
    assert nr5["Q009"].option("true.some").input == "text"
    assert nr5["Q027"].option("3EFF4792-A896-4DC7-9945-04FE9C8B5B4F").input == "number"
    assert nr5["Q008"].option("instrument.none").exclusive
    assert nr5["Q025_a"].parent == "Q025" and nr5["Q025"].type == "group"
    assert nr5["Q010_adq"].hidden_when_disabled
    # The fifth report is compared with the fourth through the BCH analyzer's mapping of questions.
    questionnaire = Questionnaire.objects.get(key="cpb-nr5")
    assert questionnaire.previous.key == "cpb-nr4"
    assert questionnaire.previous_mapping["Q007"] == "Q014"


def test_loading_the_reference_data_again_changes_nothing():
    before = list(Question.objects.order_by("pk").values_list("pk", "key", "position", "enabled_when"))
    call_command("load_reference", verbosity=0)
    assert (
        list(Question.objects.order_by("pk").values_list("pk", "key", "position", "enabled_when")) == before
    )


def test_skip_logic_from_the_validations(nr5):
    # Q026 Yes enables Q027 (percentages), which enables Q027_a when "approval with conditions" is chosen.
    answers = {
        "Q026": "true",
        "Q027": ["3EFF4792-A896-4DC7-9945-04FE9C8B5B4F"],
        "Q027_a": "true",
        "Q026_adq": 4,
    }
    kept, _explanations, dropped = engine.apply_skip_logic(nr5, answers)
    assert kept == answers and dropped == []
    # Answering No to Q026 drops Q027 and, transitively, Q027_a; and the "how many" (visible when Yes).
    kept, _explanations, dropped = engine.apply_skip_logic(nr5, {**answers, "Q026": "false"})
    assert kept == {"Q026": "false"} and dropped == ["Q026_adq", "Q027", "Q027_a"]


def test_named_functions_enable_on_any_yes(nr5):
    # &is79Or80Or81: Q082 applies if any of 79, 80, 81 is Yes or Yes, to some extent.
    assert "Q082" not in engine.enabled_keys(nr5, {"Q079": "false", "Q080": "false", "Q081": "false"})
    assert "Q082" in engine.enabled_keys(nr5, {"Q079": "false", "Q080": "true.some", "Q081": "false"})
    # @hasValuesExcept: the adequacy of a count applies unless the count is "None".
    assert "Q070_a_adq" not in engine.enabled_keys(nr5, {"Q070_a": "0"})
    assert "Q070_a_adq" in engine.enabled_keys(nr5, {"Q070_a": "10+"})


def test_values_are_checked(nr5):
    answers, explanations, errors = engine.check_values(
        nr5,
        {
            "Q007": "implementation.nonsense",
            "Q008": ["instrument.none", "instrument.biosafetyGuidelines"],
            "Q026_adq": "twelve",
            "Q999": "true",
            "Q009": ["true", "false"],
            "Q051": "  Two regional agreements.  ",
        },
        {"Q009": {"true.some": "A little."}},
    )
    assert set(errors) == {"Q007", "Q008", "Q026_adq", "Q999", "Q009"}
    assert "Unknown option" in errors["Q007"][0]
    assert answers == {"Q051": "Two regional agreements."}
    assert explanations == {}  # the explanation belongs to an option that was not (validly) chosen


def test_explanations_and_figures(nr5):
    answers, explanations, errors = engine.check_values(
        nr5,
        {"Q009": "true.some", "Q027": ["3EFF4792-A896-4DC7-9945-04FE9C8B5B4F"]},
        {
            "Q009": {"true.some": "In the agriculture sector."},
            "Q027": {"3EFF4792-A896-4DC7-9945-04FE9C8B5B4F": "140"},
        },
    )
    assert errors == {"Q027": [errors["Q027"][0]]} and "between 0 and 100" in errors["Q027"][0]
    assert explanations == {"Q009": {"true.some": "In the agriculture sector."}}


def test_a_posted_form_is_read_without_javascript(nr5):
    data = QueryDict(mutable=True)
    data.update(
        {"q:Q007": "implementation.partiallyInPlace", "q:Q009": "true.some", "x:Q009:true.some": "Yes"}
    )
    data.setlist("q:Q008", ["instrument.nationalBiosafetyLaws", "instrument.biosafetyGuidelines"])
    keys = [q.key for q in nr5.section_questions("Article2")]
    answers, explanations, errors = engine.parse_form(nr5, data, keys)
    assert errors == {}
    assert answers["Q008"] == ["instrument.nationalBiosafetyLaws", "instrument.biosafetyGuidelines"]
    assert explanations == {"Q009": {"true.some": "Yes"}}
    assert "Q010" not in answers  # left empty: no answer


def test_missing_mandatory_answers_follow_the_skip_logic(nr5):
    missing = {q.key for q in engine.missing_answers(nr5, {})}
    assert {"Q007", "Q008", "Q009"} <= missing
    assert "Q012" not in missing  # only if Q011 is Yes
    missing = {q.key for q in engine.missing_answers(nr5, {"Q011": "true"})}
    assert "Q012" in missing


@pytest.mark.parametrize("seed", range(5))
def test_random_answers_are_valid_and_complete(nr5, seed):
    answers, explanations = engine.random_answers(nr5, random.Random(seed))
    checked, checked_explanations, errors = engine.check_values(nr5, answers, explanations)
    assert errors == {}
    assert engine.missing_answers(nr5, answers) == []
    assert engine.apply_skip_logic(nr5, checked, checked_explanations)[0] == answers


def test_conditions_in_words(nr5):
    assert engine.describe_condition(nr5, nr5["Q027"]) == "Applies if the answer to question 26 is “Yes”."
    assert "question 79" in engine.describe_condition(nr5, nr5["Q082"])


def test_a_definition_file_round_trips(tmp_path):
    from capacityhub.plans.definitions import export_definition

    nr5 = Questionnaire.objects.get(key="cpb-nr5")
    data = export_definition(nr5)
    data.update(key="cpb-nr5-copy", plan="")
    assert data["sections"][0]["key"] == "General" and data["sections"][1]["key"] == "Article2"
    data["sections"][1]["questions"][0]["title"]["fr"] = "Votre pays a-t-il pris les mesures nationales ?"
    path = tmp_path / "nr5.json"
    path.write_text(json.dumps(data))
    call_command("import_questionnaire", str(path), verbosity=0)
    copy = Questionnaire.objects.get(key="cpb-nr5-copy").definition()
    assert [(q.key, q.type, q.enabled_when) for q in copy] == [
        (q.key, q.type, q.enabled_when) for q in nr5.definition()
    ]
    assert copy["Q007"].title["fr"].startswith("Votre pays")
    data["sections"][1]["questions"][0]["enabled_when"] = [{"question": "Q999", "op": "any_of", "values": []}]
    path.write_text(json.dumps(data))
    with pytest.raises(Exception, match="unknown question Q999"):
        call_command("import_questionnaire", str(path), verbosity=0)
