"""What to send to whom: the new items of each subscription that the user may see and was not sent yet.

An *item* is what the ledger remembers: a record (found by a saved search, a country or an area), a
version of a followed record, or a post of a followed conference or topic. Only items that appeared after
the subscription was made are sent."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext as _

from capacityhub.core import permissions as gate
from capacityhub.core.choices import Status
from capacityhub.core.models import Version
from capacityhub.core.registry import registry

from .choices import FollowKind
from .models import Follow, SavedSearch, SentItem

MAX_PER_SUBSCRIPTION = 50

#: Where records of each type name their countries and their capacity-building areas.
COUNTRY_LOOKUPS = {
    "initiative": "countries",
    "need": "country",
    "opportunity": "country",
    "expert": "country",
    "countryprofile": "country",
    "meeting": "country",
}
AREA_LOOKUPS = {
    "initiative": "thematic_areas",
    "need": "thematic_areas",
    "opportunity": "thematic_areas",
    "resource": "thematic_areas",
}


def list_types():
    """Every list one may save a search on: ``{key: RecordType}`` (every registered record type)."""
    return {rt.key: rt for rt in registry}


@dataclass
class Item:
    """One thing to tell a user about."""

    content_type: ContentType
    object_id: int
    title: str
    url: str
    kind: str
    date: object = None
    excerpt: str = ""


@dataclass
class Section:
    """The new items of one subscription."""

    label: str
    manage_url: str = ""
    items: list = field(default_factory=list)


def _sent_ids(user, content_type):
    return SentItem.objects.filter(user=user, content_type=content_type).values("object_id")


def _record_items(queryset, user, kind_label):
    model = queryset.model
    content_type = ContentType.objects.get_for_model(model)
    queryset = queryset.exclude(pk__in=_sent_ids(user, content_type)).order_by("-published_at", "-pk")
    return [
        Item(
            content_type,
            record.pk,
            record.display_title(),
            record.get_absolute_url(),
            kind_label,
            record.published_at,
        )
        for record in queryset[:MAX_PER_SUBSCRIPTION]
    ]


def published_since(record_type, user, since):
    queryset = gate.restrict(record_type.model.objects.all(), user, gate.VIEW)
    return queryset.filter(status=Status.PUBLISHED, published_at__gte=since)


def saved_search_items(search, user):
    record_type = list_types().get(search.record_type)
    if record_type is None:
        return []
    queryset = published_since(record_type, user, search.created_at)
    params = QueryDict(search.query or "", mutable=True)
    for key in ("page", "sort", "print"):
        params.pop(key, None)
    queryset = record_type.filterset(params, queryset=queryset, request=None).qs
    return _record_items(queryset, user, str(record_type.verbose_name).capitalize())


def _about_items(follow, user, lookups):
    items = []
    types = list_types()
    for key, lookup in lookups.items():
        record_type = types.get(key)
        if record_type is None:
            continue
        queryset = published_since(record_type, user, follow.created_at)
        queryset = queryset.filter(
            pk__in=record_type.model.objects.filter(**{lookup: follow.object_id}).values("pk")
        )
        items += _record_items(queryset, user, str(record_type.verbose_name).capitalize())
    return items


def record_version_items(follow, user):
    """New published versions of a followed record (not the user's own changes)."""
    record = follow.target
    if record is None or not gate.can(user, gate.VIEW, record):
        return []
    version_type = ContentType.objects.get_for_model(Version)
    versions = (
        Version.objects.filter(
            content_type_id=follow.content_type_id,
            object_id=follow.object_id,
            status=Status.PUBLISHED,
            created_at__gte=follow.created_at,
        )
        .exclude(actor=user)
        .exclude(pk__in=_sent_ids(user, version_type))
        .order_by("-number")[:MAX_PER_SUBSCRIPTION]
    )
    title = record.display_title()
    return [
        Item(
            version_type,
            version.pk,
            _("{title} — version {number}: {action}").format(
                title=title, number=version.number, action=version.get_action_display()
            ),
            record.get_absolute_url(),
            _("Update"),
            version.created_at,
            version.comment,
        )
        for version in versions
    ]


def post_items(follow, user):
    """New published posts in a followed conference or topic, that the user may read."""
    from capacityhub.conferences import permissions as conference_permissions
    from capacityhub.conferences.choices import PostStatus
    from capacityhub.conferences.models import Post

    target = follow.target
    if target is None:
        return []
    conference = target if follow.kind == FollowKind.CONFERENCE else target.conference
    if not conference_permissions.can_read_posts(user, conference):
        return []
    posts = Post.objects.filter(status=PostStatus.PUBLISHED).exclude(author=user)
    posts = (
        posts.filter(topic__conference=conference)
        if follow.kind == FollowKind.CONFERENCE
        else posts.filter(topic=target)
    )
    since = follow.created_at
    post_type = ContentType.objects.get_for_model(Post)
    posts = (
        posts.filter(Q(created_at__gte=since) | Q(moderated_at__gte=since))
        .exclude(pk__in=_sent_ids(user, post_type))
        .select_related("author", "topic__conference")
        .order_by("created_at", "pk")[:MAX_PER_SUBSCRIPTION]
    )
    return [
        Item(
            post_type,
            post.pk,
            _("{author} in “{topic}”").format(author=post.author, topic=post.topic.display_title()),
            post.get_absolute_url(),
            _("Post"),
            post.created_at,
            (post.subject + ": " if post.subject else "") + " ".join(post.body.split())[:300],
        )
        for post in posts
    ]


def follow_items(follow, user):
    if follow.kind == FollowKind.COUNTRY:
        return _about_items(follow, user, COUNTRY_LOOKUPS)
    if follow.kind == FollowKind.AREA:
        return _about_items(follow, user, AREA_LOOKUPS)
    if follow.kind in (FollowKind.CONFERENCE, FollowKind.TOPIC):
        return post_items(follow, user)
    return record_version_items(follow, user)


def follow_label(follow):
    target = follow.target
    name = target.display_title() if hasattr(target, "display_title") else str(target)
    return "{}: {}".format(follow.get_kind_display(), name)


def pending_sections(user, frequency):
    """The user's subscriptions of ``frequency`` with their new items; an item appears once even when
    several subscriptions find it."""
    sections, seen = [], set()

    def add(label, items):
        fresh = []
        for item in items:
            key = (item.content_type.pk, item.object_id)
            if key not in seen:
                seen.add(key)
                fresh.append(item)
        if fresh:
            sections.append(Section(label=label, items=fresh))

    for search in SavedSearch.objects.filter(user=user, frequency=frequency).order_by("name"):
        add(_("Saved search: {name}").format(name=search.name), saved_search_items(search, user))
    follows = (
        Follow.objects.filter(user=user, frequency=frequency)
        .select_related("content_type")
        .order_by("kind", "pk")
    )
    for follow in follows:
        if follow.target is None:
            continue
        add(follow_label(follow), follow_items(follow, user))
    return sections


def subscribers(frequency):
    """Users with at least one subscription of ``frequency`` and an e-mail address."""
    from capacityhub.accounts.models import User

    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(saved_searches__frequency=frequency) | Q(follows__frequency=frequency))
        .distinct()
        .order_by("pk")
    )


def follow_of(user, obj):
    """``user``'s follow of ``obj``, or ``None``."""
    if not user.is_authenticated:
        return None
    return Follow.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).first()
