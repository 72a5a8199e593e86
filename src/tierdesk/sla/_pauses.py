"""Business time counted from a start, minus pauses: the arithmetic shared by clocks and
explanations (all instants in microseconds)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from tierdesk.sla._time import to_us

if TYPE_CHECKING:
    from tierdesk.sla.calendar import BusinessCalendar

Pause = tuple[datetime, datetime | None]
PauseUs = tuple[int, int]


def clock_spans(
    pauses: Sequence[Pause], start: int, now: int, stop: int | None = None
) -> list[PauseUs]:
    """The pauses a clock started at `start` does not count, evaluated at `now`, stopped at `stop`.

    Every combination of open and closed pauses is valid, wherever they lie:

    - only time from `start` on counts, so a pause that began earlier is cut at `start`;
    - a clock that stopped at `stop` no longer runs, so a pause that begins at or after `stop`
      is ignored and one that straddles it is cut there;
    - an open pause (still waiting on the customer) lasts until `min(now, stop)`: an open pause
      that began after that instant is ignored.

    A closed pause whose end is before its start is the only invalid input (ValueError).
    """
    until = now if stop is None else min(now, stop)
    return normalize_pauses(pauses, start, until, clip=stop)


def normalize_pauses(
    pauses: Sequence[Pause], start: int, until: int, clip: int | None = None
) -> list[PauseUs]:
    """Pauses as sorted, merged microsecond intervals from `start` on, cut at `clip` if given.

    A pause without an end (still waiting on the customer) lasts until `until`; one that began
    after `until` is ignored, as is any part of a pause before `start` or after `clip`.
    """
    spans: list[PauseUs] = []
    for i, (p_start, p_end) in enumerate(pauses):
        lo = to_us(p_start, f"pauses[{i}] start")
        if p_end is None:
            hi = until
        else:
            hi = to_us(p_end, f"pauses[{i}] end")
            if hi < lo:
                raise ValueError(f"pauses[{i}]: end {p_end} is before start {p_start}")
        lo = max(lo, start)
        if clip is not None:
            hi = min(hi, clip)
        if lo < hi:
            spans.append((lo, hi))
    spans.sort()
    merged: list[PauseUs] = []
    for lo, hi in spans:
        if merged and merged[-1][1] >= lo:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def due_us(calendar: BusinessCalendar, start: int, pauses: list[PauseUs], d: int) -> int:
    """The instant where `d` business microseconds from `start`, not counting pauses, end."""
    remaining, cur = d, start
    if remaining <= 0:
        return start
    for lo, hi in pauses:
        if hi <= cur:
            continue
        if lo > cur:
            candidate = calendar.add_us(cur, remaining)
            if candidate <= lo:
                return candidate
            remaining -= calendar.between_us(cur, lo)
        cur = max(cur, hi)
    return calendar.add_us(cur, remaining)


def counted_us(calendar: BusinessCalendar, start: int, pauses: list[PauseUs], at: int) -> int:
    """Business microseconds in [start, at) outside the pauses."""
    if at <= start:
        return 0
    total = calendar.between_us(start, at)
    for lo, hi in pauses:
        lo, hi = max(lo, start), min(hi, at)
        if lo < hi:
            total -= calendar.between_us(lo, hi)
    return total


def paused_us(calendar: BusinessCalendar, start: int, pauses: list[PauseUs], at: int) -> int:
    """Business microseconds in [start, at) inside the pauses."""
    return (
        calendar.between_us(start, at) - counted_us(calendar, start, pauses, at)
        if at > start
        else 0
    )
