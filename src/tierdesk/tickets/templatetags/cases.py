"""Template helpers for cases: SLA badges and times shown in another zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from ..display import (
    ClockBadge,
    badge_html,
    clock_badges,
    differs_from_viewer,
    zone_or_none,
)

register = template.Library()


class _ZonedDatetime(datetime):
    # Django's date/time filters convert aware datetimes to the active (viewer's) zone unless
    # the value says otherwise: without this, `x|in_zone:z|date:"H:i"` showed the viewer's time.
    convert_to_local_time = False


@register.filter
def in_zone(value: datetime | None, zone: str) -> datetime | None:
    """The instant in the given IANA time zone (e.g. the region's local time)."""
    if value is None:
        return None
    found = zone_or_none(zone)
    if found is None:
        return value
    local = value.astimezone(found)
    return _ZonedDatetime(
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        local.microsecond,
        tzinfo=local.tzinfo,
        fold=local.fold,
    )


@register.filter(name="differs_from_viewer")
def differs_from_viewer_filter(zone: str) -> bool:
    """Whether a time zone shows other wall-clock times than the viewer's, right now."""
    found = zone_or_none(zone)
    return found is not None and differs_from_viewer(found, timezone.now())


@register.simple_tag
def case_badges(case: Any) -> list[ClockBadge]:
    """The SLA badges of a case whose `clocks` were prefetched."""
    return clock_badges(case, case.clocks.all(), now=timezone.now())


@register.simple_tag
def clock_badge(badge: ClockBadge) -> SafeString:
    """One SLA badge (see tickets.display.badge_html)."""
    return badge_html(badge)
