"""Who may do what in online conferences — the one place pages, the API and the digests ask.

- The conference itself is a record: the record gate (``core.permissions``) decides who sees a draft and
  who edits it; in addition its moderators see and manage it. The Secretariat and users holding the
  “conference moderator” role create conferences (and become their moderators).
- Moderators (the conference's :class:`ConferenceModerator` rows, and the Secretariat) approve
  registrations and posts, hide, pin, close threads and topics, write conclusions, close the conference and
  compile its outcome.
- Approved participants and moderators post, inside the window only (the topic's, within the
  conference's), never in a closed topic or thread, never after the conference closed.
- Everyone may read a published conference's discussions unless they are restricted to participants;
  posts waiting for approval are seen by their author and moderators only; a hidden post shows its reason
  in place of its text (moderators still see the text).
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacityhub.accounts.choices import Role
from capacityhub.core import permissions as gate
from capacityhub.core.choices import Status

from .choices import ConferencePhase, ParticipantStatus, PostStatus
from .models import ConferenceModerator, Participant, posting_window

REFUSED_NOT_PARTICIPANT = _("Only approved participants of this conference may post.")
REFUSED_UPCOMING = _("The discussion opens on {date}; you cannot post before.")
REFUSED_ARCHIVED = _("The conference is closed: it is a read-only archive now.")
REFUSED_TOPIC_WINDOW = _("This topic is open for posts from {opens} to {closes}.")
REFUSED_TOPIC_CLOSED = _("This topic is closed: no new posts.")
REFUSED_THREAD_LOCKED = _("This thread is closed: no more replies.")
REFUSED_NOT_PUBLISHED = _("The conference is not published yet.")


def _authenticated(user):
    return bool(user and user.is_authenticated)


def is_secretariat(user):
    return _authenticated(user) and user.is_secretariat


def moderated_ids(user):
    """Ids of the conferences ``user`` moderates (read once per request)."""
    if not _authenticated(user):
        return set()
    cached = getattr(user, "_moderated_conference_ids", None)
    if cached is None:
        cached = set(ConferenceModerator.objects.filter(user=user).values_list("conference_id", flat=True))
        user._moderated_conference_ids = cached
    return cached


def forget(user):
    """Drop what was read of ``user``'s conference roles (after an appointment or a registration)."""
    if user is not None:
        user.__dict__.pop("_moderated_conference_ids", None)
        user.__dict__.pop("_participants", None)


def is_moderator(user, conference):
    return is_secretariat(user) or (conference.pk in moderated_ids(user))


def can_create(user):
    return is_secretariat(user) or (_authenticated(user) and Role.MODERATOR in user.roles)


def visible(queryset, user):
    """Conferences ``user`` may see: the record gate's, plus those they moderate."""
    if is_secretariat(user):
        return queryset
    allowed = gate.restrict(queryset, user, gate.VIEW)
    ids = moderated_ids(user)
    if ids:
        return queryset.filter(Q(pk__in=allowed.values("pk")) | Q(pk__in=ids))
    return allowed


def can_view(user, conference):
    return is_moderator(user, conference) or gate.can(user, gate.VIEW, conference)


def can_edit(user, conference):
    return is_moderator(user, conference) or gate.can(user, gate.CHANGE, conference)


def can_publish(user, conference):
    return conference.status in (Status.DRAFT, Status.SUBMITTED) and (
        is_moderator(user, conference) or gate.can(user, gate.PUBLISH, conference)
    )


def participant_of(user, conference):
    """``user``'s registration in ``conference`` (any status), or ``None``."""
    if not _authenticated(user):
        return None
    cache = user.__dict__.setdefault("_participants", {})
    if conference.pk not in cache:
        cache[conference.pk] = Participant.objects.filter(conference=conference, user=user).first()
    return cache[conference.pk]


def is_approved_participant(user, conference):
    participant = participant_of(user, conference)
    return participant is not None and participant.status == ParticipantStatus.APPROVED


def can_register(user, conference, today=None):
    return (
        _authenticated(user)
        and conference.status == Status.PUBLISHED
        and conference.registration_open
        and not conference.is_archive(today)
        and participant_of(user, conference) is None
    )


def can_read_posts(user, conference):
    if not can_view(user, conference):
        return False
    return (
        conference.posts_public or is_moderator(user, conference) or is_approved_participant(user, conference)
    )


def posts_filter(user, conference):
    """A ``Q`` on posts: what ``user`` sees of ``conference``'s discussions (hidden posts are listed, with
    their reason; their text is shown to moderators only)."""
    if is_moderator(user, conference):
        return Q()
    shown = Q(status__in=[PostStatus.PUBLISHED, PostStatus.HIDDEN])
    if _authenticated(user):
        shown |= Q(status=PostStatus.PENDING, author=user)
    return shown


def posting_refusal(user, topic, parent=None, today=None):
    """Why ``user`` may not post in ``topic`` (or reply to ``parent``) today, or ``None`` if they may."""
    conference = topic.conference
    today = today or timezone.localdate()
    if conference.status != Status.PUBLISHED:
        return REFUSED_NOT_PUBLISHED
    if not (is_moderator(user, conference) or is_approved_participant(user, conference)):
        return REFUSED_NOT_PARTICIPANT
    phase = conference.phase(today)
    if phase == ConferencePhase.ARCHIVED:
        return REFUSED_ARCHIVED
    if phase == ConferencePhase.UPCOMING:
        return REFUSED_UPCOMING.format(date=conference.start_date.isoformat())
    opens, closes = posting_window(conference, topic)
    if not opens <= today <= closes:
        return REFUSED_TOPIC_WINDOW.format(opens=opens.isoformat(), closes=closes.isoformat())
    if topic.is_closed:
        return REFUSED_TOPIC_CLOSED
    if parent is not None:
        root = parent if parent.parent_id is None else thread_root(parent)
        if root.is_locked:
            return REFUSED_THREAD_LOCKED
    return None


def thread_root(post):
    while post.parent_id is not None:
        post = post.parent
    return post


def can_edit_post(user, post, today=None):
    conference = post.topic.conference
    if is_moderator(user, conference):
        return True
    return (
        _authenticated(user)
        and post.author_id == user.pk
        and post.status != PostStatus.HIDDEN
        and not conference.is_archive(today)
    )


def can_flag(user, post):
    return _authenticated(user) and post.author_id != user.pk and post.status == PostStatus.PUBLISHED


def can_see_post_text(user, post):
    return post.status != PostStatus.HIDDEN or is_moderator(user, post.topic.conference)
