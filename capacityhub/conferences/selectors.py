"""Reads of online conferences: lists, topics with their threads, the moderation queue, participation
statistics (shared by the conference page and the compiled outcome, so figures never disagree)."""

from collections import Counter

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from capacityhub.reference.choices import RegionKind
from capacityhub.reference.models import Region

from . import permissions
from .choices import ParticipantStatus, PostStatus, StakeholderType
from .models import Conference, Flag, Participant, Post, Topic

NO_GROUP = _("No regional group")


def conferences_feeding(meeting, user):
    """Conferences whose outcome feeds ``meeting``, that ``user`` may see."""
    return list(
        permissions.visible(Conference.objects.filter(feeds_meeting=meeting), user).select_related("outcome")
    )


def topics_with_counts(conference, user):
    """The conference's topics, each with ``post_count``: the posts the user sees in it."""
    counts = dict(
        Post.objects.filter(topic__conference=conference)
        .filter(permissions.posts_filter(user, conference))
        .values_list("topic_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    topics = list(
        Topic.objects.filter(conference=conference).prefetch_related("documents").order_by("number")
    )
    for topic in topics:
        topic.conference = conference
        topic.post_count = counts.get(topic.pk, 0)
    return topics


def topics_with_counts_many(conferences, user):
    """``{conference id: topics}`` as :func:`topics_with_counts` gives them, for several conferences in two
    queries (API lists)."""
    conferences = {c.pk: c for c in conferences}
    if not conferences:
        return {}
    seen = Q()
    for conference in conferences.values():
        seen |= Q(topic__conference=conference) & permissions.posts_filter(user, conference)
    counts = dict(
        Post.objects.filter(topic__conference__in=list(conferences))
        .filter(seen)
        .values_list("topic_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result = {pk: [] for pk in conferences}
    for topic in Topic.objects.filter(conference__in=list(conferences)).order_by("conference", "number"):
        topic.conference = conferences[topic.conference_id]
        topic.post_count = counts.get(topic.pk, 0)
        result[topic.conference_id].append(topic)
    return result


def visible_posts(topic, user):
    conference = topic.conference
    return (
        Post.objects.filter(topic=topic)
        .filter(permissions.posts_filter(user, conference))
        .select_related(
            "author", "participant__country", "participant__organization", "quoted__author", "edited_by"
        )
        .prefetch_related("attachments")
        .annotate(open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
    )


def thread_tree(topic, user):
    """The topic's posts as threads: first posts (pinned first, then oldest first), each with ``children``
    (replies, oldest first, nested)."""
    posts = list(visible_posts(topic, user).order_by("created_at", "pk"))
    by_id = {post.pk: post for post in posts}
    roots = []
    for post in posts:
        post.children = []
    for post in posts:
        parent = by_id.get(post.parent_id)
        if parent is not None:
            parent.children.append(post)
        elif post.parent_id is None:
            roots.append(post)
    roots.sort(key=lambda p: (not p.is_pinned, p.created_at, p.pk))
    return roots


def moderation_queue(conference):
    """What waits for the moderators: registrations, posts to approve, flagged posts."""
    return {
        "participants": conference.participants.filter(status=ParticipantStatus.PENDING).select_related(
            "user", "country", "organization"
        ),
        "posts": Post.objects.filter(topic__conference=conference, status=PostStatus.PENDING)
        .select_related("author", "topic", "participant__country")
        .order_by("created_at"),
        "flagged": Post.objects.filter(
            topic__conference=conference,
            pk__in=Flag.objects.filter(resolved_at__isnull=True).values("post_id"),
        )
        .select_related("author", "topic")
        .prefetch_related(
            Prefetch("flags", queryset=Flag.objects.filter(resolved_at__isnull=True).select_related("user"))
        ),
    }


def region_of_countries():
    """``{country id: CBD regional group}`` (a country is in one group, or none)."""
    mapping = {}
    for region in Region.objects.filter(kind=RegionKind.CBD_GROUP).prefetch_related("countries"):
        for country in region.countries.all():
            mapping.setdefault(country.pk, region)
    return mapping


def participation_statistics(conference):
    """Approved participants and published posts, by CBD regional group, country and stakeholder type, and
    posts by language. Rows: ``{"key", "label", "participants", "posts"}``, largest first."""
    participants = list(
        Participant.objects.filter(conference=conference, status=ParticipantStatus.APPROVED).select_related(
            "country"
        )
    )
    posts = list(
        Post.objects.filter(topic__conference=conference, status=PostStatus.PUBLISHED).values_list(
            "participant_id", "language"
        )
    )
    regions = region_of_countries()
    by_participant = {p.pk: p for p in participants}
    posts_of = Counter(pid for pid, _lang in posts if pid in by_participant)

    def table(key_label):
        rows = {}
        for participant in participants:
            key, label = key_label(participant)
            row = rows.setdefault(key, {"key": key, "label": label, "participants": 0, "posts": 0})
            row["participants"] += 1
            row["posts"] += posts_of.get(participant.pk, 0)
        return sorted(rows.values(), key=lambda r: (-r["participants"], -r["posts"], str(r["label"])))

    def region_key(participant):
        region = regions.get(participant.country_id)
        return (region.code, str(region)) if region else ("", str(NO_GROUP))

    stakeholder_labels = dict(StakeholderType.choices)
    from django.conf import settings

    language_names = dict(settings.CONTENT_LANGUAGES)
    languages = Counter(lang for _pid, lang in posts)
    return {
        "participants": len(participants),
        "posts": len(posts),
        "posts_by_participants": sum(posts_of.values()),
        "posts_by_moderators": sum(1 for pid, _lang in posts if pid is None),
        "countries": len({p.country_id for p in participants}),
        "by_region": table(region_key),
        "by_country": table(lambda p: (p.country.iso2, p.country.name)),
        "by_stakeholder": table(lambda p: (p.stakeholder_type, str(stakeholder_labels[p.stakeholder_type]))),
        "by_language": [
            {"key": code, "label": str(language_names.get(code, code)), "posts": n}
            for code, n in languages.most_common()
        ],
    }


def moderation_queues(user, limit=10):
    """What waits for ``user`` as a moderator, across the conferences they moderate (all of them for the
    Secretariat): ``[{"conference", "participants", "posts", "flagged", "total"}]``, only conferences
    with something waiting, in a fixed number of queries whatever their number. ``participants``,
    ``posts`` and ``flagged`` hold at most ``limit`` rows each; the ``*_count`` keys give the totals."""
    if not (user and user.is_authenticated):
        return []
    conferences = Conference.objects.all()
    if not permissions.is_secretariat(user):
        ids = permissions.moderated_ids(user)
        if not ids:
            return []
        conferences = conferences.filter(pk__in=ids)
    scope = conferences.values("pk")
    open_flags = Flag.objects.filter(resolved_at__isnull=True, post__topic__conference__in=scope)
    rows = {}

    def row(conference_id):
        return rows.setdefault(
            conference_id,
            {"participants": [], "posts": [], "flagged": [], "participants_count": 0, "posts_count": 0},
        )

    for participant in (
        Participant.objects.filter(conference__in=scope, status=ParticipantStatus.PENDING)
        .select_related("user", "country")
        .order_by("created_at", "pk")
    ):
        entry = row(participant.conference_id)
        entry["participants_count"] += 1
        if len(entry["participants"]) < limit:
            entry["participants"].append(participant)
    for post in (
        Post.objects.filter(topic__conference__in=scope, status=PostStatus.PENDING)
        .select_related("author", "topic")
        .order_by("created_at", "pk")
    ):
        entry = row(post.topic.conference_id)
        entry["posts_count"] += 1
        if len(entry["posts"]) < limit:
            entry["posts"].append(post)
    flagged = (
        Post.objects.filter(pk__in=open_flags.values("post_id"))
        .select_related("author", "topic")
        .annotate(open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        .order_by("-open_flags", "created_at")
    )
    for post in flagged:
        entry = row(post.topic.conference_id)
        if len(entry["flagged"]) < limit:
            entry["flagged"].append(post)
        entry["flagged_count"] = entry.get("flagged_count", 0) + 1
    if not rows:
        return []
    by_id = {c.pk: c for c in Conference.objects.filter(pk__in=rows).select_related("organizer")}
    result = []
    for conference_id, entry in rows.items():
        conference = by_id[conference_id]
        for post in entry["posts"] + entry["flagged"]:
            post.topic.conference = conference
        entry.setdefault("flagged_count", 0)
        entry.update(
            conference=conference,
            total=entry["participants_count"] + entry["posts_count"] + entry["flagged_count"],
        )
        result.append(entry)
    result.sort(key=lambda e: (-e["total"], e["conference"].start_date))
    return result
