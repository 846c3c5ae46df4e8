"""Page weight: for each main page, the gzip-compressed size of its HTML plus every stylesheet, script and
font it loads (``<link rel=stylesheet>``, ``<script src>``, ``<link rel=preload>``, ``url()`` in the CSS).
Aim (issue #7): under 150 KB per page.

    .venv/bin/python bench/page_weight.py                          # in-process, var/page-weight.sqlite3
    .venv/bin/python bench/page_weight.py --url http://127.0.0.1:8000   # a running server
    .venv/bin/python bench/page_weight.py --language es --limit 150

In-process, pages go through Django's test client as an anonymous visitor and static files are read through
the staticfiles finders (as ``collectstatic`` would serve them); the database is ``DATABASE_URL`` or else
``var/page-weight.sqlite3``, filled once with the reference and demo data (``migrate``, ``load_reference``,
``load_demo``) — never the development database. With ``--url`` everything is fetched over HTTP. A detail
page is measured when the database has a published initiative. Exits 1 when a page is over the limit.
Assets shared by pages count for each page (a first visit), compressed at gzip level 6.
"""

import argparse
import gzip
import os
import re
import sys
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/",
    "/initiatives/",
    "/needs/",
    "/opportunities/",
    "/resources/",
    "/experts/",
    "/countries/",
    "/coordination/",
    "/plans/",
    "/conferences/",
    "/meetings/",
    "/accounts/login/",
]
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
CSS_IMPORT = re.compile(r"@import\s+['\"]([^'\"]+)['\"]")


class Assets(HTMLParser):
    """The stylesheets, scripts and preloaded fonts a page loads."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and attrs.get("href") and ("stylesheet" in rel or "preload" in rel):
            if attrs.get("media", "all") not in ("print",):
                self.found.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.found.append(attrs["src"])


def gzipped(data):
    return len(gzip.compress(data, compresslevel=6))


class InProcess:
    def __init__(self):
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
        own = "DATABASE_URL" not in os.environ
        if own:
            (ROOT / "var").mkdir(exist_ok=True)
            os.environ["DATABASE_URL"] = "sqlite:///{}".format(ROOT / "var" / "page-weight.sqlite3")
        import django

        django.setup()
        if own:
            self.fill()
        from django.conf import settings
        from django.test import Client

        self.static_url = settings.STATIC_URL
        self.client = Client(HTTP_HOST="localhost")
        self.base = "http://localhost"

    @staticmethod
    def fill():
        from django.core.management import call_command
        from django.db import connection

        if "registry_initiative" in connection.introspection.table_names():
            return
        print("Filling var/page-weight.sqlite3 with the reference and demo data (once)…", file=sys.stderr)
        call_command("migrate", verbosity=0)
        call_command("load_reference", verbosity=0)
        call_command("load_demo", verbosity=0, stdout=sys.stderr)

    def get(self, url):
        from django.contrib.staticfiles import finders

        path = urlsplit(url).path
        if path.startswith(self.static_url):
            found = finders.find(path[len(self.static_url) :])
            if not found:
                raise FileNotFoundError(path)
            return Path(found).read_bytes()
        response = self.client.get(path, follow=True)
        if response.status_code != 200:
            raise RuntimeError("{} answered {}".format(path, response.status_code))
        return b"".join(response.streaming_content) if response.streaming else response.content

    def detail_page(self):
        from capacityhub.core.choices import Status
        from capacityhub.registry.models import Initiative

        record = Initiative.objects.filter(status=Status.PUBLISHED).order_by("pk").first()
        return record.get_absolute_url().split("/", 2)[2] if record else None


class OverHttp:
    def __init__(self, base):
        self.base = base.rstrip("/")

    def get(self, url):
        with urllib.request.urlopen(urljoin(self.base + "/", url)) as response:  # noqa: S310 (given by the user)
            return response.read()

    def detail_page(self):
        return None


def weigh(source, page_url):
    """(total gzip bytes, [(kind, url, gzip bytes)]) of one page and what it loads."""
    html = source.get(page_url)
    rows = [("html", page_url, gzipped(html))]
    parser = Assets()
    parser.feed(html.decode("utf-8", errors="replace"))
    seen = set()
    queue = [urljoin(page_url, href) for href in parser.found]
    while queue:
        url = queue.pop(0)
        if url in seen or url.startswith("data:"):
            continue
        seen.add(url)
        host = urlsplit(url).netloc
        if host and host not in ("localhost", urlsplit(getattr(source, "base", "")).netloc):
            rows.append(("external", url, 0))  # never expected: no CDN
            continue
        data = source.get(url)
        kind = Path(urlsplit(url).path).suffix.lstrip(".") or "other"
        rows.append((kind, url, gzipped(data)))
        if kind == "css":
            text = data.decode("utf-8", errors="replace")
            for ref in CSS_URL.findall(text) + CSS_IMPORT.findall(text):
                suffix = Path(urlsplit(ref).path).suffix.lower()
                if suffix in (".woff2", ".woff", ".ttf", ".otf", ".css") and not ref.startswith("data:"):
                    queue.append(urljoin(url, ref))
    return sum(size for _kind, _url, size in rows), rows


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="base address of a running server (default: in-process)")
    parser.add_argument("--language", default="en")
    parser.add_argument("--limit", type=float, default=150, help="KB per page (default 150)")
    parser.add_argument("--verbose", action="store_true", help="list every asset of every page")
    args = parser.parse_args()
    source = OverHttp(args.url) if args.url else InProcess()
    pages = list(PAGES)
    detail = source.detail_page()
    if detail:
        pages.append("/" + detail)
    over = 0
    print("{:<40} {:>8} {:>8} {:>8} {:>8} {:>9}".format("page", "html", "css", "js", "fonts", "total KB"))
    for path in pages:
        url = "/{}{}".format(args.language, path)
        total, rows = weigh(source, url)
        by_kind = {"html": 0, "css": 0, "js": 0, "fonts": 0}
        for kind, _url, size in rows:
            key = "fonts" if kind in ("woff2", "woff", "ttf", "otf") else kind
            by_kind[key] = by_kind.get(key, 0) + size
        flag = "" if total / 1024 <= args.limit else "  OVER {} KB".format(args.limit)
        over += bool(flag)
        print(
            "{:<40} {:>8.1f} {:>8.1f} {:>8.1f} {:>8.1f} {:>9.1f}{}".format(
                url,
                by_kind["html"] / 1024,
                by_kind["css"] / 1024,
                by_kind["js"] / 1024,
                by_kind["fonts"] / 1024,
                total / 1024,
                flag,
            )
        )
        if args.verbose:
            for kind, asset, size in rows:
                print("    {:<8} {:>8.1f}  {}".format(kind, size / 1024, asset))
        if any(kind == "external" for kind, _u, _s in rows):
            print("    loads from another host: {}".format([u for k, u, _s in rows if k == "external"]))
    print("{} of {} pages over {} KB".format(over, len(pages), args.limit))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
