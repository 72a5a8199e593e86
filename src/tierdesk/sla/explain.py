"""Explanations: why a due instant is what it is.

For a start, a target and pauses, the explanation lists the open intervals of the calendar that
were counted, in the region's local time (split at local midnight), and the business time that
fell inside pauses and was not counted. The counted intervals add up exactly to the target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from tierdesk.sla._pauses import Pause, clock_spans, due_us
from tierdesk.sla._time import US_PER_MINUTE, UTC, Minutes, duration_us, from_us, to_us
from tierdesk.sla.calendar import BusinessCalendar
from tierdesk.sla.clock import clock_calendar
from tierdesk.sla.policies import ClockKind


@dataclass(frozen=True)
class ExplainedInterval:
    """One interval [start, end) in local time; `counted` is False inside a pause."""

    start: datetime
    end: datetime
    counted: bool = True

    @property
    def duration(self) -> timedelta:
        """Length of the interval (in UTC: same-zone datetimes subtract as wall times)."""
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)

    def line(self, running_total: timedelta | None = None) -> str:
        """A human-readable line, e.g. ``Mon 2026-03-02 09:00-13:00 (+01:00)  240 min``."""
        s, e = self.start, self.end
        day = f"{s:%a} {s:%Y-%m-%d}"
        at_midnight = e.date() > s.date() and e.time() == time(0)
        end_text = "24:00" if at_midnight else _hm(e)
        if s.utcoffset() == e.utcoffset():
            span = f"{_hm(s)}-{end_text} ({_offset(s)})"
        else:
            span = f"{_hm(s)} ({_offset(s)}) - {end_text} ({_offset(e)})"
        text = f"{day} {span}  {format_minutes(self.duration)} min"
        if not self.counted:
            return f"{text}  paused, not counted"
        if running_total is not None:
            text += f"  (total {format_minutes(running_total)})"
        return text


@dataclass(frozen=True)
class Explanation:
    """The counted (and paused) intervals between `start` and `due`, in local time."""

    timezone: str
    kind: ClockKind
    start: datetime
    due: datetime
    target: timedelta
    intervals: tuple[ExplainedInterval, ...]

    @property
    def counted(self) -> timedelta:
        """Sum of the counted intervals (equals the target)."""
        return sum((i.duration for i in self.intervals if i.counted), timedelta())

    def lines(self) -> list[str]:
        """The explanation as text lines: a heading, then one line per interval."""
        label = "24x7" if self.kind is ClockKind.TWENTY_FOUR_SEVEN else "business"
        out = [
            f"{format_minutes(self.target)} {label} minutes from {self.start.isoformat()} "
            f"({self.timezone}) end at {self.due.isoformat()}:"
        ]
        total = timedelta()
        for interval in self.intervals:
            if interval.counted:
                total += interval.duration
            out.append("  " + interval.line(total))
        return out


def explain_due(
    calendar: BusinessCalendar,
    start: datetime,
    minutes: Minutes,
    pauses: Sequence[Pause] = (),
    kind: ClockKind | str = ClockKind.BUSINESS,
    now: datetime | None = None,
    stopped_at: datetime | None = None,
) -> Explanation:
    """Explain the due instant of `minutes` from `start` minus `pauses`.

    The pauses count as they count for `compute_clock` with the same `now` and `stopped_at`
    (see `_pauses.clock_spans`), so the explanation ends at that clock's `due`.
    """
    kind = ClockKind(kind)
    cal = clock_calendar(calendar, kind)
    t0 = to_us(start, "start")
    d = duration_us(minutes, "minutes")
    if now is None and any(end is None for _, end in pauses):
        raise ValueError("a pause without an end needs `now`")
    now_us = t0 if now is None else to_us(now, "now")
    stop = None if stopped_at is None else to_us(stopped_at, "stopped_at")
    spans = clock_spans(pauses, t0, now_us, stop)
    due = due_us(cal, t0, spans, d)
    intervals: list[ExplainedInterval] = []
    for lo, hi in cal.open_intervals_us(t0, due):
        cur = lo
        for p_lo, p_hi in spans:
            if p_hi <= cur or p_lo >= hi:
                continue
            if p_lo > cur:
                intervals += _local_pieces(cal, cur, p_lo, True)
            intervals += _local_pieces(cal, max(cur, p_lo), min(hi, p_hi), False)
            cur = min(hi, p_hi)
        if cur < hi:
            intervals += _local_pieces(cal, cur, hi, True)
    zone = cal.zone
    return Explanation(
        timezone=cal.timezone,
        kind=kind,
        start=from_us(t0).astimezone(zone),
        due=from_us(due).astimezone(zone),
        target=timedelta(microseconds=d),
        intervals=tuple(intervals),
    )


def _local_pieces(
    cal: BusinessCalendar, lo: int, hi: int, counted: bool
) -> list[ExplainedInterval]:
    """[lo, hi) in local time, split at local midnights."""
    out: list[ExplainedInterval] = []
    zone = cal.zone
    cur = lo
    while cur < hi:
        local = from_us(cur).astimezone(zone)
        midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=zone)
        nxt = to_us(midnight)
        end = hi if nxt <= cur else min(hi, nxt)
        out.append(
            ExplainedInterval(from_us(cur).astimezone(zone), from_us(end).astimezone(zone), counted)
        )
        cur = end
    return out


def format_minutes(duration: timedelta) -> str:
    """Minutes as text: ``240``, or ``59.5`` when not whole."""
    us = duration // timedelta(microseconds=1)
    if us % US_PER_MINUTE == 0:
        return str(us // US_PER_MINUTE)
    return f"{us / US_PER_MINUTE:.6f}".rstrip("0").rstrip(".")


def _hm(at: datetime) -> str:
    """``HH:MM`` (with seconds when not whole)."""
    if at.second or at.microsecond:
        return at.strftime("%H:%M:%S") + (f".{at.microsecond:06d}" if at.microsecond else "")
    return at.strftime("%H:%M")


def _offset(at: datetime) -> str:
    """UTC offset as ``+01:00``."""
    offset = at.utcoffset() or timedelta()
    sign = "-" if offset < timedelta() else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
