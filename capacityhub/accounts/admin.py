from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["country", "organization"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "name", "email", "is_staff", "is_active"]
    search_fields = ["username", "name", "email"]
    ordering = ["username"]
    actions = ["unlock_sign_in", "turn_off_two_factor"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("name", "email", "preferred_language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),
    )

    @admin.action(description=_("Unlock sign-in (forget failed sign-in attempts)"), permissions=["change"])
    def unlock_sign_in(self, request, queryset):
        attempts = sum(services.sign_in_unlock(user=user, actor=request.user) for user in queryset)
        self.message_user(
            request,
            ngettext(
                "Sign-in unlocked for {users} user ({attempts} failed attempts forgotten).",
                "Sign-in unlocked for {users} users ({attempts} failed attempts forgotten).",
                len(queryset),
            ).format(users=len(queryset), attempts=attempts),
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Turn off two-factor sign-in (for a user who lost their device)"),
        permissions=["change"],
    )
    def turn_off_two_factor(self, request, queryset):
        count = sum(services.two_factor_disable(user=user, actor=request.user) for user in queryset)
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in turned off for {count} user.",
                "Two-factor sign-in turned off for {count} users.",
                count,
            ).format(count=count),
            messages.SUCCESS,
        )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "country", "organization", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__name", "user__email"]
    autocomplete_fields = ["user", "country", "organization"]


def admin_login(request, extra_context=None):
    """The administration signs in through the platform's sign-in page, which asks for the two-factor code
    and counts failures for django-axes; the admin's own password-only form is never shown."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(reverse("admin:index"))
        raise PermissionDenied
    return redirect_to_login(next_url, login_url=reverse("accounts:login"))


admin.site.login = admin_login
