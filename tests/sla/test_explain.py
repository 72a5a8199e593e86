"""Explanations: the counted local intervals add up to the target."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sla_testkit import MINUTE, SETTINGS, instants, specs

from tierdesk.sla import BusinessCalendar, CalendarSpec
from tierdesk.sla.clock import compute_clock
from tierdesk.sla.explain import explain_due, format_minutes

ROME = ZoneInfo("Europe/Rome")
SYDNEY = ZoneInfo("Australia/Sydney")


@SETTINGS
@given(
    data=st.data(),
    spec=specs(),
    start=instants(),
    minutes=st.integers(0, 3000) | st.floats(0, 3000),
)
def test_explanations_sum_to_the_target(
    data: st.DataObject, spec: CalendarSpec, start: datetime, minutes: float
) -> None:
    cal = BusinessCalendar(spec)
    pauses = [
        (start + a * MINUTE, start + (a + b) * MINUTE)
        for a, b in data.draw(
            st.lists(st.tuples(st.integers(-60, 3000), st.integers(0, 600)), max_size=3)
        )
    ]
    explanation = cal.explain(start, minutes, pauses)
    assert explanation.counted == explanation.target == timedelta(microseconds=round(minutes * 6e7))
    if explanation.target:
        clock = compute_clock(
            target_minutes=minutes,
            kind="business",
            calendar=cal,
            start=start,
            now=start,
            pauses=pauses,
        )
        assert explanation.due == clock.due
    for interval in explanation.intervals:
        assert interval.start < interval.end
        assert interval.start.tzinfo == cal.zone
        assert interval.start.date() == (interval.end - timedelta(microseconds=1)).date()
        if interval.counted:
            assert cal.between(interval.start, interval.end) == interval.duration
    assert len(explanation.lines()) == len(explanation.intervals) + 1


def test_rome_explanation_lines() -> None:
    cal = BusinessCalendar.from_json(
        {
            "timezone": "Europe/Rome",
            "weekly": {
                "mon": [["09:00", "13:00"], ["14:00", "18:00"]],
                "tue": [["09:00", "13:00"], ["14:00", "18:00"]],
            },
        }
    )
    e = cal.explain(
        datetime(2026, 3, 2, 16, tzinfo=ROME),
        480,
        pauses=[(datetime(2026, 3, 3, 9, 30, tzinfo=ROME), datetime(2026, 3, 3, 10, tzinfo=ROME))],
    )
    assert e.lines() == [
        "480 business minutes from 2026-03-02T16:00:00+01:00 (Europe/Rome) "
        "end at 2026-03-03T16:30:00+01:00:",
        "  Mon 2026-03-02 16:00-18:00 (+01:00)  120 min  (total 120)",
        "  Tue 2026-03-03 09:00-09:30 (+01:00)  30 min  (total 150)",
        "  Tue 2026-03-03 09:30-10:00 (+01:00)  30 min  paused, not counted",
        "  Tue 2026-03-03 10:00-13:00 (+01:00)  180 min  (total 330)",
        "  Tue 2026-03-03 14:00-16:30 (+01:00)  150 min  (total 480)",
    ]


def test_24x7_explanation_over_sydney_dst_end() -> None:
    cal = BusinessCalendar.from_json({"timezone": "Australia/Sydney", "weekly": {}})
    e = explain_due(cal, datetime(2026, 4, 4, 22, 0, tzinfo=SYDNEY), 600, kind="24x7")
    assert e.due.isoformat() == "2026-04-05T07:00:00+10:00"
    assert e.lines()[1:] == [
        "  Sat 2026-04-04 22:00-24:00 (+11:00)  120 min  (total 120)",
        "  Sun 2026-04-05 00:00 (+11:00) - 07:00 (+10:00)  480 min  (total 600)",
    ]


def test_open_pause_needs_now() -> None:
    cal = BusinessCalendar.always_open()
    start = datetime(2026, 3, 2, 9, tzinfo=ROME)
    with pytest.raises(ValueError, match="now"):
        explain_due(cal, start, 60, pauses=[(start, None)])
    e = explain_due(cal, start, 60, pauses=[(start, None)], now=start + timedelta(hours=1))
    assert e.due == start + timedelta(hours=2)


def test_format_minutes() -> None:
    assert format_minutes(timedelta(minutes=240)) == "240"
    assert format_minutes(timedelta(seconds=90)) == "1.5"
    assert format_minutes(timedelta(seconds=1)) == "0.016667"
