from django.db import models
from django.utils.translation import gettext_lazy as _


class StakeholderType(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organization")
    DONOR = "donor", _("Donor or funding agency")
    NGO = "ngo", _("Non-governmental organization")
    ACADEMIA = "academia", _("Academia and research")
    PRIVATE = "private", _("Private sector")
    INDIGENOUS = "indigenous", _("Indigenous peoples and local communities")
    OTHER = "other", _("Other")


class ParticipantStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class PostStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by a moderator")


class ConferencePhase(models.TextChoices):
    """Where a published conference stands, from its window and whether a moderator closed it."""

    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open for discussion")
    ARCHIVED = "archived", _("Closed: read-only archive")


class EventAction(models.TextChoices):
    CONFERENCE_CREATED = "conference_created", _("Conference created")
    CONFERENCE_EDITED = "conference_edited", _("Conference edited")
    CONFERENCE_PUBLISHED = "conference_published", _("Conference published")
    CONFERENCE_CLOSED = "conference_closed", _("Conference closed")
    CONFERENCE_REOPENED = "conference_reopened", _("Conference reopened")
    MODERATOR_ADDED = "moderator_added", _("Moderator added")
    MODERATOR_REMOVED = "moderator_removed", _("Moderator removed")
    TOPIC_SAVED = "topic_saved", _("Topic saved")
    DOCUMENT_ADDED = "document_added", _("Background document added")
    DOCUMENT_REMOVED = "document_removed", _("Background document removed")
    OBJECTIVE_REMOVED = "objective_removed", _("Objective removed")
    TOPIC_REMOVED = "topic_removed", _("Topic removed")
    PARTICIPANT_REGISTERED = "participant_registered", _("Participant registered")
    PARTICIPANT_APPROVED = "participant_approved", _("Participant approved")
    PARTICIPANT_DECLINED = "participant_declined", _("Participant declined")
    POST_CREATED = "post_created", _("Post written")
    POST_EDITED = "post_edited", _("Post edited")
    POST_APPROVED = "post_approved", _("Post approved")
    POST_HIDDEN = "post_hidden", _("Post hidden")
    POST_RESTORED = "post_restored", _("Post shown again")
    POST_PINNED = "post_pinned", _("Post pinned")
    POST_UNPINNED = "post_unpinned", _("Post unpinned")
    POST_KEY = "post_key", _("Post marked as a key contribution")
    POST_FLAGGED = "post_flagged", _("Post flagged")
    FLAGS_RESOLVED = "flags_resolved", _("Flags resolved")
    THREAD_CLOSED = "thread_closed", _("Thread closed")
    THREAD_REOPENED = "thread_reopened", _("Thread reopened")
    TOPIC_CLOSED = "topic_closed", _("Topic closed")
    TOPIC_REOPENED = "topic_reopened", _("Topic reopened")
    CONCLUSION_SAVED = "conclusion_saved", _("Conclusion written")
    OUTCOME_COMPILED = "outcome_compiled", _("Outcome compiled")
