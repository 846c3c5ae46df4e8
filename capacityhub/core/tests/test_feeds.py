"""Atom feeds of the lists: published records only, whoever asks; newest first; the list's filters apply."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from lxml import etree

from capacityhub.core import feeds
from capacityhub.core.choices import Status
from capacityhub.core.registry import registry
from capacityhub.core.testing.cases import CASES
from capacityhub.core.testing.factories import make_record
from capacityhub.reference.models import Country
from capacityhub.registry.models import Need

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English; a request in another language must not leak into the next test."""
    with translation.override("en"):
        yield


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = etree.fromstring(response.content)
    return [entry.findtext(ATOM + "title") for entry in root.iter(ATOM + "entry")]


@pytest.mark.django_db
def test_feed_has_published_records_only_newest_first_and_respects_filters(client, roles):
    old = make_record("need", country=roles.country_a, title="Old Kenyan need <b>")
    new = make_record("need", country=roles.country_a, title="New Kenyan need")
    Need.objects.filter(pk=old.pk).update(published_at=timezone.now() - datetime.timedelta(days=3))
    make_record("need", country=roles.country_b, title="Colombian need")
    make_record("need", country=roles.country_a, status=Status.DRAFT, title="Kenyan draft")
    feed_url = reverse("registry:need_feed")
    client.force_login(roles.admin)  # feeds are public: drafts stay out even for the Secretariat
    assert entries(client.get(feed_url)) == ["Colombian need", new.display_title(), old.display_title()]
    assert entries(client.get(feed_url, {"country": "KE"})) == [new.display_title(), old.display_title()]
    assert entries(client.get(feed_url, {"country": "KE", "workflow": "draft"})) == []
    body = client.get(feed_url).content.decode()
    assert "Old Kenyan need &lt;b&gt;" in body  # titles are text, escaped once
    assert new.get_absolute_url() in body


@pytest.mark.django_db
def test_feed_is_capped(client, roles, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_SIZE", 2)
    for n in range(3):
        make_record("resource", organization=roles.org_x, title="Resource {}".format(n))
    assert len(entries(client.get(reverse("registry:resource_feed")))) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(CASES))
def test_every_list_has_a_feed_linked_from_its_page(client, roles, key):
    rt = registry[key]
    other = {"country": Country.objects.get(iso2="UG")} if key == "countryprofile" else {}
    record = make_record(key, **(other or CASES[key].scope_kwargs(roles)))
    feed_url = reverse(rt.url_name("feed"))
    assert record.display_title() in [t for t in entries(client.get(feed_url))]
    page = client.get(rt.get_list_url() + "?q=x").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert 'href="{}?q=x"'.format(feed_url) in page
