"""The demo data set (``manage.py load_demo``): sizes, demo marks, languages, workflow, accounts, the planted
duplicate, overlaps and gaps, reproducibility and idempotence.

The data set is built once for the module (inside a transaction rolled back at the end), so the tests
only read it."""

import datetime
import json
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from capacityhub.accounts.choices import Role
from capacityhub.accounts.models import RoleAssignment, User
from capacityhub.core.choices import Status
from capacityhub.core.demo import DUPLICATE_PAIR, count_demo
from capacityhub.core.models import SearchEntry, Version
from capacityhub.core.uploads import validate_upload
from capacityhub.reference.models import Contact, Organization, Region
from capacityhub.registry.choices import NeedStatus
from capacityhub.registry.models import (
    CountryProfile,
    Expert,
    Initiative,
    InitiativeCountry,
    Need,
    Opportunity,
    Resource,
    ResourceFile,
)

RECORD_MODELS = (Organization, Contact, Initiative, Need, Opportunity, Resource, Expert, CountryProfile)
ACTIVE = ("pipeline", "implementation", "finalisation")


def fingerprint():
    """What the demo wrote, without database ids, file names or timestamps of the run."""
    rows = []
    for model in RECORD_MODELS:
        for record in model.objects.order_by("sort_title", "original_language"):
            rows.append([model.__name__, record.sort_title, record.status, record.original_language])
    for initiative in Initiative.objects.order_by("sort_title", "planned_start"):
        rows.append(
            [
                initiative.sort_title,
                str(initiative.planned_start),
                str(initiative.actual_end),
                str(initiative.budget),
                initiative.activity_status.code,
                sorted(initiative.countries.values_list("iso2", flat=True)),
                sorted(initiative.thematic_areas.values_list("code", flat=True)),
            ]
        )
    for need in Need.objects.order_by("country__iso2", "sort_title"):
        rows.append(
            [need.country.iso2, need.sort_title, need.priority, need.need_status, str(need.created_at)]
        )
    rows += [[e.sort_title, str(e.nominated_at)] for e in Expert.objects.order_by("sort_title")]
    rows += [[f.resource.sort_title, f.language, f.sha256] for f in ResourceFile.objects.all()]
    return json.dumps(sorted(json.dumps(row) for row in rows))  # sorted here: collations differ


def run_load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_reference", verbosity=0)
            # Reproducible: a first run, rolled back, writes the same records as the second one.
            savepoint = transaction.savepoint()
            run_load_demo()
            first = fingerprint()
            transaction.savepoint_rollback(savepoint)
            output = run_load_demo()
            second = fingerprint()
            counts = count_demo()
            users = User.objects.count()
            again = run_load_demo()
            yield {
                "output": output,
                "again": again,
                "counts": counts,
                "users": users,
                "reproducible": first == second,
            }
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


pytestmark = pytest.mark.django_db


def test_sizes(demo):
    assert Initiative.objects.count() >= 60
    assert Need.objects.count() >= 80
    assert Opportunity.objects.count() >= 20
    assert Resource.objects.count() >= 30
    assert Expert.objects.count() >= 25
    assert Organization.objects.count() >= 40
    assert CountryProfile.objects.count() >= 10
    assert Contact.objects.count() >= 20
    assert InitiativeCountry.objects.values("country").distinct().count() >= 40
    assert Need.objects.values("country").distinct().count() >= 30
    scopes = set(Initiative.objects.values_list("geographic_scope", flat=True))
    assert {"national", "regional", "global"} <= scopes
    statuses = set(Initiative.objects.values_list("activity_status__code", flat=True))
    assert {"pipeline", "implementation", "closed"} <= statuses


def test_every_record_is_marked_demo_and_indexed_with_versions(demo):
    for model in RECORD_MODELS:
        assert model.objects.exists()
        assert not model.objects.filter(is_demo=False).exists(), model
    keys = [model.record_type.key for model in RECORD_MODELS]
    indexed = SearchEntry.objects.filter(record_type__in=keys).count()
    assert indexed == sum(model.objects.count() for model in RECORD_MODELS)
    published = Initiative.objects.filter(status=Status.PUBLISHED).first()
    actions = list(
        Version.objects.filter(object_id=published.pk, content_type__model="initiative").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["created", "published"]


def test_texts_in_three_languages(demo):
    titles = [i.title for i in Initiative.objects.all()] + [n.title for n in Need.objects.all()]
    assert any("es" in t for t in titles) and any("fr" in t for t in titles)
    assert any({"en", "es", "fr"} <= set(t) for t in titles)
    assert Need.objects.filter(original_language="es").exists()
    assert Initiative.objects.filter(original_language="fr").exists()
    spanish_only = [n for n in Need.objects.filter(original_language="es") if set(n.title) == {"es"}]
    assert spanish_only
    translated = [t for t in titles if len(t) > 1]
    assert 0.15 < len(translated) / len(titles) < 0.6


def test_workflow_leaves_work_for_reviewers(demo):
    assert Initiative.objects.filter(status=Status.PUBLISHED).count() >= 60
    waiting = Need.objects.filter(status=Status.SUBMITTED, country__iso2__in=["KE", "CO", "VN"])
    assert waiting.count() >= 3
    assert Need.objects.filter(status=Status.DRAFT).exclude(review_comment="").exists()  # returned
    assert Expert.objects.filter(status=Status.SUBMITTED, country__iso2="KE").exists()
    participant = User.objects.get(username="demo-participant")
    assert Initiative.objects.filter(status=Status.SUBMITTED, created_by=participant).exists()


def test_accounts(demo):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("admin")
    assert RoleAssignment.objects.filter(user=admin, role=Role.ADMINISTRATOR).exists()
    focal = User.objects.get(username="demo-focal-ke")
    assert focal.check_password("demo")
    assert focal.country_ids(Role.FOCAL_POINT) == {RoleAssignment.objects.get(user=focal).country_id}
    assert RoleAssignment.objects.get(user=focal).country.iso2 == "KE"
    for iso2 in ("KE", "CO", "SN", "VN"):
        assert RoleAssignment.objects.filter(role=Role.AUTHORIZED_USER, country__iso2=iso2).exists()
    publishers = RoleAssignment.objects.filter(role=Role.ORG_PUBLISHER).values_list(
        "organization__acronym", flat=True
    )
    assert sorted(publishers) == ["FAO", "UNEP"]
    assert User.objects.get(username="demo-participant").role_assignments.count() == 0
    assert "admin / admin" in demo["output"] and "demo-focal-ke / demo" in demo["output"]


def test_idempotent_and_reproducible(demo):
    assert demo["reproducible"]
    assert "no record written" in demo["again"]
    assert count_demo() == demo["counts"]
    assert User.objects.count() == demo["users"]
    assert RoleAssignment.objects.filter(user__username="admin").count() == 1


def test_duplicate_pair(demo):
    first, second = (Initiative.objects.get(project_number=number) for number in DUPLICATE_PAIR)
    assert first.publisher != second.publisher
    assert first.display_title("en") != second.display_title("en")
    countries = [set(i.countries.values_list("iso2", flat=True)) for i in (first, second)]
    assert len(countries[0] & countries[1]) >= 4 and countries[0] != countries[1]
    assert abs(first.budget - second.budget) / first.budget < 0.02
    assert first.planned_start <= second.planned_end and second.planned_start <= first.planned_end


def test_overlaps_between_current_national_initiatives(demo):
    national = [
        i
        for i in Initiative.objects.filter(
            geographic_scope="national", status=Status.PUBLISHED, activity_status__code__in=ACTIVE
        ).prefetch_related("countries", "thematic_areas", "participations__role")
    ]
    pairs = []
    for index, a in enumerate(national):
        for b in national[index + 1 :]:
            same_place = set(a.countries.all()) & set(b.countries.all())
            same_area = set(a.thematic_areas.all()) & set(b.thematic_areas.all())
            overlapping = a.planned_start <= b.planned_end and b.planned_start <= a.planned_end
            funders = [
                {p.organization_id for p in i.participations.all() if p.role.code == "funding"}
                for i in (a, b)
            ]
            if same_place and same_area and overlapping and funders[0] != funders[1]:
                pairs.append((a, b))
    assert len(pairs) >= 4


def test_gaps_needs_that_no_active_initiative_covers(demo):
    members = {
        region.pk: set(region.countries.values_list("pk", flat=True)) for region in Region.objects.all()
    }
    covered = set()
    for initiative in Initiative.objects.filter(activity_status__code__in=ACTIVE).prefetch_related(
        "countries", "regions", "thematic_areas"
    ):
        countries = {c.pk for c in initiative.countries.all()}
        for region in initiative.regions.all():
            countries |= members[region.pk]
        for area in initiative.thematic_areas.all():
            if not countries:  # global initiative: counted as covering every country
                covered.add((None, area.pk))
            covered |= {(country, area.pk) for country in countries}
    gaps = [
        need
        for need in Need.objects.filter(
            status=Status.PUBLISHED, need_status=NeedStatus.OPEN
        ).prefetch_related("thematic_areas")
        if any(
            (need.country_id, area.pk) not in covered and (None, area.pk) not in covered
            for area in need.thematic_areas.all()
        )
    ]
    assert len(gaps) >= 10
    assert len({need.country_id for need in gaps}) >= 10


def test_experts_roster_and_deadlines_look_alive(demo):
    published = list(Expert.objects.filter(status=Status.PUBLISHED))
    assert sum(e.on_roster for e in published) >= 20
    assert sum(e.expires_soon for e in published) >= 2
    assert any(not e.on_roster for e in published)  # nominated five years ago
    today = timezone.localdate()
    upcoming = Opportunity.objects.filter(
        status=Status.PUBLISHED,
        application_deadline__gte=today,
        application_deadline__lte=today + datetime.timedelta(days=180),
    )
    assert upcoming.count() >= 10


def test_resource_files_are_valid_pdfs(demo):
    files = list(ResourceFile.objects.select_related("resource"))
    assert len(files) >= 10
    assert {f.language for f in files} == {"en", "es", "fr"}
    for stored in files:
        with stored.file.open("rb") as handle:
            content = handle.read()
        kind, mime, size, sha256 = validate_upload(ContentFile(content, name=stored.filename))
        assert (kind, mime, size, sha256) == ("pdf", stored.content_type, stored.size, stored.sha256)
        assert content.rstrip().endswith(b"%%EOF")
