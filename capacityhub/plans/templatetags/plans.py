"""Template helpers of the plans pages: questionnaire texts (which carry a little HTML), percentages and
bars."""

import nh3
from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from capacityhub.core.multilingual import current_language, resolve

register = template.Library()

ALLOWED_TAGS = {"i", "b", "u", "em", "strong", "sup", "sub", "a", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def clean_html(text):
    return nh3.clean(
        text or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel="noopener nofollow"
    )


@register.simple_tag
def ml_html(value):
    """A multilingual questionnaire text that may hold a little HTML (italics, superscripts, links),
    sanitized, in the page's language with fallbacks; marked ``lang`` when in another language."""
    text, language = resolve(value, current_language())
    if not text:
        return ""
    html = mark_safe(clean_html(text))
    if language and language != current_language():
        return format_html('<span lang="{}">{}</span>', language, html)
    return html


@register.filter
def percent(value, digits=0):
    """0.4567 → “46 %” (localized); None → “–”."""
    if value is None:
        return "–"
    return "{} %".format(number_format(round(value * 100, int(digits)), decimal_pos=int(digits)))


@register.filter
def bar_width(value):
    """A share as a width in the SVG charts' 0–100 coordinates."""
    if not value:
        return 0
    return round(min(max(value, 0), 1) * 100, 1)


@register.filter
def signed_points(value):
    """A change of share in percentage points: +12, −3, 0."""
    if value is None:
        return ""
    points = round(value * 100)
    if points > 0:
        return "+{}".format(points)
    if points < 0:
        return "−{}".format(-points)
    return "±0"


@register.filter
def get(mapping, key):
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def first_of(pair):
    return pair[0] if pair else None


@register.filter
def second_of(pair):
    return pair[1] if pair else None


@register.filter
def anchor(key):
    """The id of a question's fieldset on the answers page."""
    from ..rendering import dom_id

    return dom_id(key)
