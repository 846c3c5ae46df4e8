"""What triggers immediate alerts: a record version in the published state, a conference post becoming
visible. Connected by the app's ``ready()``."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from capacityhub.conferences.services import post_published
from capacityhub.core.choices import Status
from capacityhub.core.models import Version

from .tasks import schedule_alerts


@receiver(post_save, sender=Version, dispatch_uid="notifications_version_saved")
def version_saved(sender, instance, created, **kwargs):
    if created and instance.status == Status.PUBLISHED and not kwargs.get("raw"):
        schedule_alerts()


@receiver(post_published, dispatch_uid="notifications_post_published")
def post_became_visible(sender, post, **kwargs):
    schedule_alerts()
