"""The demo data: what the issue asks for on first run (a status-of-implementation cycle on the 2006 plan with
at least 30 published submissions, a national-report cycle on the fifth report), all marked demo;
idempotent."""

import pytest

from capacityhub.core.choices import Status
from capacityhub.plans.demo import load_demo
from capacityhub.plans.models import Plan, ReportingCycle, Submission

pytestmark = pytest.mark.django_db


def test_demo_data():
    created = load_demo()
    assert created > 100
    status = ReportingCycle.objects.get(
        title__en="Status of implementation of the Action Plan, 2008–2010 (demo)"
    )
    assert status.questionnaire.plan.key == "cpb-cb-action-plan-2006" and status.previous is not None
    published = status.submissions.filter(status=Status.PUBLISHED)
    assert published.count() >= 30
    assert published.filter(is_late=True).exists() and published.filter(is_late=False).exists()
    assert published.filter(organization__isnull=False).exists()
    fifth = ReportingCycle.objects.get(title__en="Fifth national reports (demo)")
    assert fifth.questionnaire.key == "cpb-nr5" and fifth.previous.questionnaire.key == "cpb-nr4"
    assert fifth.submissions.filter(status=Status.PUBLISHED).count() >= 30
    assert not Submission.objects.filter(is_demo=False).exists()
    assert not ReportingCycle.objects.filter(is_demo=False).exists()
    assert Plan.objects.get(key="demo-capacity-building-plan").is_demo
    assert load_demo() == 0  # idempotent
