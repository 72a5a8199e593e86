"""Markdown from untrusted authors (tickets, posts, articles) rendered to sanitised HTML."""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Raw HTML is off: anything that looks like a tag is shown as text, never interpreted.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


# An absolute link (a scheme, or `//host`) leaves the site: search engines are told not to
# follow it and the page it opens gets no opener or referrer. A relative link (`/help/…`,
# `#part`, `page/`) is the site's own and stays a plain link.
_LINK = re.compile(r'<a href="([^"]*)"')
_EXTERNAL_REL = "nofollow noopener noreferrer"


def _rel(match: re.Match[str]) -> str:
    href = match.group(1)
    first = href.split("/", 1)[0]
    if href.startswith("//") or ":" in first:
        return f'<a href="{href}" rel="{_EXTERNAL_REL}"'
    return match.group(0)


def render_markdown(text: str) -> SafeString:
    """Render markdown to HTML that is safe to show: no scripts, styles, or event handlers."""
    html = _parser().render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    return mark_safe(_LINK.sub(_rel, clean))  # noqa: S308 - nh3 has just sanitised it
