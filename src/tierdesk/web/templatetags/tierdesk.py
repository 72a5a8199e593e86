"""Template tags shared by every app."""

from django import template
from django.utils.safestring import SafeString

from tierdesk.web.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render untrusted markdown as sanitised HTML."""
    return render_markdown(text)
