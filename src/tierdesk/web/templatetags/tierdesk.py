"""Template tags shared by every app."""

from datetime import date, datetime, timedelta, tzinfo

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from tierdesk.web.formats import (
    format_day,
    format_duration,
    format_phone,
    format_when,
    local,
    to_instant,
)
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


def _time_element(value: datetime | str, text: str) -> SafeString:
    """`<time datetime="ISO-8601">text</time>`, both escaped."""
    return format_html('<time datetime="{}">{}</time>', to_instant(value).isoformat(), text)


# Like Django's |date, the filters below show "" for None, "" and a value they cannot read
# (not a datetime, date, ISO-8601 string or number), rather than breaking the page.
UNREADABLE = (ValueError, TypeError, OverflowError)


@register.filter(name="when")
def when_filter(value: datetime | str | None, zone: tzinfo | str | None = None) -> SafeString | str:
    """`<time>` with date and time in the viewer's zone (or `zone`): "Tue 1 Dec 2026, 22:34 CET"."""
    if value is None or value == "":
        return ""
    try:
        return _time_element(value, format_when(value, zone))
    except UNREADABLE:
        return ""


@register.filter(name="day")
def day_filter(value: date | str | None, zone: tzinfo | str | None = None) -> SafeString | str:
    """`<time>` with the date only: "1 Dec 2026"."""
    if value is None or value == "":
        return ""
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
        day = local(parsed, zone).date() if isinstance(parsed, datetime) else parsed
        return format_html('<time datetime="{}">{}</time>', day.isoformat(), format_day(day))
    except (*UNREADABLE, AttributeError):
        return ""


@register.filter(name="when_text")
def when_text_filter(value: datetime | str | None, zone: tzinfo | str | None = None) -> str:
    """The date and time as plain text (e-mails, attributes): "Tue 1 Dec 2026, 22:34 CET"."""
    if value is None or value == "":
        return ""
    try:
        return format_when(value, zone)
    except UNREADABLE:
        return ""


@register.filter(name="day_text")
def day_text_filter(value: date | str | None, zone: tzinfo | str | None = None) -> str:
    """The date only as plain text: "1 Dec 2026"."""
    if value is None or value == "":
        return ""
    try:
        return format_day(value, zone)
    except (*UNREADABLE, AttributeError):
        return ""


@register.filter(name="duration")
def duration_filter(value: float | timedelta | None, unit: str = "") -> str:
    """Minutes (or a timedelta) rounded for people: "2 h 14 min"; "" for None.

    `|duration:"hours"` never counts days (business time: 24 business hours are not a day).
    """
    if value is None or value == "":
        return ""
    try:
        return format_duration(value, days=unit != "hours")
    except UNREADABLE:
        return ""


@register.filter(name="phone")
def phone_filter(number: str | None) -> str:
    """An E.164 number grouped for people ("+39 02 0000 0101"); "" for None."""
    return format_phone(number) if number else ""
