"""``{% follow_button obj %}``: a follow / unfollow form for a record, country, area, conference or topic;
``{% save_search_url record_type %}``: the address that saves the current list's search."""

from urllib.parse import urlencode

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ..selectors import follow_of

register = template.Library()


@register.inclusion_tag("notifications/follow_button.html", takes_context=True)
def follow_button(context, obj):
    request = context["request"]
    content_type = ContentType.objects.get_for_model(obj)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "target": "{}.{}:{}".format(content_type.app_label, content_type.model, obj.pk),
        "following": follow_of(request.user, obj) is not None,
        "next": request.get_full_path(),
        "user": request.user,
    }


@register.simple_tag(takes_context=True)
def save_search_url(context, record_type):
    request = context["request"]
    params = [("type", record_type.key)] + [
        (k, v) for k, values in request.GET.lists() for v in values if k not in ("page", "type")
    ]
    return reverse("notifications:savedsearch_add") + "?" + urlencode(params)
