"""The open UTC intervals of a calendar over one UTC year, exact under DST changes.

Within a segment of constant UTC offset ``off``, local wall-clock time is ``utc + off``; so the
business instants of the segment are the local opening windows shifted by ``-off`` and clipped to
the segment. This is the meaning "an instant is business time when the local wall clock shows a
time inside an opening window of a local date that is not closed", with no rounding: a window
over a skipped hour is shorter, one over a repeated hour longer, and a window whose edge falls in
a gap or overlap gets exactly the instants its wall-clock times cover.
"""

from __future__ import annotations

from datetime import date, timedelta

from tierdesk.sla._time import US_PER_DAY, US_PER_MINUTE
from tierdesk.sla._zone import offset_segments
from tierdesk.sla.calendar_spec import MINUTES_PER_DAY, CalendarSpec

Interval = tuple[int, int]  # [utc_start_us, utc_end_us)

_EPOCH_DATE = date(1970, 1, 1)


def year_intervals(spec: CalendarSpec, year: int) -> list[Interval]:
    """Maximal open intervals (UTC microseconds) inside one UTC calendar year, in order."""
    out: list[Interval] = []
    for seg_lo, seg_hi, off in offset_segments(spec.timezone, year):
        local_lo, local_hi = seg_lo + off, seg_hi + off
        first_day = local_lo // US_PER_DAY
        last_day = (local_hi - 1) // US_PER_DAY
        for day_index in range(first_day, last_day + 1):
            windows = spec.windows_on(_EPOCH_DATE + timedelta(days=day_index))
            day_us = day_index * US_PER_DAY
            for start_min, end_min in windows:
                lo = max(day_us + start_min * US_PER_MINUTE, local_lo) - off
                hi = min(day_us + end_min * US_PER_MINUTE, local_hi) - off
                if lo < hi:
                    if out and out[-1][1] >= lo:
                        out[-1] = (out[-1][0], max(out[-1][1], hi))
                    else:
                        out.append((lo, hi))
    return out


def constant_after(spec: CalendarSpec) -> tuple[str, int | None]:
    """Whether the calendar is eventually constant: ("always"|"never"|"periodic", from_us).

    With every weekday fully open (or fully closed), the calendar only changes on special dates
    (holidays, closed, open); after the last of them, plus two days for any UTC offset, it is
    constant. ``from_us`` is None when there are no special dates.
    """
    full = ((0, MINUTES_PER_DAY),)
    merged = [_merge(day) for day in spec.weekly]
    if all(day == full for day in merged):
        kind = "always"
    elif all(not day for day in merged):
        kind = "never"
    else:
        return "periodic", None
    special = set(spec.holidays) | set(spec.closed) | set(spec.open)
    if not special:
        return kind, None
    last = max(special)
    return kind, ((last - _EPOCH_DATE).days + 3) * US_PER_DAY


def _merge(windows: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """Touching windows merged."""
    out: list[tuple[int, int]] = []
    for s, e in windows:
        if out and out[-1][1] >= s:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return tuple(out)
