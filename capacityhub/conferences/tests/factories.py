"""Builders for conference tests: conferences, topics and participants made through the services."""

import datetime

from django.utils import timezone

from capacityhub.conferences import permissions, services
from capacityhub.conferences.choices import ParticipantStatus, StakeholderType
from capacityhub.conferences.models import Conference, ConferenceModerator, Participant, Topic
from capacityhub.core.choices import Status
from capacityhub.core.testing.factories import UserFactory
from capacityhub.reference.models import Country, Organization


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def make_conference(
    *,
    title="Biosafety in development plans",
    start=-3,
    end=10,
    status=Status.PUBLISHED,
    moderator=None,
    **fields,
):
    organizer = fields.pop("organizer", None) or Organization.objects.filter(status=Status.PUBLISHED).first()
    conference = Conference(
        title={"en": title},
        start_date=days(start),
        end_date=days(end),
        organizer=organizer,
        languages=["en", "es", "fr"],
        **fields,
    )
    conference = services.conference_save(conference=conference, actor=None)
    if status == Status.PUBLISHED:
        conference = services.conference_publish(conference=conference, actor=None)
    if moderator is not None:
        ConferenceModerator.objects.create(conference=conference, user=moderator)
        permissions.forget(moderator)
    return conference


def make_topic(conference, number=1, title="Where do we stand?", **fields):
    return Topic.objects.create(conference=conference, number=number, title={"en": title}, **fields)


def participant(
    conference, user=None, *, iso2="KE", stakeholder=StakeholderType.GOVERNMENT, approved=True, **fields
):
    user = user or UserFactory()
    return Participant.objects.create(
        conference=conference,
        user=user,
        country=Country.objects.get(iso2=iso2),
        stakeholder_type=stakeholder,
        organization_name=fields.pop("organization_name", "Ministry"),
        status=ParticipantStatus.APPROVED if approved else ParticipantStatus.PENDING,
        **fields,
    )


def moderator_user(username="moderator"):
    return UserFactory(username=username)
