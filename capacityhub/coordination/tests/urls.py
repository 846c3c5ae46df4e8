"""The project's URLs with the coordination API under /api/ (as the project wires it), and a bare form that
includes the entry-time check, for the browser test (the real initiative form includes it once wired)."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.urls import include, path

from config.urls import urlpatterns as project

FORM = """{% load static %}<!DOCTYPE html><html lang="en"><head><title>Form</title></head><body>
<form method="post" action="">
  <input type="hidden" name="csrfmiddlewaretoken" value="{{ token }}">
  <label for="t">English</label><input id="t" name="title_en">
  <label for="c0">Country 1</label><select id="c0" name="countries-0-country"><option value="">-</option>
  {% for c in countries %}<option value="{{ c.pk }}">{{ c.name_en }}</option>{% endfor %}</select>
  {% include "coordination/_initiative_check.html" %}
  <button type="submit">Save</button>
</form></body></html>"""


def check_form(request):
    from capacityhub.reference.models import Country

    template = engines["django"].from_string(FORM)
    countries = Country.objects.filter(iso2__in=["SN", "ML", "FJ"]).order_by("name_en")
    return HttpResponse(template.render({"token": get_token(request), "countries": countries}, request))


urlpatterns = [
    path("api/", include("capacityhub.coordination.api.urls")),
    path("e2e/check-form/", check_form),
    *project,
]
