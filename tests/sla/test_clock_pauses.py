"""Clocks accept every valid mix of open and closed pauses and a stop instant (issue 7, finding 1).

An agent answers a case (the first-response clock stops) and sets it waiting an hour later: the
new, open pause began after the stop. The clock used to cut it at the stop, before it began, and
raised. These tests draw pauses anywhere (before the start, before and after the stop, straddling
it, overlapping, open) and check that the clock never raises, that what happens after the stop
never moves its due instant, and that the due instant is the brute-force reference's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st
from sla_testkit import MINUTE, SETTINGS, Reference, minute_starts, specs

from tierdesk.sla import BusinessCalendar, CalendarSpec
from tierdesk.sla.clock import ClockStatus, compute_clock
from tierdesk.sla.explain import explain_due

Pause = tuple[datetime, datetime | None]
ALWAYS = BusinessCalendar.always_open("UTC")
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_answered_then_waiting_later_does_not_raise() -> None:
    """The 500 of finding 1: an open pause that began an hour after the clock stopped."""
    clock = compute_clock(
        target_minutes=60,
        kind="24x7",
        calendar=ALWAYS,
        start=T0,
        now=T0 + 2 * HOUR,
        pauses=[(T0 + 1.5 * HOUR, None)],
        stopped_at=T0 + 0.5 * HOUR,
    )
    assert clock.state is ClockStatus.MET
    assert clock.due == T0 + HOUR
    assert clock.paused == timedelta()
    explanation = explain_due(
        ALWAYS, T0, 60, [(T0 + 1.5 * HOUR, None)], "24x7", now=T0 + 2 * HOUR,
        stopped_at=T0 + 0.5 * HOUR,
    )  # fmt: skip
    assert explanation.due == clock.due


def test_a_pause_straddling_the_stop_is_cut_there() -> None:
    kw = {"target_minutes": 120, "kind": "24x7", "calendar": ALWAYS, "start": T0}
    cut = compute_clock(
        **kw,  # type: ignore[arg-type]
        now=T0 + 5 * HOUR,
        pauses=[(T0 + HOUR, T0 + 4 * HOUR)],
        stopped_at=T0 + 3 * HOUR,
    )
    # Counted: 09:00-10:00 (the pause runs 10:00-12:00 once cut at the stop): breached at 12:00.
    assert cut.elapsed == HOUR
    assert cut.paused == 2 * HOUR
    assert cut.due == T0 + 4 * HOUR
    assert cut.state is ClockStatus.MET


def test_an_open_pause_lasts_until_now_or_the_stop() -> None:
    kw = {"target_minutes": 120, "kind": "24x7", "calendar": ALWAYS, "start": T0}
    running = compute_clock(**kw, now=T0 + 3 * HOUR, pauses=[(T0 + HOUR, None)])  # type: ignore[arg-type]
    assert running.state is ClockStatus.PAUSED
    assert running.due == T0 + 4 * HOUR  # projected: as if the customer answered now
    stopped = compute_clock(
        **kw,  # type: ignore[arg-type]
        now=T0 + 3 * HOUR,
        pauses=[(T0 + HOUR, None)],
        stopped_at=T0 + 2 * HOUR,
    )
    assert stopped.paused == HOUR
    assert stopped.due == T0 + 3 * HOUR


def test_a_closed_pause_ending_before_it_begins_is_still_refused() -> None:
    import pytest

    with pytest.raises(ValueError, match="before start"):
        compute_clock(
            target_minutes=60,
            kind="24x7",
            calendar=ALWAYS,
            start=T0,
            now=T0 + HOUR,
            pauses=[(T0 + HOUR, T0)],
        )


@st.composite
def pauses_around(
    draw: st.DrawFn, start: datetime, stop: datetime | None, now: datetime
) -> list[Pause]:
    """Closed pauses before the start, before, across and after the stop, and open ones."""
    anchors = [start, now] + ([stop] if stop is not None else [])
    out: list[Pause] = []
    for _ in range(draw(st.integers(0, 4))):
        anchor = draw(st.sampled_from(anchors))
        begin = anchor + draw(st.integers(-3000, 3000)) * MINUTE
        if draw(st.integers(0, 4)) == 0:
            out.append((begin, None))
        else:
            out.append((begin, begin + draw(st.integers(0, 3000)) * MINUTE))
    return out


def _before(pauses: list[Pause], stop: datetime | None) -> list[Pause]:
    """The pauses that began before the stop (all of them without one)."""
    return [p for p in pauses if stop is None or p[0] < stop]


@SETTINGS
@given(
    data=st.data(),
    spec=specs(),
    start=minute_starts(),
    target=st.integers(1, 2400),
    stop_after=st.none() | st.integers(0, 6000),
    now_after=st.integers(-60, 8000),
    kind=st.sampled_from(["business", "24x7"]),
)
def test_clock_never_raises_and_ignores_pauses_after_the_stop(
    data: st.DataObject,
    spec: CalendarSpec,
    start: datetime,
    target: int,
    stop_after: int | None,
    now_after: int,
    kind: str,
) -> None:
    cal = BusinessCalendar(spec)
    stop = None if stop_after is None else start + stop_after * MINUTE
    now = start + now_after * MINUTE
    if stop is not None:
        now = max(now, stop)  # a clock stops at an instant that has happened
    pauses = data.draw(pauses_around(start, stop, now))
    kw = {"target_minutes": target, "kind": kind, "calendar": cal, "start": start, "now": now}
    clock = compute_clock(**kw, pauses=pauses, stopped_at=stop)  # type: ignore[arg-type]
    without_later = compute_clock(
        **kw,  # type: ignore[arg-type]
        pauses=_before(pauses, stop),
        stopped_at=stop,
    )
    assert clock.due == without_later.due
    assert clock.elapsed == without_later.elapsed
    assert clock.state is without_later.state
    assert clock.elapsed + clock.remaining == clock.target
    explanation = explain_due(cal, start, target, pauses, kind, now=now, stopped_at=stop)
    assert explanation.due == clock.due
    assert explanation.counted == clock.target


@SETTINGS
@given(
    data=st.data(),
    spec=specs(),
    start=minute_starts(),
    target=st.integers(1, 600),
    stop_after=st.none() | st.integers(0, 3000),
    now_after=st.integers(0, 4000),
)
def test_due_matches_the_minute_by_minute_reference(
    data: st.DataObject,
    spec: CalendarSpec,
    start: datetime,
    target: int,
    stop_after: int | None,
    now_after: int,
) -> None:
    stop = None if stop_after is None else start + stop_after * MINUTE
    now = start + now_after * MINUTE
    if stop is not None:
        now = max(now, stop)
    pauses = data.draw(pauses_around(start, stop, now))
    clock = compute_clock(
        target_minutes=target,
        kind="business",
        calendar=BusinessCalendar(spec),
        start=start,
        now=now,
        pauses=pauses,
        stopped_at=stop,
    )
    # The reference, from the meaning: a minute counts when the calendar is open and no pause
    # covers it; a pause ends at its end, an open one at min(now, stop), and none runs past
    # the stop.
    open_until = now if stop is None else min(now, stop)
    ends = [open_until if end is None else end for _, end in pauses]
    spans = [
        (begin, end if stop is None else min(end, stop))
        for (begin, _), end in zip(pauses, ends, strict=True)
    ]
    ref = Reference(spec)
    counted, due = 0, None
    for k, (minute, is_open) in enumerate(ref.minutes(start)):
        if k > 100_000:
            break
        if is_open and not any(lo <= minute < hi for lo, hi in spans):
            counted += 1
            if counted == target:
                due = minute + MINUTE
                break
    assume(due is not None)
    assert clock.due == due
