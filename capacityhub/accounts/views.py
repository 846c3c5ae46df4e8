import math

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, UpdateView
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services, twofactor
from .forms import (
    LocalizedPasswordResetForm,
    OTPCodeForm,
    PasswordConfirmForm,
    ProfileForm,
    SignUpForm,
    TwoFactorSetupForm,
)


class SignUpView(FormView):
    template_name = "accounts/signup.html"
    form_class = SignUpForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("core:dashboard")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"preferred_language": translation.get_language()}

    def form_valid(self, form):
        user = services.user_sign_up(form=form)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(self.request, _("Welcome! Your account is ready."))
        return redirect("core:dashboard")


class ProfileView(LoginRequiredMixin, UpdateView):
    template_name = "accounts/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("accounts:profile")
    # Not "user": the template's "user" stays the signed-in user, whatever a rejected form holds.
    context_object_name = "profile_user"

    def get_object(self, queryset=None):
        # A copy: a rejected form must not change the user shown in the page's header.
        return get_user_model().objects.get(pk=self.request.user.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        enabled = twofactor.has_two_factor(user)
        context["two_factor"] = {
            "eligible": enabled or twofactor.is_eligible(user),
            "enabled": enabled,
            "backup_codes_left": twofactor.backup_codes_left(user) if enabled else 0,
        }
        return context

    def form_valid(self, form):
        messages.success(self.request, _("Your profile was saved."))
        return super().form_valid(form)


# -- signing in ------------------------------------------------------------------------------------------
class SignInView(auth_views.LoginView):
    """The password step. A user with two-factor sign-in is not signed in yet: they owe a code."""

    template_name = "accounts/login.html"

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.has_two_factor(user):
            twofactor.pending_begin(self.request, user, self.get_success_url())
            return redirect("accounts:login_verify")
        return super().form_valid(form)


class SignInVerifyView(FormView):
    """The second step: a code from the authenticator app or a backup code."""

    template_name = "accounts/login_verify.html"
    form_class = OTPCodeForm

    def dispatch(self, request, *args, **kwargs):
        self.pending = twofactor.pending_user(request)
        if self.pending is None:
            twofactor.pending_clear(request)
            messages.info(request, _("Please enter your user name and password again."))
            return redirect("accounts:login")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        request, user = self.request, self.pending
        wait = twofactor.throttle_wait(user, form.cleaned_data["code"])
        if wait:
            form.add_error(
                "code",
                translation.ngettext(
                    "After a wrong code, wait {seconds} second before typing the next one.",
                    "After a wrong code, wait {seconds} seconds before typing the next one.",
                    wait,
                ).format(seconds=wait),
            )
            return self.form_invalid(form)
        device = twofactor.match_code(user, form.cleaned_data["code"])
        if device is None:
            # A wrong code counts as a failed sign-in for django-axes too, so guessing codes locks out.
            user_login_failed.send(
                sender=__name__,
                credentials={settings.AXES_USERNAME_FORM_FIELD: user.get_username()},
                request=request,
            )
            if twofactor.pending_failure(request):
                twofactor.pending_clear(request)
                messages.error(request, _("Too many wrong codes. Please sign in again."))
                return redirect("accounts:login")
            form.add_error(
                "code",
                _(
                    "This code is not valid. Check that your device's clock is right, wait for the next code "
                    "and try again, or use one of your backup codes."
                ),
            )
            return self.form_invalid(form)
        next_url = twofactor.pending_next(request)
        twofactor.pending_clear(request)
        user.otp_device = device  # django-otp keeps the device in the session: the session is verified
        login(request, user, backend=user.backend)
        if device.name == twofactor.BACKUP_DEVICE_NAME:
            left = twofactor.backup_codes_left(user)
            messages.warning(
                request,
                translation.ngettext(
                    "You signed in with a backup code. You have {count} backup code left.",
                    "You signed in with a backup code. You have {count} backup codes left.",
                    left,
                ).format(count=left),
            )
        return redirect(next_url)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer once too many sign-ins failed: a clear page in the user's language (HTTP 429)."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    twofactor.pending_clear(request)
    return render(
        request,
        "accounts/lockout.html",
        {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


# -- two-factor sign-in: enrol, backup codes, turn off -----------------------------------------------
class TwoFactorSetupView(LoginRequiredMixin, FormView):
    """Scan a QR code (or type the key) into an authenticator app, then confirm with a code.

    The secret stays in the session until the code proves the app has it; only then is a device saved."""

    template_name = "accounts/two_factor_setup.html"
    form_class = TwoFactorSetupForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if twofactor.has_two_factor(request.user):
            messages.info(request, _("Two-factor sign-in is already on."))
            return redirect("accounts:profile")
        if not twofactor.is_eligible(request.user):
            messages.error(
                request, _("Two-factor sign-in is offered to national focal points and administrators.")
            )
            return redirect("accounts:profile")
        return super().dispatch(request, *args, **kwargs)

    def secret(self):
        key = self.request.session.get(twofactor.SETUP_KEY)
        if not key:
            key = twofactor.new_secret()
            self.request.session[twofactor.SETUP_KEY] = key
        return key

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        key = self.secret()
        uri = twofactor.provisioning_uri(self.request.user, key)
        context.update(
            {
                "qr_svg": twofactor.qr_svg(uri, _("QR code to scan with your authenticator app")),
                "secret": twofactor.secret_base32(key),
                "required": twofactor.is_administrator(self.request.user)
                and settings.TWO_FACTOR_REQUIRED_FOR_ADMINS,
            }
        )
        return context

    def form_valid(self, form):
        key = self.secret()
        last_t = twofactor.check_setup_code(key, form.cleaned_data["code"])
        if last_t is None:
            form.add_error(
                "code",
                _(
                    "This code does not match. Check that you added the key shown on this page and that your "
                    "device's clock is right, then type the code the app shows now."
                ),
            )
            return self.form_invalid(form)
        user = self.request.user
        codes = services.two_factor_enable(user=user, key=key, last_t=last_t, actor=user)
        self.request.session.pop(twofactor.SETUP_KEY, None)
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        django_otp.login(self.request, device)
        self.request.session[twofactor.NEW_BACKUP_CODES] = codes
        messages.success(self.request, _("Two-factor sign-in is on."))
        return redirect("accounts:two_factor_backup_codes")


class BackupCodesView(LoginRequiredMixin, TemplateView):
    """New backup codes, shown once (GET after enrolment or after ``POST`` here made new ones)."""

    template_name = "accounts/two_factor_backup_codes.html"

    def get(self, request, *args, **kwargs):
        codes = request.session.pop(twofactor.NEW_BACKUP_CODES, None)
        if not codes:
            return redirect("accounts:profile")
        return self.render_to_response(self.get_context_data(codes=codes))

    def post(self, request, *args, **kwargs):
        if not twofactor.has_two_factor(request.user):
            messages.error(request, _("Two-factor sign-in is off: there are no backup codes to renew."))
            return redirect("accounts:profile")
        codes = services.backup_codes_regenerate(user=request.user, actor=request.user)
        request.session[twofactor.NEW_BACKUP_CODES] = codes
        messages.success(request, _("New backup codes were made: the old ones no longer work."))
        return redirect("accounts:two_factor_backup_codes")


class TwoFactorDisableView(LoginRequiredMixin, FormView):
    template_name = "accounts/two_factor_disable.html"
    form_class = PasswordConfirmForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not twofactor.has_two_factor(request.user):
            messages.info(request, _("Two-factor sign-in is already off."))
            return redirect("accounts:profile")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["required"] = settings.TWO_FACTOR_REQUIRED_FOR_ADMINS and twofactor.is_administrator(
            self.request.user
        )
        return context

    def form_valid(self, form):
        if settings.TWO_FACTOR_REQUIRED_FOR_ADMINS and twofactor.is_administrator(self.request.user):
            messages.error(self.request, _("Administrators must keep two-factor sign-in on."))
            return redirect("accounts:profile")
        services.two_factor_disable(user=self.request.user, actor=self.request.user)
        messages.success(self.request, _("Two-factor sign-in is off. You sign in with your password only."))
        return redirect("accounts:profile")


# -- password reset by e-mail --------------------------------------------------------------------------
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = LocalizedPasswordResetForm
    email_template_name = "accounts/email/password_reset_email.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        self.extra_email_context = {"valid_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever can reset the password owns the account: the lockout on its user name is lifted.
        services.sign_in_unlock(user=form.user, actor=form.user)
        return response
