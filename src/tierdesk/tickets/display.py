"""What a page shows of a case's SLA clocks: badges built from the stored clock rows.

Badges need no business-time arithmetic: the clock rows hold the due instants, recomputed on
every change, so a list of cases costs one prefetch, not a computation per row. A badge is
rendered here rather than by a template include: a queue page shows fifty of them, and the
include with its date filters cost more than the rest of the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tierdesk.web.formats import format_time, format_when

from .choices import TargetKind
from .models import Case, SlaClock
from .selectors.clocks import case_clock_inputs

TARGET_LABELS = {
    TargetKind.FIRST_RESPONSE: _("First response"),
    TargetKind.RESOLUTION: _("Resolution"),
}
DUE_SOON = timedelta(hours=1)


@dataclass(frozen=True)
class ClockBadge:
    """One target's state as shown on a page; instants in UTC."""

    target: str
    label: str
    state: str  # running, due_soon, paused, met, breached
    due_at: datetime
    met_at: datetime | None
    seconds_left: int
    region_time_zone: str

    @property
    def live(self) -> bool:
        """Whether the page should count down to the due instant."""
        return self.state in ("running", "due_soon")


def clock_badges(case: Case, clocks: Iterable[SlaClock], *, now: datetime) -> list[ClockBadge]:
    """The badges of a case's clocks (pass prefetched clocks to avoid a query per case).

    Whether a clock runs, and whether its target was fulfilled, come from the case's clock
    inputs (`selectors.clocks`), as for the clocks themselves; the due instants from the rows.
    Reading neither pauses nor calendar, a badge costs no query.
    """
    inputs = case_clock_inputs(case)
    paused = not inputs.running
    badges = []
    for clock in sorted(clocks, key=lambda c: c.target != TargetKind.FIRST_RESPONSE):
        left = clock.due_at - now
        spec = inputs.target(clock.target)
        stopped = clock.met_at if spec is None else spec.stopped_at
        if stopped is not None:
            state = "breached" if clock.breached_at is not None or stopped > clock.due_at else "met"
        elif clock.breached_at is not None or (left.total_seconds() < 0 and not paused):
            state = "breached"
        elif paused:
            state = "paused"
        elif left <= DUE_SOON:
            state = "due_soon"
        else:
            state = "running"
        badges.append(
            ClockBadge(
                target=clock.target,
                label=str(TARGET_LABELS.get(TargetKind(clock.target), clock.target)),
                state=state,
                due_at=clock.due_at,
                met_at=clock.met_at,
                seconds_left=int(left.total_seconds()),
                region_time_zone=case.region.time_zone,
            )
        )
    return badges


def zone_or_none(name: str) -> ZoneInfo | None:
    """The IANA time zone of that name, or None for an unknown or malformed name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def differs_from_viewer(zone: ZoneInfo, now: datetime) -> bool:
    """Whether `zone` shows other wall-clock times than the viewer's zone at `now`."""
    return now.astimezone(zone).utcoffset() != timezone.localtime(now).utcoffset()


_STATE_WORDS = {"met": _("met"), "breached": _("breached"), "paused": _("paused")}


def badge_html(badge: ClockBadge, *, now: datetime | None = None) -> SafeString:
    """One SLA badge: label, state, due time (and the region's, when it differs), countdown.

    Built with f-strings over escaped values (format_html costs several times more per call).
    """
    iso = badge.due_at.isoformat()
    state = escape(badge.state)
    html = (
        f'<span class="clock clock-{state}" data-state="{state}">'
        f'<span class="clock-label">{escape(badge.label)}</span>'
    )
    state_word = _STATE_WORDS.get(badge.state)
    if state_word is not None:
        html += f'<span class="clock-state">{escape(state_word)}</span>'
    due = gettext("due")  # outside the f-strings: makemessages does not read inside them
    html += (
        f'<span class="clock-due">{escape(due)} '
        f'<time datetime="{iso}">{escape(format_when(badge.due_at))}</time>'
    )
    zone = zone_or_none(badge.region_time_zone)
    if zone is not None and differs_from_viewer(zone, now or timezone.now()):
        region_time = gettext("region time")
        html += (
            f' <span class="muted">({escape(format_time(badge.due_at, zone))} '
            f"{escape(region_time)})</span>"
        )
    html += "</span>"
    if badge.live:
        # The words ("2 h left") come from tickets/_countdown_script.html, once per page.
        html += f'<span class="countdown" data-countdown="{iso}"></span>'
    return mark_safe(html + "</span>")  # noqa: S308 - every value is escaped above
