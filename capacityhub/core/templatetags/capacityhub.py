"""Template helpers: multilingual text with its language marked, facet and sort links, safe Markdown."""

from urllib.parse import urlencode

import markdown as markdown_lib
import nh3
from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from capacityhub.core.multilingual import current_language, resolve

register = template.Library()


@register.simple_tag
def ml(value, record=None, field=None):
    """Multilingual text in the page's language, falling back to the record's original language.

    ``{% ml record.title record %}``; text shown in another language than the page's is marked ``lang``."""
    original = getattr(record, "original_language", None) if record is not None else None
    if field:
        value = getattr(value, field)
    text, language = resolve(value, current_language(), original)
    if not text:
        return ""
    if language and language != current_language():
        return format_html('<span lang="{}">{}</span>', language, text)
    return text


@register.filter
def mltext(value):
    """Plain resolved text of a multilingual value (for attributes and titles)."""
    return resolve(value, current_language())[0]


@register.simple_tag
def ml_markdown(value, record=None):
    """Multilingual rich text rendered from Markdown and sanitized."""
    original = getattr(record, "original_language", None) if record is not None else None
    text, language = resolve(value, current_language(), original)
    if not text:
        return ""
    html = nh3.clean(markdown_lib.markdown(text, extensions=["extra", "sane_lists"]))
    lang = language if language and language != current_language() else None
    if lang:
        return format_html('<div lang="{}" class="prose">{}</div>', lang, mark_safe(html))
    return format_html('<div class="prose">{}</div>', mark_safe(html))


def _params(request, drop=()):
    return [(k, v) for k, values in request.GET.lists() for v in values if k not in drop]


@register.simple_tag(takes_context=True)
def toggle_url(context, param, value):
    """The current list's address with ``param=value`` added, or removed if present; back to page 1."""
    request = context["request"]
    params = _params(request, drop=("page",))
    if (param, str(value)) in params:
        params.remove((param, str(value)))
    else:
        params.append((param, str(value)))
    return "?" + urlencode(params)


@register.simple_tag(takes_context=True)
def with_param(context, param, value):
    """The current address with ``param`` set to ``value`` (page, sort, print)."""
    request = context["request"]
    params = _params(request, drop=(param,) + (("page",) if param != "page" else ()))
    params.append((param, str(value)))
    return "?" + urlencode(params)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def language_names(codes):
    """Language codes as names in the page's language (``["fr", "en"]`` → "French, English")."""
    from django.conf import settings
    from django.utils.translation import gettext

    names = dict(settings.CONTENT_LANGUAGES) | {"pt": "Portuguese"}
    return ", ".join(gettext(str(names.get(code, code))) for code in codes or [])
