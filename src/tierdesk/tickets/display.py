"""What a page shows of a case's SLA clocks: badges built from the stored clock rows.

Badges need no business-time arithmetic: the clock rows hold the due instants, recomputed on
every change, so a list of cases costs one prefetch, not a computation per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from .choices import Status, TargetKind
from .models import Case, SlaClock

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
    """The badges of a case's clocks (pass prefetched clocks to avoid a query per case)."""
    paused = case.status in (Status.WAITING, Status.SOLVED, Status.CLOSED)
    badges = []
    for clock in sorted(clocks, key=lambda c: c.target != TargetKind.FIRST_RESPONSE):
        left = clock.due_at - now
        if clock.met_at is not None:
            state = "met" if clock.breached_at is None else "breached"
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
