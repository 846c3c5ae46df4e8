"""Test helpers of the conferences app: the factory of conferences used by
``core.testing.factories.make_record`` (and so by the uniform record-type tests)."""

import datetime

from django.utils import timezone

from capacityhub.core.testing.factories import record_factory

from . import services
from .models import Conference, Objective, Topic


@record_factory("conference")
def make_conference(*, title, country, organization, actor, **extra):
    """A conference organized by ``organization``, open from yesterday for two weeks, with an objective and a
    topic, saved as a draft through ``conference_save`` (its creator becomes its moderator)."""
    today = timezone.localdate()
    extra.setdefault("start_date", today - datetime.timedelta(days=1))
    extra.setdefault("end_date", today + datetime.timedelta(days=14))
    extra.setdefault("languages", ["en", "es", "fr"])
    conference = Conference(title={"en": title}, organizer=organization, **extra)

    def related(saved):
        Objective.objects.create(conference=saved, number=1, text={"en": "Share experience."})
        Topic.objects.create(conference=saved, number=1, title={"en": "Where do we stand?"})

    return services.conference_save(conference=conference, actor=actor, save_related=related)
