"""`BusinessCalendar`: business-time arithmetic on precomputed UTC intervals.

Meaning. An instant is *business time* when the region's wall clock at that instant shows a time
inside an opening window of that local date, and the date is open (see `CalendarSpec`). Business
time is continuous: a start at 09:00:30 with one minute to go is due at 09:01:30.

Shapes (all instants are aware datetimes; naive ones raise ValueError; results are in UTC):

- ``add(start, minutes) -> datetime``: the instant at which the last counted business
  microsecond ends; a target that ends exactly at a closing time is due at that closing time.
  ``minutes`` is an int, a float or a timedelta, never negative; ``add(t, 0) == t``.
- ``between(a, b) -> timedelta``: business time in ``[a, b)``; negative when ``b < a``.
- ``is_open(at) -> bool``: whether ``at`` is business time (windows are half-open).
- ``next_opening(at) -> datetime | None``: ``at`` itself when open, else the start of the next
  open period; None when the calendar never opens again.
- ``next_closing(at) -> datetime | None``: the end of the open period containing ``at``, or of
  the next one when closed; None when it never closes again (24x7).
- ``open_intervals(a, b) -> list[tuple[datetime, datetime]]``: open periods clipped to [a, b).
- ``add_many(starts, minutes) -> numpy datetime64[us] array`` (UTC, naive numpy values): the
  bulk form of ``add``; ``starts`` is a datetime64 array taken as UTC or a sequence of aware
  datetimes, ``minutes`` a scalar or an array of the same length.
- ``explain(start, minutes, pauses=()) -> Explanation`` (see `tierdesk.sla.explain`).

Implementation. Open periods are built per UTC year on demand (in both directions), merged into
maximal intervals and stored with running totals of business microseconds. A position function
``P(t)`` (business time since a fixed anchor) is a binary search; ``add`` is a second binary
search on the running totals; ``between`` is ``P(b) - P(a)``; the bulk form is numpy's
``searchsorted``. Tables are immutable snapshots replaced under a lock, so readers never lock.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from tierdesk.sla._intervals import Interval, constant_after, year_intervals
from tierdesk.sla._time import (
    EPOCH as _EPOCH,
)
from tierdesk.sla._time import (
    MAX_YEAR,
    MIN_YEAR,
    Minutes,
    duration_us,
    from_us,
    to_us,
    year_of,
    year_start_us,
)
from tierdesk.sla._time import (
    ONE_US as _ONE_US,
)
from tierdesk.sla.calendar_spec import (
    CalendarSpec,
    calendar_spec_from_json,
    twenty_four_seven,
    zone_for,
)

if TYPE_CHECKING:
    from tierdesk.sla.explain import Explanation

I64 = npt.NDArray[np.int64]


class NoBusinessTimeError(ValueError):
    """The calendar has no (more) business time where a query needs it."""


@dataclass(eq=False, slots=True)
class _Table:
    """An immutable snapshot of the open intervals over UTC years [lo_year, hi_year)."""

    lo_year: int
    hi_year: int
    lo_us: int
    hi_us: int
    base: int  # position (business microseconds since the anchor) at lo_us
    starts: list[int]
    ends: list[int]
    cum0: list[int]  # position at each interval's start
    cum1: list[int]  # position at each interval's end
    shift: list[int]  # starts[i] - cum0[i]: instant = position + shift inside interval i
    arrays: tuple[I64, I64, I64] | None = field(default=None)

    @property
    def total_end(self) -> int:
        """Position at hi_us."""
        return self.cum1[-1] if self.cum1 else self.base

    def np_arrays(self) -> tuple[I64, I64, I64]:
        """starts, cum0 and cum1 as int64 arrays (built once per snapshot)."""
        if self.arrays is None:
            self.arrays = (
                np.asarray(self.starts, dtype=np.int64),
                np.asarray(self.cum0, dtype=np.int64),
                np.asarray(self.cum1, dtype=np.int64),
            )
        return self.arrays


class BusinessCalendar:
    """Business-time arithmetic for one `CalendarSpec` (see the module docstring)."""

    def __init__(self, spec: CalendarSpec) -> None:
        """Prepare a calendar; intervals are computed lazily as queries need them."""
        self.spec = spec
        self.zone: ZoneInfo = zone_for(spec.timezone)
        self._kind, self._constant_from = constant_after(spec)
        self._lock = threading.Lock()
        self._years: dict[int, list[Interval]] = {}
        self._table: _Table | None = None

    @classmethod
    def from_spec(cls, spec: CalendarSpec) -> BusinessCalendar:
        """A shared (cached) calendar for a spec."""
        return _cached_calendar(spec)

    @classmethod
    def from_json(cls, data: object) -> BusinessCalendar:
        """A shared calendar for the JSON form of a spec; raises CalendarSpecError."""
        return _cached_calendar(calendar_spec_from_json(data))

    @classmethod
    def always_open(cls, timezone: str = "UTC") -> BusinessCalendar:
        """The shared 24x7 calendar of a time zone."""
        return _cached_calendar(twenty_four_seven(timezone))

    @property
    def timezone(self) -> str:
        """The IANA key of the calendar's time zone."""
        return self.spec.timezone

    def __repr__(self) -> str:
        """Readable form."""
        return f"BusinessCalendar({self.spec.timezone!r})"

    # ---- tables ---------------------------------------------------------------------------

    def _build(self, lo_year: int, hi_year: int) -> _Table:
        """A snapshot over [lo_year, hi_year), reusing year chunks; call with the lock held."""
        if lo_year < MIN_YEAR or hi_year > MAX_YEAR + 1:
            raise ValueError(f"business time beyond the supported years {MIN_YEAR}..{MAX_YEAR}")
        old = self._table
        for year in range(lo_year, hi_year):
            if year not in self._years:
                self._years[year] = year_intervals(self.spec, year)
        starts: list[int] = []
        ends: list[int] = []
        for year in range(lo_year, hi_year):
            for lo, hi in self._years[year]:
                if ends and ends[-1] >= lo:
                    ends[-1] = hi
                else:
                    starts.append(lo)
                    ends.append(hi)
        if old is None:
            base = 0
        else:  # keep positions stable: the old lo_us keeps its old position
            lo_us = year_start_us(lo_year)
            base = (
                old.base
                - sum(
                    min(e, old.lo_us) - s
                    for s, e in zip(starts, ends, strict=True)
                    if s < old.lo_us
                )
                if lo_us < old.lo_us
                else old.base
            )
        cum0: list[int] = []
        cum1: list[int] = []
        pos = base
        for s, e in zip(starts, ends, strict=True):
            cum0.append(pos)
            pos += e - s
            cum1.append(pos)
        return _Table(
            lo_year,
            hi_year,
            year_start_us(lo_year),
            year_start_us(hi_year),
            base,
            starts,
            ends,
            cum0,
            cum1,
            [s - c for s, c in zip(starts, cum0, strict=True)],
        )

    def _cover(self, lo_us: int, hi_us: int | None = None) -> _Table:
        """A snapshot whose range contains the instants lo_us..hi_us (inclusive)."""
        hi_us = lo_us if hi_us is None else hi_us
        table = self._table
        if table is not None and table.lo_us <= lo_us and hi_us < table.hi_us:
            return table
        with self._lock:
            table = self._table
            lo_year, hi_year = year_of(lo_us), year_of(hi_us) + 1
            if table is not None:
                if table.lo_us <= lo_us and hi_us < table.hi_us:
                    return table
                lo_year, hi_year = min(lo_year, table.lo_year), max(hi_year, table.hi_year)
            table = self._build(lo_year, hi_year)
            self._table = table
            return table

    def _extend_forward(self, table: _Table, years: int) -> _Table:
        """A snapshot reaching at least `years` further than `table`."""
        with self._lock:
            current = self._table
            assert current is not None
            hi_year = max(current.hi_year, min(table.hi_year + years, MAX_YEAR + 1))
            if hi_year == current.hi_year and current.hi_year > table.hi_year:
                return current
            if hi_year <= table.hi_year:
                raise NoBusinessTimeError(f"the result would be after the year {MAX_YEAR}")
            table = self._build(current.lo_year, hi_year)
            self._table = table
            return table

    def _exhausted(self, table: _Table, kind: str) -> bool:
        """Whether nothing changes past `table`: the calendar is constantly `kind` beyond it."""
        if self._kind != kind:
            return False
        return self._constant_from is None or table.hi_us >= self._constant_from

    def _ensure_total(self, table: _Table, target: int) -> _Table:
        """A snapshot whose intervals reach the position `target`; raises NoBusinessTimeError."""
        while table.total_end < target:
            if self._exhausted(table, "never"):
                last = from_us(table.ends[-1]).isoformat() if table.ends else None
                raise NoBusinessTimeError(
                    f"the calendar ({self.spec.timezone}) has no business time"
                    + (f" after {last}" if last else "")
                )
            span = table.total_end - table.base
            years = table.hi_year - table.lo_year
            missing = target - table.total_end
            step = 1 if span <= 0 else max(1, -(-missing * years // span))
            table = self._extend_forward(table, step)
        return table

    # ---- microsecond API (used by clocks and explanations) -----------------------------------

    @staticmethod
    def _position(table: _Table, t: int) -> int:
        """Position at t (t inside the table's range)."""
        i = bisect_right(table.starts, t) - 1
        if i < 0:
            return table.base
        pos = table.cum0[i] + (t - table.starts[i])
        end = table.cum1[i]
        return pos if pos < end else end

    def add_us(self, t: int, d: int) -> int:
        """`add` on microseconds: the instant where d business microseconds after t end."""
        if d <= 0:
            if d < 0:
                raise ValueError("duration must not be negative")
            return t
        # The hot path of single adds, inlined: cover, position, then the second search.
        table = self._table
        if table is None or not table.lo_us <= t < table.hi_us:
            table = self._cover(t)
        starts = table.starts
        i = bisect_right(starts, t) - 1
        if i < 0:
            target = table.base + d
        else:
            pos = table.cum0[i] + (t - starts[i])
            end = table.cum1[i]
            target = (pos if pos < end else end) + d
        cum1 = table.cum1
        if not cum1 or cum1[-1] < target:
            table = self._ensure_total(table, target)
            cum1 = table.cum1
        j = bisect_left(cum1, target)
        return table.starts[j] + (target - table.cum0[j])

    def between_us(self, a: int, b: int) -> int:
        """`between` on microseconds."""
        table = self._cover(min(a, b), max(a, b))
        return self._position(table, b) - self._position(table, a)

    def is_open_us(self, t: int) -> bool:
        """`is_open` on microseconds."""
        table = self._cover(t)
        i = bisect_right(table.starts, t) - 1
        return i >= 0 and t < table.ends[i]

    def open_intervals_us(self, a: int, b: int) -> list[Interval]:
        """Open intervals clipped to [a, b), in microseconds."""
        if b <= a:
            return []
        table = self._cover(a, b)
        i = max(bisect_right(table.starts, a) - 1, 0)
        out: list[Interval] = []
        while i < len(table.starts) and table.starts[i] < b:
            lo, hi = max(table.starts[i], a), min(table.ends[i], b)
            if lo < hi:
                out.append((lo, hi))
            i += 1
        return out

    def next_opening_us(self, t: int) -> int | None:
        """`next_opening` on microseconds."""
        table = self._cover(t)
        while True:
            i = bisect_right(table.starts, t) - 1
            if i >= 0 and t < table.ends[i]:
                return t
            if i + 1 < len(table.starts):
                return table.starts[i + 1]
            if self._exhausted(table, "never") or table.hi_year > MAX_YEAR:
                return None
            table = self._extend_forward(table, 1)

    def next_closing_us(self, t: int) -> int | None:
        """`next_closing` on microseconds."""
        table = self._cover(t)
        while True:
            i = bisect_right(table.starts, t) - 1
            if not (i >= 0 and t < table.ends[i]):
                i += 1
            if i < len(table.starts) and table.ends[i] < table.hi_us:
                return table.ends[i]
            if i >= len(table.starts) and self._exhausted(table, "never"):
                return None
            if self._exhausted(table, "always") or table.hi_year > MAX_YEAR:
                return None
            table = self._extend_forward(table, 1)

    # ---- datetime API --------------------------------------------------------------------

    def add(self, start: datetime, minutes: Minutes) -> datetime:
        """The instant (UTC) at which `minutes` of business time counted from `start` end."""
        # add_us inlined for the common case (a positive whole number of minutes, a start
        # inside the current table, enough business time in it): two Python calls fewer.
        table = self._table
        if type(minutes) is int and minutes > 0 and table is not None:
            try:  # to_us inlined; naive or non-datetime starts take the checked path below
                t = (start - _EPOCH) // _ONE_US
            except TypeError:
                t = to_us(start, "start")
            if table.lo_us <= t < table.hi_us:  # inside the table implies inside the valid range
                starts = table.starts
                i = bisect_right(starts, t) - 1
                if i < 0:
                    target = table.base + minutes * 60_000_000
                else:
                    end = table.cum1[i]
                    pos = t - table.shift[i]
                    target = (pos if pos < end else end) + minutes * 60_000_000
                cum1 = table.cum1
                if cum1 and cum1[-1] >= target:
                    return _EPOCH + timedelta(0, 0, target + table.shift[bisect_left(cum1, target)])
            return _EPOCH + timedelta(
                0, 0, self.add_us(to_us(start, "start"), minutes * 60_000_000)
            )
        return _EPOCH + timedelta(0, 0, self.add_us(to_us(start, "start"), duration_us(minutes)))

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Business time in [a, b) (negative when b is before a)."""
        return timedelta(microseconds=self.between_us(to_us(a, "a"), to_us(b, "b")))

    def minutes_between(self, a: datetime, b: datetime) -> float:
        """Business minutes in [a, b), as a float."""
        return self.between_us(to_us(a, "a"), to_us(b, "b")) / 60_000_000

    def is_open(self, at: datetime) -> bool:
        """Whether `at` is business time."""
        return self.is_open_us(to_us(at, "at"))

    def next_opening(self, at: datetime) -> datetime | None:
        """`at` when open, else the next opening (UTC); None if the calendar never reopens."""
        t = self.next_opening_us(to_us(at, "at"))
        return None if t is None else from_us(t)

    def next_closing(self, at: datetime) -> datetime | None:
        """End of the current (or next) open period (UTC); None if it never closes."""
        t = self.next_closing_us(to_us(at, "at"))
        return None if t is None else from_us(t)

    def open_intervals(self, a: datetime, b: datetime) -> list[tuple[datetime, datetime]]:
        """Open periods (UTC) clipped to [a, b)."""
        return [(from_us(lo), from_us(hi)) for lo, hi in self.open_intervals_us(to_us(a), to_us(b))]

    def explain(
        self,
        start: datetime,
        minutes: Minutes,
        pauses: Sequence[tuple[datetime, datetime | None]] = (),
    ) -> Explanation:
        """Why `add(start, minutes)` (minus pauses) is due when it is: the counted intervals."""
        from tierdesk.sla.explain import explain_due

        return explain_due(self, start, minutes, pauses)

    # ---- bulk ----------------------------------------------------------------------------

    def add_many_us(self, starts: I64, durations: I64) -> I64:
        """Bulk `add_us` on int64 arrays of microseconds (durations broadcast)."""
        t = np.asarray(starts, dtype=np.int64)
        d = np.broadcast_to(np.asarray(durations, dtype=np.int64), t.shape)
        if t.size == 0:
            return t.copy()
        if (d < 0).any():
            raise ValueError("durations must not be negative")
        table = self._cover(int(t.min()), int(t.max()))
        s, c0, c1 = table.np_arrays()
        i = np.searchsorted(s, t, side="right") - 1
        ic = np.maximum(i, 0)
        pos = np.where(i < 0, table.base, np.minimum(c0[ic] + (t - s[ic]), c1[ic]))
        target = pos + d
        need = int(target.max())
        if table.total_end < need:
            table = self._ensure_total(table, need)
            s, c0, c1 = table.np_arrays()
        j = np.searchsorted(c1, target, side="left")
        j = np.minimum(j, len(c1) - 1) if len(c1) else j
        out: I64 = np.where(d == 0, t, s[j] + (target - c0[j])) if len(c1) else t.copy()
        return out

    def add_many(self, starts: Any, minutes: Any) -> npt.NDArray[np.datetime64]:
        """Bulk `add`: datetime64[us] UTC results for datetime64 (UTC) or aware-datetime starts."""
        if isinstance(starts, np.ndarray) and np.issubdtype(starts.dtype, np.datetime64):
            t = starts.astype("datetime64[us]").astype(np.int64)
        else:
            t = np.fromiter((to_us(x, "start") for x in starts), dtype=np.int64)
        d: I64
        if isinstance(minutes, timedelta):
            d = np.asarray(duration_us(minutes), dtype=np.int64)
        else:
            m = np.asarray(minutes)
            if np.issubdtype(m.dtype, np.timedelta64):
                d = m.astype("timedelta64[us]").astype(np.int64)
            elif np.issubdtype(m.dtype, np.integer):
                d = m.astype(np.int64) * 60_000_000
            else:
                d = np.rint(m.astype(np.float64) * 60_000_000).astype(np.int64)
        return self.add_many_us(t, d).astype("datetime64[us]")


@lru_cache(maxsize=256)
def _cached_calendar(spec: CalendarSpec) -> BusinessCalendar:
    """One BusinessCalendar per distinct spec."""
    return BusinessCalendar(spec)
