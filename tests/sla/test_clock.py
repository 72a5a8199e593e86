"""Clocks: due, elapsed, remaining, fraction, state, pauses, warnings and severity changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sla_testkit import MINUTE, SETTINGS, Reference, minute_starts, specs

from tierdesk.sla import BusinessCalendar, CalendarSpec
from tierdesk.sla.clock import ClockStatus, compute_case_clock, compute_clock, severity_at

ROME = ZoneInfo("Europe/Rome")
SPLIT = [["09:00", "13:00"], ["14:00", "18:00"]]
CAL = BusinessCalendar.from_json(
    {
        "timezone": "Europe/Rome",
        "weekly": dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), SPLIT),
        "holidays": ["2026-12-25"],
    }
)


def rome(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ROME)


def clock(**kw: object):  # type: ignore[no-untyped-def]
    args: dict[str, object] = {"kind": "business", "calendar": CAL, "start": rome(2, 9)}
    args.update(kw)
    return compute_clock(**args)  # type: ignore[arg-type]


def test_running_clock_figures() -> None:
    c = clock(target_minutes=480, now=rome(2, 12))
    assert c.due == rome(2, 18)
    assert c.elapsed == timedelta(hours=3)
    assert c.remaining == timedelta(hours=5)
    assert c.fraction == pytest.approx(3 / 8)
    assert c.state is ClockStatus.RUNNING
    assert c.warnings[0].at == rome(2, 16)
    assert c.warnings_due == ()


def test_met_and_breached() -> None:
    assert (
        clock(target_minutes=480, now=rome(3, 9), stopped_at=rome(2, 18)).state is ClockStatus.MET
    )
    late = clock(target_minutes=480, now=rome(3, 9), stopped_at=rome(3, 9, 1))
    assert late.state is ClockStatus.BREACHED and late.breached
    assert late.elapsed == timedelta(minutes=481)
    assert late.remaining == timedelta(minutes=-1)
    # Closed time after the due instant: the due instant has passed, so it is breached.
    assert clock(target_minutes=480, now=rome(2, 18, 30)).state is ClockStatus.BREACHED
    assert clock(target_minutes=480, now=rome(2, 18)).state is ClockStatus.RUNNING


def test_pause_shifts_the_due_time() -> None:
    c = clock(target_minutes=240, now=rome(2, 12), pauses=[(rome(2, 10), rome(2, 11))])
    assert c.due == rome(2, 15)
    assert c.elapsed == timedelta(hours=2)
    assert c.paused == timedelta(hours=1)


def test_open_pause_projects_the_due_time() -> None:
    c = clock(target_minutes=240, now=rome(2, 12), pauses=[(rome(2, 10), None)])
    assert c.state is ClockStatus.PAUSED
    assert c.elapsed == timedelta(hours=1)
    assert c.due == rome(2, 16)  # 12:00 + 3 business hours (lunch 13-14)


def test_start_inside_a_pause() -> None:
    c = clock(
        target_minutes=60,
        start=rome(2, 10),
        now=rome(2, 10, 30),
        pauses=[(rome(2, 9), rome(2, 11))],
    )
    assert c.due == rome(2, 12)
    assert c.state is ClockStatus.PAUSED
    assert c.elapsed == timedelta(0)


def test_warning_landing_on_a_closing_moves_to_the_next_opening() -> None:
    c = clock(target_minutes=320, start=rome(2, 14), now=rome(2, 20))
    assert c.warnings[0].at == rome(3, 9)
    assert c.due == rome(3, 10, 20)
    assert c.warnings_due == ()
    later = clock(target_minutes=320, start=rome(2, 14), now=rome(3, 9, 5))
    assert [w.fraction for w in later.warnings_due] == [0.75]


def test_warnings_are_never_due_while_closed() -> None:
    night = clock(target_minutes=600, now=rome(2, 22))
    assert night.warnings[0].at == rome(2, 17, 30)
    assert night.state is ClockStatus.RUNNING
    assert night.warnings_due == ()
    morning = clock(target_minutes=600, now=rome(3, 9))
    assert [w.fraction for w in morning.warnings_due] == [0.75]
    weekend = clock(target_minutes=600, start=rome(6, 9), now=rome(7, 12))
    assert weekend.warnings_due == ()


def test_24x7_clock_warns_at_any_hour() -> None:
    c = clock(target_minutes=60, kind="24x7", start=rome(7, 23, 30), now=rome(8, 0, 20))
    assert c.due == rome(8, 0, 30)
    assert [w.fraction for w in c.warnings_due] == [0.75]


def test_several_warning_fractions() -> None:
    c = clock(target_minutes=480, now=rome(2, 17), warn_fractions=(0.9, 0.5, 0.75))
    assert [w.fraction for w in c.warnings] == [0.5, 0.75, 0.9]
    # 50 % is reached at 13:00, the lunch closing: the warning waits for the 14:00 opening.
    assert [w.at for w in c.warnings] == [rome(2, 14), rome(2, 16), rome(2, 17, 12)]
    assert [w.fraction for w in c.warnings_due] == [0.5, 0.75]


def test_severity_change_recomputes_from_the_start() -> None:
    history = [(rome(2, 9), 3), (rome(2, 10), 1)]
    c = compute_case_clock(
        plan="premier",
        metric="resolution",
        severity_history=history,
        calendar=CAL,
        start=rome(2, 9),
        now=rome(2, 12),
    )
    assert c is not None and c.due == rome(2, 13) and c.kind == "24x7"
    before = compute_case_clock(
        plan="premier",
        metric="resolution",
        severity_history=history,
        calendar=CAL,
        start=rome(2, 9),
        now=rome(2, 9, 30),
    )
    assert before is not None and before.kind == "business"
    # Severity 3 resolution: 24 business hours = three 8-hour days, due at Wednesday's closing.
    assert before.due == rome(4, 18)


def test_severity_change_with_pauses() -> None:
    c = compute_case_clock(
        plan="premier_plus",
        metric="first_response",
        severity_history=[(rome(2, 9), 1), (rome(2, 9, 10), 2)],
        calendar=CAL,
        start=rome(2, 9),
        now=rome(2, 12),
        pauses=[(rome(2, 10), rome(2, 11))],
    )
    assert c is not None
    assert c.due == rome(2, 15)
    assert c.state is ClockStatus.RUNNING


def test_access_has_no_resolution_target() -> None:
    kw = {"calendar": CAL, "start": rome(2, 9), "now": rome(2, 10)}
    history = [(rome(2, 9), 2)]
    assert (
        compute_case_clock(plan="access", metric="resolution", severity_history=history, **kw)
        is None
    )  # type: ignore[arg-type]
    c = compute_case_clock(plan="access", metric="first_response", severity_history=history, **kw)  # type: ignore[arg-type]
    assert c is not None and c.due == rome(2, 18)


def test_severity_at_uses_instants_not_wall_times() -> None:
    first = datetime(2026, 10, 25, 2, 30, tzinfo=ROME)  # CEST, 00:30Z
    second = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=ROME)  # CET, 01:10Z: later
    history = [(first - timedelta(hours=5), 4), (first, 3), (second, 2)]
    assert severity_at(history, datetime(2026, 10, 25, 0, 50, tzinfo=UTC)) == 3
    assert severity_at(history, datetime(2026, 10, 25, 1, 10, tzinfo=UTC)) == 2


def test_bad_clock_input() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        clock(target_minutes=60, now=datetime(2026, 3, 2, 9))
    with pytest.raises(ValueError, match="positive"):
        clock(target_minutes=0, now=rome(2, 9))
    with pytest.raises(ValueError, match="before start"):
        clock(target_minutes=60, now=rome(2, 12), pauses=[(rome(2, 11), rome(2, 10))])
    with pytest.raises(ValueError, match="fractions"):
        clock(target_minutes=60, now=rome(2, 12), warn_fractions=(1.0,))
    with pytest.raises(ValueError, match="severity"):
        severity_at([], rome(2, 9))


@st.composite
def pauses_for(draw: st.DrawFn, start: datetime) -> list[tuple[datetime, datetime]]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        a = start + draw(st.integers(-120, 4 * 1440)) * MINUTE
        out.append((a, a + draw(st.integers(0, 1440)) * MINUTE))
    return out


@SETTINGS
@given(data=st.data(), spec=specs(), start=minute_starts(), n=st.integers(1, 1500))
def test_due_with_pauses_matches_reference(
    data: st.DataObject, spec: CalendarSpec, start: datetime, n: int
) -> None:
    pauses = data.draw(pauses_for(start))
    ref = Reference(spec)
    count, t, expected = 0, start, None
    for _ in range(100_000):
        paused = any(a <= t < b for a, b in pauses)
        if not paused and ref.is_open_minute(t):
            count += 1
            if count == n:
                expected = t + MINUTE
                break
        t += MINUTE
    assume(expected is not None)
    now = max([start, *(b for _, b in pauses)])
    c = compute_clock(
        target_minutes=n,
        kind="business",
        calendar=BusinessCalendar(spec),
        start=start,
        now=now,
        pauses=pauses,
    )
    assert c.due == expected
