"""The home page and the signed-in user's dashboard."""

import datetime

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from . import permissions, selectors
from .choices import Status
from .registry import registry


class HomeView(TemplateView):
    """What is new, what the platform holds, and where to start."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        published = {
            key: selectors.visible(registry[key], user).filter(status=Status.PUBLISHED)
            for key in (*HOME_COUNTS, "countryprofile")
        }
        today = timezone.localdate()
        context.update(
            counts=[(registry[key], published[key].count()) for key in HOME_COUNTS],
            latest_initiatives=published["initiative"]
            .select_related("activity_status")
            .prefetch_related("countries")
            .order_by("-published_at")[:6],
            upcoming_opportunities=published["opportunity"]
            .filter(application_deadline__gte=today)
            .select_related("kind")
            .order_by("application_deadline")[:5],
            latest_resources=published["resource"]
            .select_related("resource_type")
            .order_by("-published_at")[:5],
            latest_needs=published["need"].select_related("country").order_by("-published_at")[:5],
        )
        return context


HOME_COUNTS = (
    "initiative",
    "need",
    "opportunity",
    "resource",
    "expert",
    "organization",
    "meeting",
    "decision",
    "conference",
)


class DashboardView(LoginRequiredMixin, TemplateView):
    """What waits for the user: records to review, their drafts, experts about to leave the roster, the
    moderation queue of the conferences they moderate, and (through ``coordination/_my_quality.html``)
    their records to update."""

    template_name = "core/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        to_review, drafts = [], []
        for rt in registry:
            model = rt.model
            reviewable = permissions.restrict(model.objects.all(), user, permissions.PUBLISH).filter(
                status=Status.SUBMITTED
            )
            to_review += [(rt, r) for r in reviewable.order_by("-updated_at")[:50]]
            mine = permissions.restrict(model.objects.all(), user, permissions.CHANGE).filter(
                status=Status.DRAFT
            )
            drafts += [(rt, r) for r in mine.order_by("-updated_at")[:50]]
        expert_type = registry["expert"]
        from capacityhub.registry.filtersets import roster_cutoff

        warning = datetime.timedelta(days=settings.EXPERT_EXPIRY_WARNING_DAYS)
        expiring = (
            permissions.restrict(expert_type.model.objects.all(), user, permissions.ARCHIVE)
            .filter(nominated_at__gte=roster_cutoff(), nominated_at__lte=roster_cutoff() + warning)
            .select_related("country")
            .order_by("nominated_at")
        )
        from capacityhub.conferences.selectors import moderation_queues

        context.update(
            moderation=moderation_queues(user),
            to_review=to_review,
            drafts=drafts,
            expiring_experts=expiring,
            role_assignments=user.role_assignments.select_related("country", "organization"),
        )
        return context
