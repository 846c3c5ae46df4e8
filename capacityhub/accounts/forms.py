from django import forms
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import User


class SignUpForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["username", "name", "email", "preferred_language"]


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "email", "preferred_language"]
        labels = {"preferred_language": _("Preferred language")}


class LocalizedPasswordResetForm(PasswordResetForm):
    """Django's password reset form; the e-mail goes out in the language the user chose in their profile."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class OTPCodeForm(forms.Form):
    """A six-digit code from an authenticator app, or a backup code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six-digit code your authenticator app shows now, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class TwoFactorSetupForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        help_text=_("After adding the account, type the six-digit code the app shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordConfirmForm(forms.Form):
    """Asks for the current password before a change that weakens or resets sign-in security."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your current password."), code="password_incorrect")
        return password
