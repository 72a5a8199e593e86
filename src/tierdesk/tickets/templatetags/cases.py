"""Template helpers for cases: SLA badges and times shown in another zone."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from ..display import ClockBadge, badge_html, clock_badges

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
    try:
        local = value.astimezone(zoneinfo.ZoneInfo(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return value
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


@register.filter
def differs_from_viewer(zone: str) -> bool:
    """Whether a time zone shows other wall-clock times than the viewer's, right now."""
    now = timezone.now()
    try:
        other = now.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return other != timezone.localtime(now).utcoffset()


@register.simple_tag
def case_badges(case: Any) -> list[ClockBadge]:
    """The SLA badges of a case whose `clocks` were prefetched."""
    return clock_badges(case, case.clocks.all(), now=timezone.now())


@register.simple_tag
def clock_badge(badge: ClockBadge) -> SafeString:
    """One SLA badge (see tickets.display.badge_html)."""
    return badge_html(badge)
