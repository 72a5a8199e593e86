"""Template tags shared by every app."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from tierdesk.web.markdown import render_markdown

register = template.Library()

ICON_SPRITE = "web/vendor/bootstrap-icons/bootstrap-icons.svg"


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render untrusted markdown as sanitised HTML."""
    return render_markdown(text)


@register.simple_tag
def icon(name: str, label: str = "") -> SafeString:
    """A Bootstrap icon from the vendored sprite (names listed in assets/icons.txt).

    Decorative by default (hidden from screen readers); give `label` when the icon alone
    carries meaning, e.g. an icon-only button.
    """
    accessible = (
        format_html('role="img" aria-label="{}"', label)
        if label
        else mark_safe('aria-hidden="true"')
    )
    return format_html(
        '<svg class="bi" width="1em" height="1em" fill="currentColor" focusable="false" {}>'
        '<use href="{}#{}"></use></svg>',
        accessible,
        static(ICON_SPRITE),
        name,
    )
