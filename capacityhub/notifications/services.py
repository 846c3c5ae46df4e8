"""Writes to subscriptions, and the sending of alerts and digests (through Django's mail framework)."""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from capacityhub.reference.choices import Vocabularies
from capacityhub.reference.models import Country, Term

from . import selectors
from .choices import FollowKind, Frequency
from .models import Follow, SavedSearch, SentItem

logger = logging.getLogger(__name__)
CANNOT_FOLLOW = gettext_lazy("This cannot be followed.")


def follow_kind(obj):
    """The kind of a follow of ``obj``, or ``None`` if it cannot be followed."""
    from capacityhub.conferences.models import Conference, Topic
    from capacityhub.core.models import Record

    if isinstance(obj, Country):
        return FollowKind.COUNTRY
    if isinstance(obj, Term):
        return FollowKind.AREA if obj.vocabulary.code == Vocabularies.THEMATIC_AREAS else None
    if isinstance(obj, Conference):
        return FollowKind.CONFERENCE
    if isinstance(obj, Topic):
        return FollowKind.TOPIC
    if isinstance(obj, Record) and getattr(type(obj), "record_type", None) is not None:
        return FollowKind.RECORD
    return None


def _can_see(user, obj):
    from capacityhub.conferences import permissions as conference_permissions
    from capacityhub.conferences.models import Conference, Topic
    from capacityhub.core import permissions as gate
    from capacityhub.core.models import Record

    if isinstance(obj, Conference):
        return conference_permissions.can_view(user, obj)
    if isinstance(obj, Topic):
        return conference_permissions.can_view(user, obj.conference)
    if isinstance(obj, Record):
        return gate.can(user, gate.VIEW, obj)
    return True


@transaction.atomic
def follow_create(*, target, actor, frequency=Frequency.DAILY):
    kind = follow_kind(target)
    if kind is None:
        raise ValidationError(CANNOT_FOLLOW)
    if not actor.is_authenticated or not _can_see(actor, target):
        raise PermissionDenied(CANNOT_FOLLOW)
    follow, _created = Follow.objects.get_or_create(
        user=actor,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        defaults={"kind": kind, "frequency": frequency},
    )
    return follow


@transaction.atomic
def follow_delete(*, follow, actor):
    if follow.user_id != actor.pk:
        raise PermissionDenied
    follow.delete()


@transaction.atomic
def saved_search_create(*, actor, record_type, query, name, frequency=Frequency.DAILY):
    if record_type not in selectors.list_types():
        raise ValidationError({"record_type": _("There is no such list.")})
    search = SavedSearch(user=actor, record_type=record_type, query=query, name=name, frequency=frequency)
    search.full_clean()
    search.save()
    return search


@transaction.atomic
def subscription_update(*, subscription, actor, frequency, name=None):
    """Change how often a saved search or a follow is sent (or stop its e-mails)."""
    if subscription.user_id != actor.pk:
        raise PermissionDenied
    if frequency not in Frequency.values:
        raise ValidationError(_("Choose how often to receive e-mails."))
    subscription.frequency = frequency
    if name is not None and isinstance(subscription, SavedSearch):
        subscription.name = name.strip() or subscription.name
    subscription.save()
    return subscription


@transaction.atomic
def saved_search_delete(*, search, actor):
    if search.user_id != actor.pk:
        raise PermissionDenied
    search.delete()


# -- sending ------------------------------------------------------------------------------------------------
def site_url():
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def _claim(user, sections, frequency):
    """Write the ledger rows of the items; keep only those nobody sent before (even concurrently)."""
    kept = []
    for section in sections:
        items = []
        for item in section.items:
            try:
                with transaction.atomic():
                    SentItem.objects.create(
                        user=user,
                        content_type=item.content_type,
                        object_id=item.object_id,
                        frequency=frequency,
                    )
            except IntegrityError:
                continue
            items.append(item)
        if items:
            section.items = items
            kept.append(section)
    return kept


def send_to_user(user, frequency):
    """Send ``user`` the new items of their ``frequency`` subscriptions, in one e-mail; return how many
    items were sent. The ledger rows and the e-mail are one transaction: if sending fails, nothing is
    marked as sent."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE), transaction.atomic():
        sections = selectors.pending_sections(user, frequency)
        sections = _claim(user, sections, frequency)
        count = sum(len(section.items) for section in sections)
        if not count:
            return 0
        from django.urls import reverse

        context = {
            "user": user,
            "sections": sections,
            "count": count,
            "digest": frequency == Frequency.DAILY,
            "site": site_url(),
            "manage_url": site_url() + reverse("notifications:subscriptions"),
        }
        if frequency == Frequency.DAILY:
            subject = _("CapacityHub daily digest: {count} new items").format(count=count)
        else:
            subject = _("CapacityHub: {count} new items you follow").format(count=count)
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("notifications/email/alert.txt", context),
            to=[user.email],
        )
        message.attach_alternative(render_to_string("notifications/email/alert.html", context), "text/html")
        message.send()
        return count


def send_all(frequency):
    """Send every subscriber of ``frequency`` their new items; return ``(users e-mailed, items)``."""
    users = items = 0
    for user in selectors.subscribers(frequency):
        try:
            sent = send_to_user(user, frequency)
        except Exception:  # one failing address must not stop the others; it is retried next time
            logger.exception("Sending %s e-mail to user %s failed", frequency, user.pk)
            continue
        if sent:
            users += 1
            items += sent
    return users, items
