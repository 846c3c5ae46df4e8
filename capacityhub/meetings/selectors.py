"""Reads of meetings, decisions, links and the Liaison Group."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from . import permissions
from .choices import MeetingKind
from .models import LiaisonGroupMember, Link, Meeting


def _prefetch_targets(links):
    """Load the records links point to, in one query per record type."""
    by_type = defaultdict(set)
    for link in links:
        if link.target_type_id:
            by_type[link.target_type_id].add(link.target_id)
    loaded = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for obj in model._base_manager.filter(pk__in=ids):
            loaded[(type_id, obj.pk)] = obj
    for link in links:
        if link.target_type_id:
            link._target_cache = loaded.get((link.target_type_id, link.target_id))
    return links


def _visible_target(link, user):
    target = getattr(link, "_target_cache", None)
    if link.url:
        return True
    if target is None:
        return False
    if hasattr(target, "status") and hasattr(type(target), "scope_kind"):
        return permissions.can_view(user, target)
    return True


def links_from(source, user):
    """Links from ``source`` whose targets ``user`` may see (a link to a draft stays hidden)."""
    links = list(
        Link.objects.filter(
            source_type=ContentType.objects.get_for_model(source), source_id=source.pk
        ).select_related("target_type")
    )
    _prefetch_targets(links)
    for link in links:
        link.target_display = _target_display(link)
    return [link for link in links if _visible_target(link, user)]


def links_from_many(sources, user):
    """``{pk: [links]}``: the links from each of ``sources`` (all of one model) whose targets ``user`` may
    see, in a fixed number of queries (for API lists)."""
    sources = list(sources)
    if not sources:
        return {}
    links = list(
        Link.objects.filter(
            source_type=ContentType.objects.get_for_model(sources[0]), source_id__in=[s.pk for s in sources]
        ).select_related("target_type")
    )
    _prefetch_targets(links)
    result = defaultdict(list)
    for link in links:
        link.target_display = _target_display(link)
        if _visible_target(link, user):
            result[link.source_id].append(link)
    return result


def _target_display(link):
    target = getattr(link, "_target_cache", None)
    if link.label:
        return link.label
    if target is None:
        return link.url
    return target.display_title() if hasattr(target, "display_title") else str(target)


def links_to(objects, user):
    """``{pk: [links]}``: links pointing at each of ``objects`` (all of one model), with visible sources."""
    objects = list(objects)
    if not objects:
        return {}
    content_type = ContentType.objects.get_for_model(objects[0])
    links = list(
        Link.objects.filter(target_type=content_type, target_id__in=[o.pk for o in objects]).select_related(
            "source_type"
        )
    )
    sources = defaultdict(set)
    for link in links:
        sources[link.source_type_id].add(link.source_id)
    loaded = {}
    for type_id, ids in sources.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        for obj in model._base_manager.filter(pk__in=ids):
            loaded[(type_id, obj.pk)] = obj
    result = defaultdict(list)
    for link in links:
        source = loaded.get((link.source_type_id, link.source_id))
        if source is None:
            continue
        if hasattr(source, "status") and not permissions.can_view(user, source):
            continue
        link.source_display = source.display_title() if hasattr(source, "display_title") else str(source)
        link.source_url = source.get_absolute_url() if hasattr(source, "get_absolute_url") else ""
        result[link.target_id].append(link)
    return result


def liaison_group(user, today=None):
    """The Liaison Group's current and former members, and its meetings the user may see."""
    today = today or timezone.localdate()
    members = LiaisonGroupMember.objects.select_related("organization", "country")
    current = members.filter(Q(term_end__isnull=True) | Q(term_end__gte=today), term_start__lte=today)
    former = members.filter(term_end__lt=today)
    meetings = permissions.visible(
        Meeting.objects.filter(kind=MeetingKind.LIAISON_GROUP), user
    ).select_related("country")
    return {"current": current, "former": former, "meetings": meetings.order_by("-start_date")}
