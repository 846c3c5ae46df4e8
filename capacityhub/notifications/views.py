"""The subscriptions page (saved searches and follows, how often each is e-mailed), saving a list's search,
following and unfollowing. Plain forms: everything works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from . import selectors, services
from .choices import Frequency
from .models import Follow, SavedSearch


def _next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


class SubscriptionsView(LoginRequiredMixin, TemplateView):
    """The user's saved searches and follows, with how often each is e-mailed."""

    template_name = "notifications/subscriptions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        types = selectors.list_types()
        searches = list(SavedSearch.objects.filter(user=user))
        for search in searches:
            record_type = types.get(search.record_type)
            search.list_name = record_type.verbose_name_plural if record_type else search.record_type
            search.list_url = (record_type.get_list_url() + "?" + search.query) if record_type else ""
        follows = list(Follow.objects.filter(user=user).select_related("content_type"))
        for follow in follows:
            follow.label = selectors.follow_label(follow) if follow.target is not None else "—"
            target = follow.target
            follow.url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
        context.update(
            searches=searches, follows=follows, frequencies=Frequency.choices, nav_section="subscriptions"
        )
        return context

    def post(self, request, *args, **kwargs):
        model = {"search": SavedSearch, "follow": Follow}.get(request.POST.get("kind"))
        if model is None:
            raise Http404
        subscription = get_object_or_404(model, pk=request.POST.get("id"), user=request.user)
        if request.POST.get("delete"):
            if model is SavedSearch:
                services.saved_search_delete(search=subscription, actor=request.user)
            else:
                services.follow_delete(follow=subscription, actor=request.user)
            messages.success(request, _("The subscription was removed."))
        else:
            try:
                services.subscription_update(
                    subscription=subscription,
                    actor=request.user,
                    frequency=request.POST.get("frequency", ""),
                    name=request.POST.get("name"),
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The subscription was updated."))
        return HttpResponseRedirect(reverse("notifications:subscriptions"))


class SavedSearchAddView(LoginRequiredMixin, TemplateView):
    """Save the search of a list: ``?type=<record type>&<the list's query string>``."""

    template_name = "notifications/savedsearch_form.html"

    def _query(self, params):
        params = params.copy()
        for key in ("type", "name", "frequency", "csrfmiddlewaretoken", "page", "next"):
            params.pop(key, None)
        return params.urlencode()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        key = self.request.GET.get("type") or self.request.POST.get("type", "")
        record_type = selectors.list_types().get(key)
        if record_type is None:
            raise Http404
        query = (
            self._query(self.request.GET)
            if self.request.method == "GET"
            else self.request.POST.get("query", "")
        )
        q = self.request.GET.get("q", "")
        context.update(
            record_type=record_type,
            query=query,
            name=kwargs.get("name")
            or (
                "{}: {}".format(record_type.verbose_name_plural, q)
                if q
                else str(record_type.verbose_name_plural)
            ),
            frequencies=Frequency.choices,
            list_url=record_type.get_list_url() + ("?" + query if query else ""),
        )
        return context

    def post(self, request, *args, **kwargs):
        context = self.get_context_data()
        try:
            services.saved_search_create(
                actor=request.user,
                record_type=context["record_type"].key,
                query=request.POST.get("query", ""),
                name=(request.POST.get("name") or context["name"]).strip()[:200],
                frequency=request.POST.get("frequency", Frequency.DAILY),
            )
        except ValidationError as error:
            context["errors"] = error.messages
            return self.render_to_response(context, status=400)
        messages.success(request, _("The search is saved: new records that match will be sent to you."))
        return HttpResponseRedirect(reverse("notifications:subscriptions"))


def target_of(value):
    """The object a ``<app_label>.<model>:<pk>`` reference names."""
    try:
        model_key, pk = value.split(":", 1)
        app_label, model = model_key.split(".", 1)
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
        return content_type.get_object_for_this_type(pk=int(pk))
    except (ValueError, ContentType.DoesNotExist, TypeError) as error:
        raise Http404 from error
    except Exception as error:  # the object does not exist
        if error.__class__.__name__ == "DoesNotExist":
            raise Http404 from error
        raise


class FollowView(LoginRequiredMixin, View):
    """Follow (or, with ``unfollow``, stop following) a record, a country, an area, a conference or a topic.
    POST only."""

    def post(self, request):
        target = target_of(request.POST.get("target", ""))
        fallback = target.get_absolute_url() if hasattr(target, "get_absolute_url") else reverse("core:home")
        if request.POST.get("unfollow"):
            follow = selectors.follow_of(request.user, target)
            if follow is not None:
                services.follow_delete(follow=follow, actor=request.user)
            messages.success(request, _("You no longer follow this."))
        else:
            try:
                services.follow_create(
                    target=target,
                    actor=request.user,
                    frequency=request.POST.get("frequency") or Frequency.DAILY,
                )
            except (ValidationError, PermissionDenied) as error:
                raise Http404 from error
            messages.success(request, _("You follow this now: new items will be sent to you."))
        return HttpResponseRedirect(_next(request, fallback))
