"""Quality (completeness with the missing fields named, freshness), the reminder e-mail, and the blocks other
pages include (need, organization, country, initiative, dashboard)."""

import datetime

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from capacityhub.coordination import quality
from capacityhub.coordination.choices import Freshness
from capacityhub.coordination.reminders import send_quality_reminders
from capacityhub.registry.models import Initiative

from .conftest import make_initiative

pytestmark = pytest.mark.django_db


def test_completeness_names_the_missing_recommended_fields(fixed):
    found = quality.completeness(fixed.i1)
    missing = [code for code, _label in found.missing]
    # i1 has dates, budget, areas, a recipient and an implementer; nothing else.
    assert missing == ["description", "objectives", "funder", "outcomes", "links", "contacts", "identifier"]
    assert found.score == pytest.approx(1 - 7 / 12, abs=1e-3)
    assert [str(label) for _c, label in found.missing][:2] == ["description", "objectives"]
    global_one = quality.completeness(fixed.i4)
    assert "recipients" not in [code for code, _l in global_one.missing]


def test_freshness_states(fixed):
    today = datetime.date(2027, 6, 1)  # after i1's planned end (2026-12-31), i1 still "implementation"
    assert quality.freshness(fixed.i1, today=today) == [Freshness.ONGOING_AFTER_END]
    assert quality.freshness(fixed.i1) == []
    Initiative.objects.filter(pk=fixed.i3.pk).update(updated_at=timezone.now() - datetime.timedelta(days=400))
    fixed.i3.refresh_from_db()
    assert Freshness.NOT_UPDATED in quality.freshness(fixed.i3)
    reliance = quality.reliance(Initiative.objects.filter(pk__in=[fixed.i1.pk, fixed.i3.pk]))
    assert reliance == {"total": 2, "stale": 1, "incomplete": 2}


def test_expert_about_to_leave_the_roster(fixed):
    from capacityhub.core.testing.factories import make_record
    from capacityhub.registry.models import Expert

    expert = make_record("expert", country=fixed.cast.country_a)
    Expert.objects.filter(pk=expert.pk).update(
        nominated_at=timezone.localdate().replace(year=timezone.localdate().year - 4)
        + datetime.timedelta(days=30)
    )
    expert.refresh_from_db()
    assert quality.freshness(expert) == [Freshness.ROSTER_EXPIRING]


def test_reminder_email_lists_what_to_update(fixed):
    assert send_quality_reminders(base_url="https://hub.example") == 1  # publisher_x; org Y has no initiative
    message = mail.outbox[0]
    assert message.to == ["publisher_x@example.org"]
    assert "records to update" in message.subject
    assert (
        "RA and detection in Kenya" in message.body and "https://hub.example/en/initiatives/" in message.body
    )
    assert "Missing: description, objectives" in message.body


def render(name, user, **context):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("coordination/" + name, {"request": request, "user": user, **context})


def test_blocks_to_include_on_other_pages(fixed):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    need = render("_need_matches.html", anonymous, need=fixed.n1)
    assert "Who could help" in need and "Organization X" in need
    country = render("_country_coordination.html", anonymous, country=fixed.cast.country_a)
    assert "Socioeconomic need Kenya" in country and "Organization X" in country
    assert "Draft" not in country
    other = make_initiative("Org Y in Kenya", publisher=fixed.cast.org_y, countries=["KE"])
    from capacityhub.coordination.analysis import analyze_initiative

    analyze_initiative(other.pk)
    partners = render("_organization_partners.html", anonymous, organization=fixed.cast.org_x)
    assert "Organization Y" in partners
    initiative = render("_initiative_pairs.html", anonymous, initiative=fixed.i1)
    assert "Completeness: 42%" in initiative
    record = render("_record_quality.html", anonymous, record=fixed.n1)
    assert "Completeness: 50%" in record and "description" in record
    dashboard = render("_my_quality.html", fixed.cast.publisher_x)
    assert "Your records to update" in dashboard and "Draft RA Kenya" in dashboard
    assert render("_my_quality.html", anonymous).strip() == ""
    check = render("_initiative_check.html", fixed.cast.publisher_x)
    assert 'formaction="/en/coordination/check/"' in check and "check.js" in check
