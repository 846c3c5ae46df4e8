"""Factories for tests: users with roles, and records of every type in a given scope and state.

Records are created through the services, as the platform does, so they have versions and a search entry.

A record type whose records are not built here declares a factory in its app's ``testing`` module::

    @record_factory("meeting")
    def make_meeting(*, title, country, organization, actor, **extra):
        ...  # build the record and save it as a draft through the app's services; return it

``make_record`` finds it (it imports every app's ``testing`` module once) and then moves the draft to the
requested workflow state, as for every other type."""

import datetime
import itertools

import factory

from capacityhub.accounts.choices import Role
from capacityhub.accounts.models import RoleAssignment, User
from capacityhub.core import services
from capacityhub.core.choices import Status
from capacityhub.reference.models import Country, Organization, Term

_counter = itertools.count(1)

#: Per-type factories declared by apps (``@record_factory(key)`` in ``<app>/testing.py``).
RECORD_FACTORIES = {}


def record_factory(key):
    """Declare the factory of record type ``key``: ``fn(*, title, country, organization, actor, **extra)``
    returns a saved draft (built through its app's services)."""

    def decorator(function):
        RECORD_FACTORIES[key] = function
        return function

    return decorator


def _declared_factory(key):
    if key not in RECORD_FACTORIES:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("testing")
    return RECORD_FACTORIES.get(key)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    name = factory.LazyAttribute(lambda o: o.username.title())
    password = factory.django.Password("pass")


def term(vocabulary, code):
    return Term.objects.get(vocabulary__code=vocabulary, code=code)


def country(iso2):
    return Country.objects.get(iso2=iso2)


def organization(name="Org", status=Status.PUBLISHED, **fields):
    org = Organization(name={"en": name}, status=status, **fields)
    return services.record_save(record=org, actor=None)


def grant(user, role, country=None, organization=None):
    RoleAssignment.objects.create(user=user, role=role, country=country, organization=organization)
    user.__dict__.pop("roles", None)
    return user


class RoleSet:
    """One user per role and scope: the cast of the permission tests.

    Country A is Kenya, country B is Colombia; organization X and Y are two publishers."""

    @classmethod
    def create(cls):
        self = cls()
        self.country_a, self.country_b = country("KE"), country("CO")
        self.org_x = organization("Organization X")
        self.org_y = organization("Organization Y")
        self.admin = grant(UserFactory(username="secretariat"), Role.ADMINISTRATOR)
        self.registered = UserFactory(username="registered")
        self.focal_a = grant(UserFactory(username="focal_a"), Role.FOCAL_POINT, country=self.country_a)
        self.author_a = grant(UserFactory(username="author_a"), Role.AUTHORIZED_USER, country=self.country_a)
        self.focal_b = grant(UserFactory(username="focal_b"), Role.FOCAL_POINT, country=self.country_b)
        self.author_b = grant(UserFactory(username="author_b"), Role.AUTHORIZED_USER, country=self.country_b)
        self.publisher_x = grant(
            UserFactory(username="publisher_x"), Role.ORG_PUBLISHER, organization=self.org_x
        )
        self.publisher_y = grant(
            UserFactory(username="publisher_y"), Role.ORG_PUBLISHER, organization=self.org_y
        )
        return self


def make_record(
    key, *, country=None, organization=None, status=Status.PUBLISHED, title=None, actor=None, **extra
):
    """A valid record of type ``key`` in the given scope and workflow state."""
    from capacityhub.reference.models import Contact
    from capacityhub.registry import models as m

    n = next(_counter)
    title = title or f"{key.title()} {n}"
    area = term("thematic-areas", "risk-assessment")
    country = country or Country.objects.get(iso2="KE")
    org = organization or Organization.objects.filter(status=Status.PUBLISHED).first()
    related = None
    factory_of_type = _declared_factory(key)
    if factory_of_type is not None:
        record = factory_of_type(title=title, country=country, organization=org, actor=actor, **extra)
        return _move_to(record, status)
    if key == "initiative":
        record = m.Initiative(
            title={"en": title},
            publisher=org,
            activity_status=term("activity-status", "implementation"),
            **{
                "planned_start": datetime.date(2024, 1, 1),
                "planned_end": datetime.date(2026, 12, 31),
                **extra,
            },
        )

        def related(r):
            r.thematic_areas.set([area])
            m.InitiativeCountry.objects.create(initiative=r, country=country)
            m.Participation.objects.create(
                initiative=r, organization=org, role=term("organization-roles", "implementing")
            )
    elif key == "need":
        record = m.Need(title={"en": title}, country=country, **extra)

        def related(r):
            r.thematic_areas.set([area])
    elif key == "opportunity":
        record = m.Opportunity(
            title={"en": title}, publisher=org, kind=term("opportunity-types", "workshop"), **extra
        )

        def related(r):
            r.thematic_areas.set([area])
    elif key == "resource":
        record = m.Resource(
            title={"en": title}, publisher=org, resource_type=term("resource-types", "manual"), **extra
        )

        def related(r):
            r.thematic_areas.set([area])
    elif key == "expert":
        record = m.Expert(name={"en": title}, country=country, **extra)

        def related(r):
            r.expertise.set([term("expertise", "risk-assessment")])
    elif key == "countryprofile":
        m.CountryProfile.objects.filter(country=country).delete()
        record = m.CountryProfile(summary={"en": title}, country=country, **extra)
    elif key == "organization":
        record = Organization(name={"en": title}, **extra)
        if organization is not None:  # an organization's own record: its scope is itself
            return organization
    elif key == "contact":
        record = Contact(name={"en": title}, organization=org, **extra)
    elif key == "submission":  # a national submission with complete answers, on a cycle of its own
        from capacityhub.plans.testing import build_submission

        record = build_submission(title=title, country=country, **extra)
    else:
        raise ValueError(key)
    record.status = Status.DRAFT
    record = services.record_save(record=record, actor=actor, save_related=related)
    return _move_to(record, status)


def _move_to(record, status):
    """Move a draft to ``status`` through the workflow (as the system)."""
    if status == Status.SUBMITTED:
        services.record_transition(record=record, action="submit", actor=None)
    elif status == Status.PUBLISHED:
        services.record_transition(record=record, action="publish", actor=None)
    elif status == Status.ARCHIVED:
        services.record_transition(record=record, action="publish", actor=None)
        services.record_transition(record=record, action="archive", actor=None)
    record.refresh_from_db()
    return record
