from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import FormView, UpdateView

from . import services
from .forms import ProfileForm, SignUpForm


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

    def form_valid(self, form):
        messages.success(self.request, _("Your profile was saved."))
        return super().form_valid(form)
