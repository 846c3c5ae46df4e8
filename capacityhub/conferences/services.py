"""Writes to online conferences. Each is a keyword-only ``<entity>_<verb>(*, …, actor)`` in one transaction
that asks :mod:`.permissions`, and writes a :class:`ConferenceEvent` (the moderation log); changes to the
conference record itself also write a version (``core.models.Version``) and keep its search entry."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacityhub.core.choices import Status, VersionAction
from capacityhub.core.search import index_record
from capacityhub.core.services import EditConflict, write_version

from . import permissions
from .choices import EventAction, ParticipantStatus, PostStatus
from .models import (
    Attachment,
    BackgroundDocument,
    Conference,
    ConferenceEvent,
    ConferenceModerator,
    Flag,
    Objective,
    Participant,
    Post,
    PostRevision,
    Topic,
)

#: Sent (after the transaction commits) when a post becomes visible to readers: ``post``.
post_published = Signal()

NOT_MODERATOR = _("Only the conference's moderators may do this.")
RATE_LIMITED = _("You are posting too fast: wait a few minutes before posting again.")
DEFAULT_RATE = (5, 300)  # posts, seconds


def log(conference, actor, action, *, post=None, subject="", **detail):
    """Write one entry of the conference's moderation log."""
    return ConferenceEvent.objects.create(
        conference=conference,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        post=post,
        subject=str(subject)[:300],
        detail=detail,
    )


def _require_moderator(actor, conference):
    if not permissions.is_moderator(actor, conference):
        raise PermissionDenied(NOT_MODERATOR)


def _announce(post):
    transaction.on_commit(lambda: post_published.send(sender=Post, post=post))


# -- the conference -----------------------------------------------------------------------------------------
@transaction.atomic
def conference_save(*, conference, actor, base_revision=None, save_related=None):
    """Create or edit a conference (its texts, window, settings), with a version of the record."""
    adding = conference._state.adding
    if adding:
        if actor is not None and not permissions.can_create(actor):
            raise PermissionDenied(_("Only the Secretariat and conference moderators create conferences."))
        conference.revision = 1
        conference.created_by = actor
    else:
        current = (
            Conference._base_manager.select_for_update()
            .values_list("revision", flat=True)
            .get(pk=conference.pk)
        )
        if actor is not None and not permissions.can_edit(
            actor, Conference._base_manager.get(pk=conference.pk)
        ):
            raise PermissionDenied(NOT_MODERATOR)
        if base_revision is not None and int(base_revision) != current:
            raise EditConflict(conference, int(base_revision), current)
        conference.revision = current + 1
    conference.updated_by = actor
    conference.full_clean()
    conference.save()
    if save_related:
        save_related(conference)
    if adding and actor is not None:
        ConferenceModerator.objects.get_or_create(conference=conference, user=actor)
        permissions.forget(actor)
    write_version(conference, actor=actor, action=VersionAction.CREATED if adding else VersionAction.EDITED)
    index_record(conference)
    log(
        conference,
        actor,
        EventAction.CONFERENCE_CREATED if adding else EventAction.CONFERENCE_EDITED,
        subject=conference.display_title(),
    )
    return conference


def _record_event(conference, actor, action, comment=""):
    conference.revision += 1
    conference.updated_by = actor
    conference.save()
    write_version(conference, actor=actor, action=action, comment=str(comment))


@transaction.atomic
def conference_publish(*, conference, actor):
    """Make a conference public (its page, registration, then the discussion when the window opens)."""
    conference = Conference._base_manager.select_for_update().get(pk=conference.pk)
    if actor is not None and not permissions.can_publish(actor, conference):
        raise PermissionDenied(NOT_MODERATOR)
    conference.status = Status.PUBLISHED
    conference.published_at = conference.published_at or timezone.now()
    _record_event(conference, actor, VersionAction.PUBLISHED)
    index_record(conference)
    log(conference, actor, EventAction.CONFERENCE_PUBLISHED, subject=conference.display_title())
    return conference


@transaction.atomic
def conference_close(*, conference, actor):
    """Close the conference before its window ends: from now on it is a read-only archive."""
    conference = Conference._base_manager.select_for_update().get(pk=conference.pk)
    _require_moderator(actor, conference)
    if conference.closed_at:
        return conference
    conference.closed_at = timezone.now()
    conference.closed_by = actor if actor is not None and actor.is_authenticated else None
    _record_event(conference, actor, VersionAction.EDITED, _("Conference closed."))
    log(conference, actor, EventAction.CONFERENCE_CLOSED, subject=conference.display_title())
    return conference


@transaction.atomic
def conference_reopen(*, conference, actor):
    conference = Conference._base_manager.select_for_update().get(pk=conference.pk)
    _require_moderator(actor, conference)
    conference.closed_at, conference.closed_by = None, None
    _record_event(conference, actor, VersionAction.EDITED, _("Conference reopened."))
    log(conference, actor, EventAction.CONFERENCE_REOPENED, subject=conference.display_title())
    return conference


@transaction.atomic
def moderator_add(*, conference, user, actor):
    _require_moderator(actor, conference)
    row, created = ConferenceModerator.objects.get_or_create(conference=conference, user=user)
    permissions.forget(user)
    if created:
        log(conference, actor, EventAction.MODERATOR_ADDED, subject=str(user), user=user.pk)
    return row


@transaction.atomic
def moderator_remove(*, conference, user, actor):
    _require_moderator(actor, conference)
    if ConferenceModerator.objects.filter(conference=conference).count() <= 1:
        raise ValidationError(_("A conference keeps at least one moderator."))
    ConferenceModerator.objects.filter(conference=conference, user=user).delete()
    permissions.forget(user)
    log(conference, actor, EventAction.MODERATOR_REMOVED, subject=str(user), user=user.pk)


@transaction.atomic
def objective_save(*, objective: Objective, actor):
    _require_moderator(actor, objective.conference)
    objective.full_clean()
    objective.save()
    log(objective.conference, actor, EventAction.CONFERENCE_EDITED, subject=str(objective))
    return objective


@transaction.atomic
def topic_save(*, topic: Topic, actor):
    _require_moderator(actor, topic.conference)
    topic.full_clean()
    topic.save()
    log(topic.conference, actor, EventAction.TOPIC_SAVED, subject=str(topic))
    return topic


@transaction.atomic
def document_add(*, document: BackgroundDocument, actor, checked=None):
    """Add a background document (``checked``: what ``validate_upload`` said of its file)."""
    _require_moderator(actor, document.conference)
    if checked:
        _kind, document.content_type, document.size, document.sha256 = checked
    document.full_clean()
    document.save()
    log(document.conference, actor, EventAction.DOCUMENT_ADDED, subject=str(document))
    return document


def _removal(conference, actor, action, subject, comment, **detail):
    """What every removal leaves behind: a version of the conference saying what was removed (its
    history page) and an entry of the moderation log holding the removed texts."""
    conference = Conference._base_manager.select_for_update().get(pk=conference.pk)
    _record_event(conference, actor, VersionAction.EDITED, comment)
    log(conference, actor, action, subject=subject, **detail)


def _delete_file_after_commit(field_file):
    if field_file:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def objective_remove(*, objective: Objective, actor):
    """Remove an objective (moderators); the conference's history and log keep its text."""
    conference = objective.conference
    _require_moderator(actor, conference)
    text = dict(objective.text or {})
    objective.delete()
    _removal(
        conference,
        actor,
        EventAction.OBJECTIVE_REMOVED,
        str(objective),
        str(_("Objective removed: {}")).format(objective),
        number=objective.number,
        text=text,
    )


TOPIC_HAS_POSTS = _(
    "This topic has posts: it cannot be removed, or the discussion would be lost. Close it instead."
)


@transaction.atomic
def topic_remove(*, topic: Topic, actor):
    """Remove a topic without posts, with its background documents (moderators); the conference's history
    and log keep its title, description and dates."""
    conference = topic.conference
    _require_moderator(actor, conference)
    if Post.objects.filter(topic=topic).exists():
        raise ValidationError(TOPIC_HAS_POSTS, code="has_posts")
    documents = list(topic.documents.all())
    detail = {
        "number": topic.number,
        "title": dict(topic.title or {}),
        "description": dict(topic.description or {}),
        "start_date": topic.start_date.isoformat() if topic.start_date else None,
        "end_date": topic.end_date.isoformat() if topic.end_date else None,
        "documents": [str(d) for d in documents],
    }
    subject = str(topic)
    for document in documents:
        _delete_file_after_commit(document.file)
    topic.delete()
    _removal(
        conference,
        actor,
        EventAction.TOPIC_REMOVED,
        subject,
        str(_("Topic removed: {}")).format(subject),
        **detail,
    )


@transaction.atomic
def document_remove(*, document: BackgroundDocument, actor):
    """Remove a background document and its file (moderators); the history and log keep its title."""
    conference = document.conference
    _require_moderator(actor, conference)
    subject = str(document)
    detail = {
        "title": dict(document.title or {}),
        "file": document.filename,
        "url": document.url,
        "sha256": document.sha256,
    }
    _delete_file_after_commit(document.file)
    document.delete()
    _removal(
        conference,
        actor,
        EventAction.DOCUMENT_REMOVED,
        subject,
        str(_("Background document removed: {}")).format(subject),
        **detail,
    )


# -- participants -------------------------------------------------------------------------------------------
@transaction.atomic
def participant_register(*, participant: Participant, actor):
    """Register ``actor`` in a conference with their profile; a moderator then approves."""
    conference = participant.conference
    if participant.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("You register yourself only."))
    if not permissions.can_register(actor, conference):
        if permissions.participant_of(actor, conference) is not None:
            raise ValidationError(_("You are registered in this conference already."))
        raise ValidationError(_("Registration for this conference is closed."))
    participant.status = ParticipantStatus.PENDING
    participant.full_clean()
    participant.save()
    permissions.forget(actor)
    log(conference, actor, EventAction.PARTICIPANT_REGISTERED, subject=str(participant.user))
    return participant


@transaction.atomic
def participant_decide(*, participant: Participant, approve: bool, actor):
    """Approve (or decline) a registration."""
    _require_moderator(actor, participant.conference)
    participant.status = ParticipantStatus.APPROVED if approve else ParticipantStatus.DECLINED
    participant.decided_by = actor
    participant.decided_at = timezone.now()
    participant.save(update_fields=["status", "decided_by", "decided_at"])
    permissions.forget(participant.user)
    action = EventAction.PARTICIPANT_APPROVED if approve else EventAction.PARTICIPANT_DECLINED
    log(participant.conference, actor, action, subject=str(participant.user))
    return participant


# -- posts --------------------------------------------------------------------------------------------------
def rate_limit(user):
    """Refuse a post when ``user`` posted too many in a short time (per user, in the cache)."""
    count, seconds = getattr(settings, "CONFERENCE_POST_RATE", DEFAULT_RATE)
    key = "conferences:rate:{}".format(user.pk)
    if cache.add(key, 1, timeout=seconds):
        return
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return
    if used > count:
        raise ValidationError(RATE_LIMITED, code="rate_limited")


def _needs_premoderation(author, participant, conference):
    if permissions.is_moderator(author, conference) or participant is None:
        return False
    approved = Post.objects.filter(participant=participant, status=PostStatus.PUBLISHED).count()
    return approved < conference.premoderated_posts


@transaction.atomic
def post_create(*, topic, actor, body, language, subject="", parent=None, quoted=None, files=(), today=None):
    """Post in a topic, or reply to ``parent``; ``files`` are ``(upload, checked)`` pairs whose uploads
    passed ``validate_upload``. Refused outside the window, in closed topics and threads, and when the
    author posts too fast. A new participant's first posts wait for a moderator."""
    conference = topic.conference
    refusal = permissions.posting_refusal(actor, topic, parent=parent, today=today)
    if refusal:
        raise ValidationError(refusal, code="refused")
    if parent is not None and parent.topic_id != topic.pk:
        raise ValidationError(_("A reply belongs to the topic of the post it answers."))
    if quoted is not None and quoted.topic.conference_id != conference.pk:
        raise ValidationError(_("You can quote posts of this conference only."))
    if language not in dict(settings.CONTENT_LANGUAGES):
        raise ValidationError({"language": _("Choose the language of your post.")})
    if not permissions.is_moderator(actor, conference):
        rate_limit(actor)
    participant = permissions.participant_of(actor, conference)
    post = Post(
        topic=topic,
        author=actor,
        participant=participant if participant and participant.is_approved else None,
        parent=parent,
        quoted=quoted,
        subject=subject.strip(),
        body=body.strip(),
        language=language,
        status=PostStatus.PUBLISHED,
    )
    if _needs_premoderation(actor, post.participant, conference):
        post.status = PostStatus.PENDING
    post.full_clean()
    post.save()
    for upload, checked in files:
        attachment_add(post=post, upload=upload, checked=checked)
    log(
        conference,
        actor,
        EventAction.POST_CREATED,
        post=post,
        subject=post.display_title(),
        status=post.status,
    )
    if post.is_published:
        _announce(post)
    return post


def attachment_add(*, post, upload, checked):
    _kind, content_type, size, digest = checked
    attachment = Attachment(post=post, content_type=content_type, size=size, sha256=digest)
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def post_edit(*, post, actor, body, language, subject="", today=None):
    """Edit a post; the previous text is kept as a revision (its edit history)."""
    post = Post.objects.select_for_update(of=("self",)).select_related("topic__conference").get(pk=post.pk)
    if not permissions.can_edit_post(actor, post, today=today):
        raise PermissionDenied(_("You may not edit this post."))
    PostRevision.objects.create(
        post=post,
        number=post.revision,
        subject=post.subject,
        body=post.body,
        language=post.language,
        written_by=post.edited_by or post.author,
        written_at=post.edited_at or post.created_at,
    )
    post.subject, post.body, post.language = subject.strip(), body.strip(), language
    post.revision += 1
    post.edited_at, post.edited_by = timezone.now(), actor
    post.full_clean()
    post.save()
    log(post.topic.conference, actor, EventAction.POST_EDITED, post=post, subject=post.display_title())
    return post


@transaction.atomic
def post_moderate(*, post, actor, action, reason=""):
    """A moderator's action on a post: ``approve``, ``hide`` (with a reason shown to readers), ``restore``,
    ``pin``/``unpin``, ``lock``/``unlock`` (close or reopen its thread), ``key``/``unkey`` (mark a key
    contribution for the outcome)."""
    post = Post.objects.select_for_update(of=("self",)).select_related("topic__conference").get(pk=post.pk)
    conference = post.topic.conference
    _require_moderator(actor, conference)
    was_published = post.is_published
    event = {
        "approve": EventAction.POST_APPROVED,
        "hide": EventAction.POST_HIDDEN,
        "restore": EventAction.POST_RESTORED,
        "pin": EventAction.POST_PINNED,
        "unpin": EventAction.POST_UNPINNED,
        "lock": EventAction.THREAD_CLOSED,
        "unlock": EventAction.THREAD_REOPENED,
        "key": EventAction.POST_KEY,
        "unkey": EventAction.POST_KEY,
    }.get(action)
    if event is None:
        raise ValidationError(_("Unknown action."))
    if action == "approve":
        post.status = PostStatus.PUBLISHED
    elif action == "hide":
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the post is hidden; readers see the reason.")})
        post.status, post.hidden_reason = PostStatus.HIDDEN, reason.strip()
        _resolve_flags(post, actor)
    elif action == "restore":
        post.status, post.hidden_reason = PostStatus.PUBLISHED, ""
    elif action in ("pin", "unpin"):
        post.is_pinned = action == "pin"
    elif action in ("lock", "unlock"):
        if post.parent_id is not None:
            raise ValidationError(_("Close the thread from its first post."))
        post.is_locked = action == "lock"
    elif action in ("key", "unkey"):
        post.is_key = action == "key"
    if action in ("approve", "hide", "restore"):
        post.moderated_by, post.moderated_at = actor, timezone.now()
    post.save()
    log(
        conference,
        actor,
        event,
        post=post,
        subject=post.display_title(),
        reason=reason.strip(),
        verb=action,
    )
    if post.is_published and not was_published:
        _announce(post)
    return post


def _resolve_flags(post, actor):
    post.flags.filter(resolved_at__isnull=True).update(resolved_at=timezone.now(), resolved_by=actor)


@transaction.atomic
def flag_create(*, post, actor, reason):
    if not permissions.can_flag(actor, post):
        raise PermissionDenied(_("You may not flag this post."))
    if Flag.objects.filter(post=post, user=actor).exists():
        raise ValidationError(_("You flagged this post already."))
    flag = Flag(post=post, user=actor, reason=reason.strip()[:500])
    flag.full_clean()
    flag.save()
    log(
        post.topic.conference,
        actor,
        EventAction.POST_FLAGGED,
        post=post,
        subject=post.display_title(),
        reason=flag.reason,
    )
    return flag


@transaction.atomic
def flags_resolve(*, post, actor):
    """Dismiss the open flags of a post (the post stays as it is)."""
    _require_moderator(actor, post.topic.conference)
    _resolve_flags(post, actor)
    log(post.topic.conference, actor, EventAction.FLAGS_RESOLVED, post=post, subject=post.display_title())


# -- topics: closing and conclusions ------------------------------------------------------------------------
@transaction.atomic
def topic_close(*, topic, actor, closed=True):
    _require_moderator(actor, topic.conference)
    topic.is_closed = closed
    topic.save(update_fields=["is_closed"])
    log(
        topic.conference,
        actor,
        EventAction.TOPIC_CLOSED if closed else EventAction.TOPIC_REOPENED,
        subject=str(topic),
    )
    return topic


@transaction.atomic
def topic_conclude(*, topic, actor, conclusion):
    """Write (or rewrite) the moderator's conclusion of a topic."""
    _require_moderator(actor, topic.conference)
    topic.conclusion = conclusion
    topic.conclusion_by = actor
    topic.conclusion_at = timezone.now()
    topic.full_clean()
    topic.save()
    log(topic.conference, actor, EventAction.CONCLUSION_SAVED, subject=str(topic))
    return topic
