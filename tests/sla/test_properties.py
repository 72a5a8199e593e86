"""Property tests of BusinessCalendar against the brute-force minute-by-minute reference."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from sla_testkit import MINUTE, SETTINGS, Reference, instants, minute_starts, specs

from tierdesk.sla import BusinessCalendar, CalendarSpec

US = timedelta(microseconds=1)
durations = st.integers(0, 2400)


@SETTINGS
@given(spec=specs(), start=minute_starts(), n=durations)
def test_add_matches_reference(spec: CalendarSpec, start: datetime, n: int) -> None:
    expected = Reference(spec).add(start, n)
    assume(expected is not None)
    assert BusinessCalendar(spec).add(start, n) == expected


@SETTINGS
@given(spec=specs(), a=minute_starts(), length=st.integers(0, 6 * 1440))
def test_between_and_is_open_match_reference(spec: CalendarSpec, a: datetime, length: int) -> None:
    cal = BusinessCalendar(spec)
    ref = Reference(spec)
    b = a + length * MINUTE
    assert cal.between(a, b) == ref.between(a, b) * MINUTE
    assert cal.between(b, a) == -cal.between(a, b)
    for k in range(0, length, 37):
        t = a + k * MINUTE
        assert cal.is_open(t) == ref.is_open_minute(t), t


@SETTINGS
@given(spec=specs(), start=instants(), minutes=st.floats(0, 5000) | durations)
def test_add_then_between_gives_the_duration(
    spec: CalendarSpec, start: datetime, minutes: float
) -> None:
    cal = BusinessCalendar(spec)
    due = cal.add(start, minutes)
    assert due >= start
    assert cal.between(start, due) == timedelta(microseconds=round(minutes * 60_000_000))


@SETTINGS
@given(
    spec=specs(),
    s1=instants(),
    gap=st.integers(0, 4 * 1440 * 60),
    d1=durations,
    extra=st.integers(0, 600),
)
def test_monotonic_in_start_and_duration(
    spec: CalendarSpec, s1: datetime, gap: int, d1: int, extra: int
) -> None:
    cal = BusinessCalendar(spec)
    s2 = s1 + timedelta(seconds=gap)
    assert cal.add(s1, d1) <= cal.add(s2, d1)
    assert cal.add(s1, d1) <= cal.add(s1, d1 + extra)


@SETTINGS
@given(spec=specs(), start=instants(), n=st.integers(1, 2400))
def test_due_never_strictly_inside_a_closed_period(
    spec: CalendarSpec, start: datetime, n: int
) -> None:
    cal = BusinessCalendar(spec)
    due = cal.add(start, n)
    # The instant just before the due instant is business time: the due instant is inside an
    # open period or exactly at its closing, never in the middle of a closed one.
    assert cal.between(due - US, due) == US
    assert cal.is_open(due) or cal.next_opening(due) != due


@SETTINGS
@given(spec=specs(), start=minute_starts())
def test_next_opening_and_closing_match_reference(spec: CalendarSpec, start: datetime) -> None:
    cal = BusinessCalendar(spec)
    ref = Reference(spec)
    opening = cal.next_opening(start)
    assert opening is not None
    t = start
    while not ref.is_open_minute(t):
        t += MINUTE
    assert opening == t
    closing = cal.next_closing(start)
    if all(day == ((0, 1440),) for day in spec.weekly):
        return
    assert closing is not None
    while ref.is_open_minute(t):
        t += MINUTE
    assert closing == t


@SETTINGS
@given(
    spec=specs(),
    starts=st.lists(instants(), min_size=1, max_size=30),
    minutes=st.lists(durations, min_size=30, max_size=30),
)
def test_bulk_equals_single(spec: CalendarSpec, starts: list[datetime], minutes: list[int]) -> None:
    cal = BusinessCalendar(spec)
    mins = np.array(minutes[: len(starts)], dtype=np.int64)
    bulk = cal.add_many(starts, mins)
    as_array = np.array([s.replace(tzinfo=None) for s in starts], dtype="datetime64[us]")
    assert (cal.add_many(as_array, mins) == bulk).all()
    for s, m, b in zip(starts, mins, bulk, strict=True):
        assert cal.add(s, int(m)).replace(tzinfo=None) == b.astype(datetime)


@SETTINGS
@given(spec=specs(), start=instants(), n=durations, earlier=st.integers(-3 * 365, 0))
def test_results_do_not_depend_on_query_order(
    spec: CalendarSpec, start: datetime, n: int, earlier: int
) -> None:
    """Lazily extending the tables backwards keeps every answer the same."""
    fresh = BusinessCalendar(spec)
    expected = fresh.add(start, n)
    cal = BusinessCalendar(spec)
    cal.is_open(start)
    cal.between(start + timedelta(days=earlier), start)
    assert cal.add(start, n) == expected
    assert cal.between(start, expected) == n * MINUTE


def test_reference_sanity() -> None:
    spec = CalendarSpec("UTC", (((540, 600),),) * 7)
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    assert Reference(spec).add(start, 60) == start + 60 * MINUTE
    assert Reference(spec).add(start, 61) == start + timedelta(days=1, minutes=1)
