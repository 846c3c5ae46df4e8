from django import forms
from django.contrib.auth.forms import UserCreationForm
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
