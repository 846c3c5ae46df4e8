"""The analyzer's figures checked against hand-computed ones, on a small questionnaire and six submissions;
the comparison with the previous cycle (same questionnaire, and through a mapping of questions); the XLSX
export; the page and the API."""

import io

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from capacityhub.core import services as core_services
from capacityhub.plans import services
from capacityhub.plans.analysis import analyse
from capacityhub.plans.definitions import load_definition
from capacityhub.plans.testing import make_cycle
from capacityhub.reference.models import Country

pytestmark = pytest.mark.django_db


def yes_no(key):
    return {
        "key": key,
        "number": "1",
        "type": "single",
        "title": {"en": "Yes or no?"},
        "mandatory": True,
        "options": [{"value": "yes", "title": {"en": "Yes"}}, {"value": "no", "title": {"en": "No"}}],
    }


def survey(key="test-survey", first=None):
    first = first or yes_no("yn")
    return {
        "key": key,
        "version": 1,
        "kind": "survey",
        "title": {"en": "Test survey"},
        "sections": [
            {
                "key": "one",
                "title": {"en": "One"},
                "questions": [
                    first,
                    {
                        "key": "why",
                        "number": "2",
                        "type": "text",
                        "title": {"en": "Why?"},
                        "enabled_when": [{"question": first["key"], "op": "any_of", "values": ["yes"]}],
                    },
                    {
                        "key": "areas",
                        "number": "3",
                        "type": "multiple",
                        "title": {"en": "Which areas?"},
                        "options": [{"value": v, "title": {"en": v.upper()}} for v in ("a", "b", "c")],
                    },
                    {"key": "count", "number": "4", "type": "number", "title": {"en": "How many?"}},
                ],
            }
        ],
    }


def publish(cycle, answers, *, country=None, organization=None, draft=False):
    submission = services.submission_start(
        cycle=cycle,
        country=Country.objects.get(iso2=country) if country else None,
        organization=organization,
        actor=None,
    )
    submission, _dropped = services.submission_save_answers(
        submission=submission, actor=None, answers=answers
    )
    if not draft:
        core_services.record_transition(record=submission, action="publish", actor=None)
    return submission


@pytest.fixture
def cycles(roles):
    questionnaire, _results = load_definition(survey())
    previous = make_cycle(questionnaire)
    publish(previous, {"yn": "no"}, country="KE")
    publish(previous, {"yn": "no"}, country="CO")
    publish(previous, {"yn": "yes"}, country="NO")
    cycle = make_cycle(questionnaire, previous=previous)
    publish(cycle, {"yn": "yes", "why": "Because A", "areas": ["a", "b"], "count": 10}, country="KE")
    publish(cycle, {"yn": "no", "why": "Dropped: not asked", "areas": ["a"], "count": 2}, country="UG")
    publish(cycle, {"yn": "yes", "why": "Because C", "areas": ["b", "c"], "count": 4}, country="CO")
    publish(cycle, {"yn": "yes"}, country="PE")
    publish(cycle, {"yn": "no", "areas": ["c"], "count": 7}, country="NO")
    publish(cycle, {"yn": "yes", "areas": ["a"]}, organization=roles.org_x)
    publish(cycle, {"yn": "yes", "areas": ["a", "b", "c"], "count": 100}, country="BR", draft=True)
    return cycle, previous


def options(figure):
    return {o.value: (o.count, o.share) for o in figure.options}


def test_counts_and_shares_by_group(cycles):
    cycle, _previous = cycles
    analysis = analyse(cycle)
    assert analysis.total == 6  # the draft does not count
    yn = analysis["yn"]
    assert yn.respondents == 6
    assert options(yn) == {"yes": (4, 4 / 6), "no": (2, 2 / 6)}
    assert yn.by_group == {"cbd-africa": 2, "cbd-grulac": 2, "cbd-weog": 1, "organizations": 1}
    by_group = {o.value: o.by_group for o in yn.options}
    assert by_group["yes"] == {
        "cbd-africa": (1, 0.5),
        "cbd-grulac": (2, 1.0),
        "cbd-weog": (0, 0.0),
        "organizations": (1, 1.0),
    }
    areas = analysis["areas"]
    assert areas.respondents == 5
    assert options(areas) == {"a": (3, 3 / 5), "b": (2, 2 / 5), "c": (2, 2 / 5)}
    assert areas.options[0].by_group["cbd-africa"] == (2, 1.0)
    count = analysis["count"].numbers
    assert (count["count"], count["sum"], count["min"], count["max"]) == (4, 23, 2, 10)
    assert float(count["mean"]) == 5.75 and count["median"] == 5.5
    assert [(t.author, t.text) for t in analysis["why"].texts] == [
        ("Colombia", "Because C"),
        ("Kenya", "Because A"),
    ]
    assert [g.code for g in analysis.groups] == ["cbd-africa", "cbd-grulac", "cbd-weog", "organizations"]


def test_chosen_countries_and_regions(cycles):
    cycle, _previous = cycles
    chosen = analyse(cycle, countries=["KE", "CO"])
    assert chosen.total == 2 and options(chosen["yn"]) == {"yes": (2, 1.0), "no": (0, 0.0)}
    africa = analyse(cycle, regions=["cbd-africa"])
    assert africa.total == 2 and options(africa["yn"]) == {"yes": (1, 0.5), "no": (1, 0.5)}


def test_comparison_with_the_previous_cycle(cycles):
    cycle, previous = cycles
    yn = analyse(cycle)["yn"]
    assert yn.previous_key == "yn" and yn.previous_respondents == 3
    assert {o.value: (o.previous_count, o.previous_share) for o in yn.options} == {
        "yes": (1, 1 / 3),
        "no": (2, 2 / 3),
    }
    assert round(yn.options[0].change, 4) == round(4 / 6 - 1 / 3, 4)
    # Another questionnaire, compared through its mapping of questions.
    questionnaire, _results = load_definition(survey("test-survey-2", first=yes_no("yes_or_no")))
    questionnaire.previous = previous.questionnaire
    questionnaire.previous_mapping = {"yes_or_no": "yn"}
    questionnaire.save()
    later = make_cycle(questionnaire, previous=cycle)
    publish(later, {"yes_or_no": "no"}, country="KE")
    figure = analyse(later)["yes_or_no"]
    assert figure.previous_key == "yn" and figure.previous_respondents == 6
    assert {o.value: o.previous_count for o in figure.options} == {"yes": 4, "no": 2}
    assert analyse(later)["areas"].previous_key == ""  # not mapped: no comparison


def test_page_and_xlsx(client, cycles):
    cycle, _previous = cycles
    page = client.get(reverse("plans:cycle_analysis", args=[cycle.pk]), {"group_by": "cbd_group"})
    html = page.content.decode()
    assert page.status_code == 200 and "Figures from 6 published submissions." in html
    assert "67 %" in html and "Because A" in html
    response = client.get(reverse("plans:cycle_analysis_xlsx", args=[cycle.pk]))
    workbook = load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )
    assert workbook.sheetnames == ["Counts", "Numbers", "Free text", "Submissions"]
    rows = [row for row in workbook["Counts"].iter_rows(values_only=True)]
    yes = next(row for row in rows if row[1] == "1. Yes or no?" and row[2] == "Yes")
    assert yes[3] == 4 and abs(yes[4] - 4 / 6) < 1e-9 and yes[5] == 6
    texts = [row for row in workbook["Free text"].iter_rows(values_only=True)][1:]
    assert ("Kenya", "Because A") in [(row[3], row[4]) for row in texts]
    assert workbook["Numbers"].cell(row=2, column=4).value == 23


@override_settings(ROOT_URLCONF="capacityhub.plans.tests.urls")
def test_api_analysis(client, cycles):
    cycle, _previous = cycles
    data = client.get("/api/cycles/{}/analysis/".format(cycle.pk), {"question": "yn", "country": "ke"}).json()
    assert data["submissions"] == 1 and data["previous_cycle"] == cycle.previous_id
    (question,) = data["questions"]
    assert question["key"] == "yn" and question["answered"] == 1
    assert question["options"][0] == {
        "value": "yes",
        "label": "Yes",
        "count": 1,
        "share": 1.0,
        "by_group": {"cbd-africa": {"count": 1, "share": 1.0}},
        "previous_count": 0,
        "previous_share": 0.0,
    }
