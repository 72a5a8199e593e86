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


def normalize_pauses(
    pauses: Sequence[Pause], start: int, until: int, clip: int | None = None
) -> list[PauseUs]:
    """Pauses as sorted, merged microsecond intervals from `start` on, cut at `clip` if given.

    A pause without an end (still waiting on the customer) lasts until `until`.
    """
    spans: list[PauseUs] = []
    for i, (p_start, p_end) in enumerate(pauses):
        lo = to_us(p_start, f"pauses[{i}] start")
        hi = until if p_end is None else to_us(p_end, f"pauses[{i}] end")
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
