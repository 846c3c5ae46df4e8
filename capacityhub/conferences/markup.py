"""Posts and conclusions are Markdown. Raw HTML is not interpreted (``<script>`` is shown as text), and
the HTML Markdown makes is sanitized with nh3 (no unsafe element, attribute or link scheme survives)."""

import markdown
import nh3
from django.utils.safestring import mark_safe

LINK_REL = "noopener noreferrer nofollow"


def _converter():
    converter = markdown.Markdown(extensions=["extra", "sane_lists"])
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


def render_markdown(text):
    """Safe HTML of a Markdown text."""
    if not text:
        return mark_safe("")
    return mark_safe(nh3.clean(_converter().convert(str(text)), link_rel=LINK_REL))


def plain_paragraphs(text):
    """The paragraphs of a Markdown text as plain text (for DOCX)."""
    html = nh3.clean(_converter().convert(str(text or "")), tags={"p", "li", "blockquote"}, attributes={})
    import re

    blocks = re.split(r"</?(?:p|li|blockquote)>", html)
    from html import unescape

    return [unescape(" ".join(block.split())) for block in blocks if block.strip()]
