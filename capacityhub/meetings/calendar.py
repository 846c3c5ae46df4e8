"""iCalendar feeds (RFC 5545): meetings, online conference windows and opportunities' application deadlines.

``/calendar.ics`` holds all three; ``?type=meeting``, ``?type=conference`` or ``?type=deadline`` (repeatable)
keep some, and with one type the other parameters filter it as its list page does (``?type=meeting&kind=
coordination``, ``?type=deadline&area=risk-assessment``). Each list has its own feed with its filters:
``/<lang>/meetings/calendar.ics``, ``/<lang>/conferences/calendar.ics``. Texts follow ``?lang=`` or the
request's language. Only what the requesting user may see is listed (calendar clients are anonymous)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from capacityhub.core import permissions as gate

PRODID = "-//CapacityHub//Biosafety capacity-building coordination//EN"
TYPES = ("meeting", "conference", "deadline")
DEADLINE_HORIZON_DAYS = 400  # past deadlines older than this are left out


@dataclass
class Event:
    uid: str
    summary: str
    start: datetime.date
    end: datetime.date  # exclusive, as iCalendar wants for all-day events
    stamp: datetime.datetime
    url: str = ""
    location: str = ""
    description: str = ""
    categories: str = ""


def escape(text):
    """A TEXT value: backslash, semicolon, comma and line breaks escaped."""
    text = str(text or "")
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line):
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 §3.1)."""
    out, current, size = [], "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _date(value):
    return value.strftime("%Y%m%d")


def _stamp(value):
    value = value or timezone.now()
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def render(events, name):
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:" + PRODID,
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + escape(name),
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            "UID:" + event.uid,
            "DTSTAMP:" + _stamp(event.stamp),
            "DTSTART;VALUE=DATE:" + _date(event.start),
            "DTEND;VALUE=DATE:" + _date(event.end),
            "SUMMARY:" + escape(event.summary),
        ]
        if event.location:
            lines.append("LOCATION:" + escape(event.location))
        if event.description:
            lines.append("DESCRIPTION:" + escape(event.description))
        if event.categories:
            lines.append("CATEGORIES:" + escape(event.categories))
        if event.url:
            lines.append("URL:" + event.url)
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _host(request):
    return request.get_host().split(":")[0] or "capacityhub"


def meeting_events(request, params=None):
    from .filtersets import MeetingFilterSet
    from .models import Meeting

    queryset = gate.restrict(Meeting.objects.all(), request.user, gate.VIEW)
    if params is not None:
        queryset = MeetingFilterSet(params, queryset=queryset, request=request).qs
    for meeting in queryset.select_related("country", "organizer").order_by("start_date", "pk"):
        yield Event(
            uid="meeting-{}@{}".format(meeting.pk, _host(request)),
            summary=meeting.display_title(),
            start=meeting.start_date,
            end=meeting.end_date + datetime.timedelta(days=1),
            stamp=meeting.updated_at,
            url=request.build_absolute_uri(meeting.get_absolute_url()),
            location=(", ".join(p for p in (meeting.venue, meeting.place) if p)),
            description="{} · {}".format(meeting.get_kind_display(), meeting.organizer),
            categories=meeting.get_kind_display(),
        )


def conference_events(request, params=None):
    from capacityhub.conferences.filtersets import ConferenceFilterSet
    from capacityhub.conferences.models import Conference

    queryset = gate.restrict(Conference.objects.all(), request.user, gate.VIEW)
    if params is not None:
        queryset = ConferenceFilterSet(params, queryset=queryset, request=request).qs
    for conference in queryset.select_related("organizer").order_by("start_date", "pk"):
        yield Event(
            uid="conference-{}@{}".format(conference.pk, _host(request)),
            summary=_("Online conference: {title}").format(title=conference.display_title()),
            start=conference.start_date,
            end=conference.end_date + datetime.timedelta(days=1),
            stamp=conference.updated_at,
            url=request.build_absolute_uri(conference.get_absolute_url()),
            location=_("Online"),
            description=str(conference.organizer),
            categories=_("Online conference"),
        )


def deadline_events(request, params=None):
    from capacityhub.core.registry import registry

    record_type = registry["opportunity"]
    since = timezone.localdate() - datetime.timedelta(days=DEADLINE_HORIZON_DAYS)
    queryset = gate.restrict(record_type.model.objects.all(), request.user, gate.VIEW).filter(
        application_deadline__gte=since
    )
    if params is not None:
        queryset = record_type.filterset(params, queryset=queryset, request=request).qs
    for opportunity in queryset.select_related("kind").order_by("application_deadline", "pk"):
        yield Event(
            uid="deadline-{}@{}".format(opportunity.pk, _host(request)),
            summary=_("Application deadline: {title}").format(title=opportunity.display_title()),
            start=opportunity.application_deadline,
            end=opportunity.application_deadline + datetime.timedelta(days=1),
            stamp=opportunity.updated_at,
            url=request.build_absolute_uri(opportunity.get_absolute_url()),
            description=str(opportunity.kind or ""),
            categories=_("Application deadline"),
        )


SOURCES = {"meeting": meeting_events, "conference": conference_events, "deadline": deadline_events}


def list_params(request):
    params = request.GET.copy()
    for key in ("type", "lang"):
        params.pop(key, None)
    return params


def request_language(request):
    code = request.GET.get("lang", "")
    return code if code in dict(settings.LANGUAGES) else translation.get_language()


def ics_response(events, name):
    response = HttpResponse(render(events, name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response


def calendar_view(request):
    """``/calendar.ics``: meetings, conference windows and application deadlines (see the module)."""
    with translation.override(request_language(request)):
        types = [t for t in request.GET.getlist("type") if t in TYPES] or list(TYPES)
        params = list_params(request) if len(types) == 1 else None
        events = [event for kind in types for event in SOURCES[kind](request, params)]
        events.sort(key=lambda e: (e.start, e.uid))
        return ics_response(events, _("CapacityHub calendar"))


def meeting_calendar_view(request):
    """``/<lang>/meetings/calendar.ics``: the meetings of the list, with its filters."""
    with translation.override(request_language(request)):
        return ics_response(list(meeting_events(request, list_params(request))), _("CapacityHub meetings"))
