"""Atom feeds of the record lists: ``<path>/feed.atom?<the list's filters>``.

Feeds are public: they hold published records only, whoever asks, newest first by publication date."""

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from . import selectors
from .choices import Status

FEED_SIZE = 50
SUMMARY_FIELDS = ("description", "summary", "experience")


class RecordFeed(Feed):
    """The feed of one record type's list; the list's filters (``q``, facets) apply."""

    feed_type = Atom1Feed

    def __init__(self, record_type):
        super().__init__()
        self.record_type = record_type

    def get_object(self, request, *args, **kwargs):
        params = [(k, v) for k, values in request.GET.lists() for v in values if k not in ("page", "sort")]
        return {"request": request, "params": params}

    def title(self, obj):
        return _("CapacityHub: {records}").format(records=self.record_type.verbose_name_plural)

    def subtitle(self, obj):
        return _("Newly published {records}.").format(records=self.record_type.verbose_name_plural)

    def link(self, obj):
        query = urlencode(obj["params"])
        return self.record_type.get_list_url() + ("?" + query if query else "")

    def feed_url(self, obj):
        return obj["request"].get_full_path()

    def items(self, obj):
        rt = self.record_type
        published = selectors.visible(rt, AnonymousUser()).filter(status=Status.PUBLISHED)
        filterset = rt.filterset(obj["request"].GET, queryset=published, request=obj["request"])
        return filterset.qs.select_related(*rt.list_select_related).order_by("-published_at", "-pk")[
            :FEED_SIZE
        ]

    def item_title(self, item):
        return item.display_title()

    def item_description(self, item):
        for name in SUMMARY_FIELDS:
            if isinstance(getattr(item, name, None), dict):
                text = item.text(name)
                if text:
                    # Atom summaries are read as HTML: the record's text is escaped, never interpreted.
                    return escape(Truncator(text).chars(500))
        return ""

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
