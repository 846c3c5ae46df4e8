"""Users and their roles, each role scoped to a country or an organization."""

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import COUNTRY_ROLES, Role


class User(AbstractUser):
    """A person using the platform. One name field, as people's names do not split the same everywhere."""

    first_name = None
    last_name = None
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.name or self.username

    def get_full_name(self):
        return self.name or self.username

    def get_short_name(self):
        return self.name or self.username

    # -- roles, read once per request -------------------------------------------------------------
    @cached_property
    def roles(self):
        """``{role: set of scope ids}``: countries for national roles, organizations for publishers."""
        found = {}
        if not self.is_authenticated or not self.pk:
            return found
        for role, country_id, organization_id in self.role_assignments.values_list(
            "role", "country_id", "organization_id"
        ):
            found.setdefault(role, set()).add(country_id or organization_id)
        return found

    @property
    def is_secretariat(self):
        return bool(self.is_active and (self.is_superuser or Role.ADMINISTRATOR in self.roles))

    def country_ids(self, *roles):
        roles = roles or tuple(COUNTRY_ROLES)
        return set().union(*(self.roles.get(r, set()) for r in roles))

    def organization_ids(self):
        return set(self.roles.get(Role.ORG_PUBLISHER, set()))


class RoleAssignment(models.Model):
    """A role a user holds, for a country (focal point, authorized user) or an organization (publisher)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    country = models.ForeignKey(
        "reference.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    organization = models.ForeignKey(
        "reference.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=[Role.FOCAL_POINT, Role.AUTHORIZED_USER], country__isnull=False)
                    | ~Q(role__in=[Role.FOCAL_POINT, Role.AUTHORIZED_USER])
                ),
                name="accounts_roleassignment_country_role_has_country",
                violation_error_message=_("A national role needs a country."),
            ),
            models.CheckConstraint(
                condition=Q(role=Role.ORG_PUBLISHER, organization__isnull=False)
                | ~Q(role=Role.ORG_PUBLISHER),
                name="accounts_roleassignment_publisher_has_organization",
                violation_error_message=_("An organization publisher needs an organization."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "country", "organization"],
                name="accounts_roleassignment_unique",
                violation_error_message=_("This user holds this role already."),
            ),
        ]

    def __str__(self):
        scope = self.country or self.organization
        return "{} — {}{}".format(self.user, self.get_role_display(), f" ({scope})" if scope else "")
