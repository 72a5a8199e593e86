"""SLA clocks: due instant, elapsed, remaining, fraction used, state and warnings.

A clock counts time from a case's `start` towards a target: continuous time on a 24x7 clock,
the region's business time on a business clock. Time inside pauses (the case waits on the
customer) is not counted. `stopped_at` is when the target was fulfilled (first response sent,
case resolved); without it the clock is evaluated at `now`.

Any mix of open and closed pauses is valid input (`_pauses.clock_spans`): a pause that begins
after the stop is ignored and one that straddles it is cut there, because a stopped clock no
longer runs; an open pause lasts until `min(now, stopped_at)`. So an agent may answer a case
(stopping the first-response clock) and set it waiting later: the new pause leaves that clock
alone. `explain.explain_due` counts pauses the same way, so an explanation ends at `due`.

- ``due``: the instant at which the counted time reaches the target. While a pause is still open
  the due instant is *projected*: as if the customer answered at `now`.
- ``elapsed``: counted time up to `stopped_at` (or `now`); ``remaining = target - elapsed``
  (negative once overrun); ``fraction = elapsed / target``.
- ``state``: ``met`` (stopped at or before due), ``breached`` (stopped after due, or `now` is
  past due), ``paused`` (`now` inside a pause), else ``running``.
- warnings: for each fraction f (default 0.75), the instant the counted time reaches f x target.
  On a business clock a warning instant that falls on a closing time moves to the next opening,
  and a warning is only *due* (in ``warnings_due``) while the calendar is open at `now`, so
  nobody is warned in the middle of a closed day. Only running clocks have warnings due.
- severity changes (`compute_case_clock`): the target and clock kind of the severity in force
  at the evaluation instant apply from the case's start, minus paused time (product.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from tierdesk.sla._pauses import Pause, clock_spans, counted_us, due_us, paused_us
from tierdesk.sla._time import Minutes, duration_us, from_us, to_us
from tierdesk.sla.calendar import BusinessCalendar
from tierdesk.sla.policies import (
    DEFAULT_POLICIES,
    ClockKind,
    Metric,
    PolicyKey,
    SupportTier,
    Target,
    target_for,
)

DEFAULT_WARN_FRACTIONS = (0.75,)


class ClockStatus(StrEnum):
    """Where a clock stands."""

    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"


@dataclass(frozen=True)
class WarningPoint:
    """A warning at `fraction` of the target, due at `at` (UTC)."""

    fraction: float
    at: datetime


@dataclass(frozen=True)
class ClockState:
    """A clock evaluated at one instant (see the module docstring); instants in UTC."""

    kind: ClockKind
    target: timedelta
    start: datetime
    now: datetime
    due: datetime
    elapsed: timedelta
    remaining: timedelta
    fraction: float
    state: ClockStatus
    stopped_at: datetime | None
    paused: timedelta
    warnings: tuple[WarningPoint, ...]
    warnings_due: tuple[WarningPoint, ...]

    @property
    def breached(self) -> bool:
        """Whether the target was missed."""
        return self.state is ClockStatus.BREACHED


def clock_calendar(calendar: BusinessCalendar, kind: ClockKind | str) -> BusinessCalendar:
    """The calendar a clock of `kind` counts in: the region's, or 24x7 in its time zone."""
    if ClockKind(kind) is ClockKind.TWENTY_FOUR_SEVEN:
        return BusinessCalendar.always_open(calendar.timezone)
    return calendar


def compute_clock(
    *,
    target_minutes: Minutes,
    kind: ClockKind | str,
    calendar: BusinessCalendar,
    start: datetime,
    now: datetime,
    pauses: Sequence[Pause] = (),
    stopped_at: datetime | None = None,
    warn_fractions: Sequence[float] = DEFAULT_WARN_FRACTIONS,
) -> ClockState:
    """Evaluate a clock of `target_minutes` (> 0) started at `start`, at `now`."""
    kind = ClockKind(kind)
    cal = clock_calendar(calendar, kind)
    target = duration_us(target_minutes, "target")
    if target <= 0:
        raise ValueError("target must be positive")
    fractions = sorted(set(warn_fractions))
    if any(not 0 < f < 1 for f in fractions):
        raise ValueError("warning fractions must be between 0 and 1 (exclusive)")
    t0 = to_us(start, "start")
    now_us = to_us(now, "now")
    stop = None if stopped_at is None else to_us(stopped_at, "stopped_at")
    if stop is not None and stop < t0:
        raise ValueError("stopped_at is before start")
    until = now_us if stop is None else stop
    spans = clock_spans(pauses, t0, now_us, stop)
    due = due_us(cal, t0, spans, target)
    elapsed = counted_us(cal, t0, spans, until)
    if stop is not None:
        state = ClockStatus.MET if stop <= due else ClockStatus.BREACHED
    elif now_us > due:
        state = ClockStatus.BREACHED
    elif _paused_at(pauses, now_us):
        state = ClockStatus.PAUSED
    else:
        state = ClockStatus.RUNNING
    warnings = []
    for f in fractions:
        at = due_us(cal, t0, spans, round(f * target))
        if kind is ClockKind.BUSINESS and not cal.is_open_us(at):
            at = cal.next_opening_us(at) or at
        warnings.append(WarningPoint(f, from_us(at)))
    open_now = kind is ClockKind.TWENTY_FOUR_SEVEN or cal.is_open_us(now_us)
    warnings_due = tuple(
        w for w in warnings if state is ClockStatus.RUNNING and open_now and to_us(w.at) <= now_us
    )
    return ClockState(
        kind=kind,
        target=timedelta(microseconds=target),
        start=from_us(t0),
        now=from_us(now_us),
        due=from_us(due),
        elapsed=timedelta(microseconds=elapsed),
        remaining=timedelta(microseconds=target - elapsed),
        fraction=elapsed / target,
        state=state,
        stopped_at=None if stop is None else from_us(stop),
        paused=timedelta(microseconds=paused_us(cal, t0, spans, until)),
        warnings=tuple(warnings),
        warnings_due=warnings_due,
    )


def _paused_at(pauses: Sequence[Pause], at: int) -> bool:
    """Whether `at` lies inside a pause (an open pause lasts forever)."""
    for p_start, p_end in pauses:
        if to_us(p_start) <= at and (p_end is None or at < to_us(p_end)):
            return True
    return False


def severity_at(severity_history: Sequence[tuple[datetime, int]], at: datetime) -> int:
    """The severity in force at `at`: the last change at or before it (else the first one)."""
    if not severity_history:
        raise ValueError("severity_history must hold at least the initial severity")
    # Compare as UTC microseconds: aware datetimes sharing a tzinfo compare as wall times.
    ordered = sorted(severity_history, key=lambda item: to_us(item[0], "severity change"))
    at_us = to_us(at, "at")
    current = ordered[0][1]
    for changed_at, severity in ordered:
        if to_us(changed_at) <= at_us:
            current = severity
    return current


def compute_case_clock(
    *,
    plan: SupportTier | str,
    metric: Metric | str,
    severity_history: Sequence[tuple[datetime, int]],
    calendar: BusinessCalendar,
    start: datetime,
    now: datetime,
    pauses: Sequence[Pause] = (),
    stopped_at: datetime | None = None,
    policies: Mapping[PolicyKey, Target] = DEFAULT_POLICIES,
    warn_fractions: Sequence[float] = DEFAULT_WARN_FRACTIONS,
) -> ClockState | None:
    """A case's clock for one metric; None when its plan has no such target.

    The severity in force at `stopped_at` (or `now`) decides the target and the clock kind, and
    they apply from `start` as if that severity had been set from the beginning.
    """
    severity = severity_at(severity_history, stopped_at or now)
    target = target_for(plan, severity, policies)
    minutes = target.minutes_for(metric)
    if minutes is None:
        return None
    return compute_clock(
        target_minutes=minutes,
        kind=target.clock,
        calendar=calendar,
        start=start,
        now=now,
        pauses=pauses,
        stopped_at=stopped_at,
        warn_fractions=warn_fractions,
    )
