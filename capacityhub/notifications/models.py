"""Subscriptions: saved searches on any list, follows of records, countries, areas, conferences and their
topics, and the ledger of what was sent to whom, which guarantees that nobody gets the same item twice."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import FollowKind, Frequency


class SavedSearch(models.Model):
    """A list's search and filters, saved: new published records that match are sent to its owner."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    record_type = models.CharField(
        _("list"), max_length=40, help_text=_("The key of the record type whose list is searched.")
    )
    query = models.TextField(_("search and filters"), blank=True, help_text=_("The list's query string."))
    name = models.CharField(_("name"), max_length=200)
    frequency = models.CharField(
        _("e-mail"), max_length=12, choices=Frequency.choices, default=Frequency.DAILY
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["user", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "record_type", "query"],
                name="notifications_savedsearch_unique",
                violation_error_message=_("You saved this search already."),
            )
        ]

    def __str__(self):
        return self.name


class Follow(models.Model):
    """A user follows a record (its new versions), a country or a capacity-building area (new records about
    it), or a conference or one of its topics (new posts)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="follows"
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("type"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("id"))
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=12, choices=FollowKind.choices, editable=False)
    frequency = models.CharField(
        _("e-mail"), max_length=12, choices=Frequency.choices, default=Frequency.DAILY
    )
    created_at = models.DateTimeField(_("followed since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["user", "kind", "created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="notifications_follow_target")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"],
                name="notifications_follow_unique",
                violation_error_message=_("You follow this already."),
            )
        ]

    def __str__(self):
        return "{} → {}".format(self.user, self.target)


class SentItem(models.Model):
    """The ledger: one row per item (a record, a version of a followed record, a post) sent to a user, by
    alert or digest. The unique constraint is what makes “never the same item twice” hold, even when two
    senders run at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="sent_items"
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("type"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("id"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    frequency = models.CharField(_("sent as"), max_length=12, choices=Frequency.choices)

    class Meta:
        verbose_name = _("sent item")
        verbose_name_plural = _("sent items")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"],
                name="notifications_sentitem_once",
                violation_error_message=_("This item was sent to this user already."),
            )
        ]

    def __str__(self):
        return "{} ← {} #{}".format(self.user, self.content_type, self.object_id)
