"""Test helpers of the meetings app: the factories of meetings and decisions used by
``core.testing.factories.make_record`` (and so by the uniform record-type tests)."""

import datetime
import itertools

from capacityhub.core import services
from capacityhub.core.testing.factories import record_factory

from .choices import MeetingKind
from .models import AgendaItem, Decision, DecisionParagraph, Meeting

_counter = itertools.count(1)


@record_factory("meeting")
def make_meeting(*, title, country, organization, actor, **extra):
    """A coordination meeting of ``organization`` in ``country``, with one agenda item (a draft)."""
    extra.setdefault("kind", MeetingKind.COORDINATION)
    extra.setdefault("start_date", datetime.date(2025, 3, 9))
    extra.setdefault("end_date", extra["start_date"] + datetime.timedelta(days=2))
    extra.setdefault("city", "San José")
    meeting = Meeting(title={"en": title}, organizer=organization, country=country, **extra)

    def related(saved):
        AgendaItem.objects.create(meeting=saved, number="1", title={"en": "Opening of the meeting"})

    return services.record_save(record=meeting, actor=actor, save_related=related)


@record_factory("decision")
def make_decision(*, title, country, organization, actor, **extra):
    """A decision published by ``organization``, with one paragraph and a unique symbol (a draft)."""
    extra.setdefault("symbol", "BS-T/{}".format(next(_counter)))
    extra.setdefault("adopted_on", datetime.date(2025, 6, 1))
    decision = Decision(title={"en": title}, publisher=organization, **extra)

    def related(saved):
        DecisionParagraph.objects.create(decision=saved, number="1", text={"en": "Welcomes the report."})

    return services.record_save(record=decision, actor=actor, save_related=related)
