"""Test helpers of the plans app, used by the uniform record-type tests (``core/testing``) and by this app's
tests: a reporting cycle on the shipped 2006 plan's status questionnaire, and complete submissions."""

import datetime
import itertools
import random

from django.utils import timezone

from .engine import random_answers
from .models import Questionnaire, ReportingCycle, Submission

_counter = itertools.count(1)


def status_questionnaire():
    """The status-of-implementation questionnaire of the 2006 Action Plan, loaded by ``load_reference``."""
    return Questionnaire.objects.filter(key="status-cpb-cb-action-plan-2006").order_by("-version").first()


def make_cycle(questionnaire=None, *, deadline=None, **fields):
    n = next(_counter)
    fields.setdefault("title", {"en": "Test cycle {}".format(n)})
    return ReportingCycle.objects.create(
        questionnaire=questionnaire or status_questionnaire(),
        deadline=deadline or timezone.localdate() + datetime.timedelta(days=60),
        **fields,
    )


def complete_answers(questionnaire, seed=0):
    """Answers to every enabled mandatory question (and some others), consistent with the skip logic."""
    return random_answers(questionnaire.definition(), random.Random(seed), fill=0.5)


def build_submission(*, title, country=None, organization=None, cycle=None, **extra):
    """An unsaved national (or organization) submission with complete answers, on a cycle of its own."""
    cycle = cycle or make_cycle()
    answers, explanations = complete_answers(cycle.questionnaire, seed=next(_counter))
    return Submission(
        cycle=cycle,
        country=None if organization is not None else country,
        organization=organization,
        title={"en": title},
        answers=answers,
        explanations=explanations,
        **extra,
    )
