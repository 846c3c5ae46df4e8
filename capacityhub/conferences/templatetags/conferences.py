"""Template helpers of conferences: safe Markdown of posts and conclusions, language names."""

from django import template
from django.conf import settings
from django.utils.html import format_html

from capacityhub.core.multilingual import current_language, resolve

from ..markup import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """A post's Markdown as safe HTML (raw HTML shown as text, the result sanitized)."""
    return render_markdown(text)


@register.simple_tag
def ml_md(value, record=None):
    """Multilingual Markdown (conclusions, introductions) in the page's language, marked with ``lang``
    when shown in another language."""
    original = getattr(record, "original_language", None)
    if original is None and record is not None and hasattr(record, "conference"):
        original = record.conference.original_language
    text, language = resolve(value, current_language(), original)
    if not text:
        return ""
    if language and language != current_language():
        return format_html('<div class="prose" lang="{}">{}</div>', language, render_markdown(text))
    return format_html('<div class="prose">{}</div>', render_markdown(text))


@register.filter
def language_name(code):
    return dict(settings.CONTENT_LANGUAGES).get(code, code)
