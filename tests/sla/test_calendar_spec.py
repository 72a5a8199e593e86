"""Calendar specifications: JSON parsing, errors that name the problem, round trips."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from sla_testkit import SETTINGS, specs

from tierdesk.sla import (
    ALWAYS_OPEN_SPEC,
    CalendarSpec,
    CalendarSpecError,
    calendar_spec_from_json,
    calendar_spec_to_json,
    twenty_four_seven,
)
from tierdesk.sla.calendar_spec import FrozenDateMap

GOOD = {
    "timezone": "Europe/Rome",
    "weekly": {"mon": [["14:00", "18:00"], ["09:00", "13:00"]], "sat": [["22:00", "24:00"]]},
    "holidays": ["2026-12-25"],
    "closed": ["2026-08-14"],
    "open": {"2026-12-27": [["10:00", "14:00"]], "2026-12-28": []},
}


def test_parse_good_calendar() -> None:
    spec = calendar_spec_from_json(GOOD)
    assert spec.timezone == "Europe/Rome"
    assert spec.weekly[0] == ((540, 780), (840, 1080))
    assert spec.weekly[5] == ((1320, 1440),)
    assert spec.weekly[1] == ()
    assert spec.holidays == frozenset({date(2026, 12, 25)})
    assert spec.closed == frozenset({date(2026, 8, 14)})
    assert spec.open[date(2026, 12, 27)] == ((600, 840),)
    assert spec.windows_on(date(2026, 12, 28)) == ()
    assert spec.windows_on(date(2026, 8, 14)) == ()
    assert spec.windows_on(date(2026, 8, 17)) == ((540, 780), (840, 1080))
    assert hash(spec) == hash(calendar_spec_from_json(json.loads(json.dumps(GOOD))))


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"timezone": "Europe/Rom"}, "timezone: unknown IANA time zone 'Europe/Rom'"),
        ({"timezone": 5}, "timezone: expected an IANA time zone name, got 5"),
        ({"timezone": "../etc/passwd"}, "timezone: unknown IANA time zone"),
        (
            {"weekly": {"mon": [["09:00", "13:00"], ["13:00", "12:00"]]}},
            "weekly.mon[1]: end 12:00 is not after start 13:00",
        ),
        (
            {"weekly": {"mon": [["09:00", "13:00"], ["12:00", "14:00"]]}},
            "weekly.mon: window 12:00-14:00 overlaps 09:00-13:00",
        ),
        ({"weekly": {"monday": []}}, "weekly: unknown day 'monday'"),
        ({"weekly": {"mon": [["9:00", "13:00"]]}}, "weekly.mon[0]: start '9:00' is not a time"),
        ({"weekly": {"mon": [["09:00", "24:30"]]}}, "weekly.mon[0]: end '24:30' is not a time"),
        ({"weekly": {"mon": [["24:00", "24:00"]]}}, "weekly.mon[0]: start 24:00 is not allowed"),
        ({"weekly": {"mon": [["09:00"]]}}, "weekly.mon[0]: expected a pair"),
        ({"weekly": {"mon": "09:00-13:00"}}, "weekly.mon: expected a list"),
        ({"weekly": []}, "weekly: expected an object keyed by day, got a list"),
        ({"holidays": ["2026-02-30"]}, "holidays[0]: '2026-02-30' is not a date YYYY-MM-DD"),
        ({"holidays": "2026-12-25"}, "holidays: expected a list of dates"),
        ({"closed": [20260814]}, "closed[0]: 20260814 is not a date"),
        ({"open": {"2026-13-01": []}}, "open: '2026-13-01' is not a date"),
        ({"open": {"2026-12-27": [["14:00", "10:00"]]}}, "open.2026-12-27[0]: end 10:00"),
        ({"open": []}, "open: expected an object keyed by date"),
        ({"extra": 1}, "calendar: unknown key 'extra'"),
    ],
)
def test_errors_name_the_problem(patch: dict[str, object], message: str) -> None:
    with pytest.raises(CalendarSpecError) as info:
        calendar_spec_from_json({**GOOD, **patch})
    assert message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "calendar: expected a JSON object, got a list"),
        ({"weekly": {}}, "timezone: required"),
        ({"timezone": "UTC"}, "weekly: required"),
    ],
)
def test_structural_errors(data: object, message: str) -> None:
    with pytest.raises(CalendarSpecError, match=message):
        calendar_spec_from_json(data)


def test_direct_construction_is_validated() -> None:
    with pytest.raises(CalendarSpecError, match="7 days"):
        CalendarSpec("UTC", ((),) * 6)
    with pytest.raises(CalendarSpecError, match="overlaps"):
        CalendarSpec("UTC", (((0, 60), (30, 90)),) + ((),) * 6)
    with pytest.raises(CalendarSpecError, match="not after"):
        CalendarSpec("UTC", (((60, 60),),) + ((),) * 6)
    with pytest.raises(CalendarSpecError, match="unknown IANA"):
        CalendarSpec("Mars/Olympus", ((),) * 7)
    assert isinstance(
        CalendarSpec("UTC", ((),) * 7, open={date(2026, 1, 1): ()}).open, FrozenDateMap
    )


def test_twenty_four_seven() -> None:
    assert twenty_four_seven("UTC") == ALWAYS_OPEN_SPEC
    spec = twenty_four_seven("Asia/Kolkata")
    assert calendar_spec_to_json(spec)["weekly"] == {
        key: [["00:00", "24:00"]] for key in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    }


@SETTINGS
@given(spec=specs())
def test_json_round_trip(spec: CalendarSpec) -> None:
    data = json.loads(json.dumps(calendar_spec_to_json(spec)))
    assert calendar_spec_from_json(data) == spec
