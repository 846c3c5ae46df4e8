"""The API documentation pages, served with assets from ``drf-spectacular-sidecar`` (no CDN, no web fonts)
and without inline scripts, so they work under the site's Content Security Policy (``script-src 'self'``)."""

from django.http import HttpResponse
from django.template import Context, Template
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

REDOC_PAGE = Template(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
</head>
<body>
<redoc spec-url="{{ schema_url }}"></redoc>
<script src="{{ redoc_standalone }}"></script>
</body>
</html>
"""
)


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI; its start-up script is fetched from the same address (``?script``), not inlined."""


class RedocView(SpectacularRedocView):
    """Redoc, without the web fonts and inline script of drf-spectacular's own template."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        context = Context(
            {
                "title": self.title,
                "schema_url": self._get_schema_url(request),
                "redoc_standalone": self._redoc_standalone(),
            }
        )
        return HttpResponse(REDOC_PAGE.render(context))
