"""No draft leaks: drafts and submitted records of every record type change nothing that a user outside their
scope sees — search results, list pages with their counts and facets, exports (CSV, XLSX, JSON; page and
API), Atom feeds, calendars, the home page's counts, country and coordination pages, and the API.

Each viewer's pages are fetched before and after the drafts are made; after normalizing what legitimately
changes between two requests (CSRF tokens, nonces, timestamps), they must be identical. The same comparison
for the Secretariat must differ — the drafts exist and are visible to someone, so the test can fail."""

import csv
import io
import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from capacityhub.core.choices import Scope, Status
from capacityhub.core.registry import registry
from capacityhub.core.testing.factories import make_record
from capacityhub.reference.models import Country

MARKER = "Leakmarker"
SITE_PAGES = [
    "/en/",
    "/en/dashboard/",
    "/en/countries/",
    "/en/countries/KE/",
    "/en/countries/CO/",
    "/en/coordination/",
    "/en/coordination/gaps/",
    "/en/coordination/map/",
    "/en/coordination/charts/",
    "/en/coordination/overlaps/",
    "/en/coordination/duplicates/",
    "/calendar.ics",
    "/en/meetings/calendar.ics",
    "/en/conferences/calendar.ics",
    "/api/coordination/coverage/",
    "/api/coordination/gaps/",
    "/api/coordination/overlaps/",
    "/api/coordination/duplicates/",
]


def record_type_pages(rt):
    api = "/api/{}/".format(rt.path)
    pages = [rt.url("list"), rt.url("feed")]
    pages += [rt.url("list") + "?" + query for query in ("q=zebra", "workflow=draft")]
    pages += [rt.url("export", format=f) for f in ("csv", "xlsx", "json")]
    pages += [api + "?page_size=200", api + "?q=zebra", api + "?workflow=draft&page_size=200"]
    pages += [api + "export/{}/".format(f) for f in ("csv", "xlsx", "json")]
    return pages


NOISE = [
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(r'name="csrf-token" content="[^"]*"'),
    re.compile(r'nonce="[^"]*"'),
    re.compile(r"DTSTAMP:[0-9TZ]+"),
    re.compile(r"<updated>[^<]*</updated>"),
]


def normalized(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
        return json.dumps([list(row) for row in sheet.iter_rows(values_only=True)], default=str)
    text = body.decode("utf-8-sig", errors="replace")
    if "csv" in kind:
        return json.dumps(list(csv.reader(io.StringIO(text))))
    for pattern in NOISE:
        text = pattern.sub("", text)
    return "{} {}".format(response.status_code, text)


def snapshot(client, urls):
    seen = {}
    for url in urls:
        cache.clear()  # cached counts must not hide a leak
        seen[url] = normalized(client.get(url))
    return seen


def make_drafts(roles):
    """A draft and a submitted record of every record type, in scope A (Kenya) or X (organization X)."""
    made = []
    for rt in registry:
        model = rt.model
        if model.scope_field in ("id", "pk"):
            scope = {}
        elif model.scope_kind == Scope.COUNTRY:
            scope = {"country": roles.country_a}
        else:
            scope = {"organization": roles.org_x}
        for status in (Status.DRAFT, Status.SUBMITTED):
            if rt.key == "countryprofile" and status == Status.SUBMITTED:
                scope = {"country": Country.objects.get(iso2="UG")}  # one profile per country
            title = "{} {} {} zebra".format(MARKER, rt.key, status)
            made.append(make_record(rt.key, status=status, title=title, **scope))
    return made


@pytest.mark.django_db
def test_drafts_change_nothing_outsiders_see(roles):
    outsiders = {
        "anonymous": None,
        "publisher_y": roles.publisher_y,
        "focal_point_b": roles.focal_b,
    }
    urls = SITE_PAGES + [url for rt in registry for url in record_type_pages(rt)]
    with translation.override("en"):
        for rt in registry:  # something published of each type, so lists, feeds and counts are not empty
            other = {"country": roles.country_b} if rt.key == "countryprofile" else {}
            make_record(rt.key, title="Published baseline {}".format(rt.key), **other)
        clients = {}
        for who, user in outsiders.items():
            clients[who] = Client(), APIClient()
            if user is not None:
                clients[who][0].force_login(user)
                token, _created = Token.objects.get_or_create(user=user)
                clients[who][1].credentials(HTTP_AUTHORIZATION="Token {}".format(token.key))
        admin_page = Client()
        admin_page.force_login(roles.admin)
        lists = [rt.url("list") for rt in registry]

        def both(who):
            page, api = clients[who]
            return {
                **snapshot(page, [u for u in urls if not u.startswith("/api/")]),
                **snapshot(api, [u for u in urls if u.startswith("/api/")]),
            }

        before = {who: both(who) for who in outsiders}
        admin_before = snapshot(admin_page, lists)
        drafts = make_drafts(roles)
        assert len(drafts) == 2 * len(lists)
        after = {who: both(who) for who in outsiders}
        admin_after = snapshot(admin_page, lists)

    leaks = []
    for who in outsiders:
        for url in urls:
            if before[who][url] != after[who][url]:
                leaks.append("{} {}: changed".format(who, url))
            elif MARKER.lower() in after[who][url].lower():
                leaks.append("{} {}: shows a draft".format(who, url))
    assert not leaks, "\n".join(leaks)
    changed = [url for url in lists if admin_before[url] != admin_after[url]]
    assert changed == lists, "the Secretariat should see the drafts in every list"
