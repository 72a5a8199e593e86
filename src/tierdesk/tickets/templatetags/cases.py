"""Template helpers for cases: SLA badges, and whether a region's zone differs from the viewer's."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from ..display import (
    ClockBadge,
    badge_html,
    clock_badges,
    differs_from_viewer,
    zone_or_none,
)

register = template.Library()


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


@register.simple_tag
def countdown_words() -> dict[str, str]:
    """The live countdowns' words in the active language, the units of web.formats' durations."""
    return {
        "days": gettext("%(count)s d"),
        "hours": gettext("%(count)s h"),
        "minutes": gettext("%(count)s min"),
        "under_a_minute": gettext("less than a minute"),
        "left": gettext("left"),
        "overdue": gettext("overdue"),
    }
