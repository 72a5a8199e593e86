"""Named cases: DST days in both hemispheres, half-hour offsets, midnight, holidays, 24x7."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tierdesk.sla import BusinessCalendar, CalendarSpec, calendar_spec_from_json, twenty_four_seven

ROME = ZoneInfo("Europe/Rome")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
KOLKATA = ZoneInfo("Asia/Kolkata")
H = timedelta(hours=1)
M = timedelta(minutes=1)
SPLIT = [["09:00", "13:00"], ["14:00", "18:00"]]
WORKDAYS = ("mon", "tue", "wed", "thu", "fri")


def cal(timezone: str, weekly: dict[str, list[list[str]]], **extra: object) -> BusinessCalendar:
    return BusinessCalendar(
        calendar_spec_from_json({"timezone": timezone, "weekly": weekly, **extra})
    )


def every_day(windows: list[list[str]]) -> dict[str, list[list[str]]]:
    return dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), windows)


def day_length(c: BusinessCalendar, day: date) -> timedelta:
    zone = c.zone
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return c.between(start, end)


# ---- Europe/Rome: spring forward 2026-03-29 02:00 -> 03:00, fall back 2026-10-25 03:00 -> 02:00


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        (date(2026, 3, 28), 3),
        (date(2026, 3, 29), 2),
        (date(2026, 10, 25), 4),
        (date(2026, 10, 26), 3),
    ],
)
def test_rome_window_over_the_dst_hours(day: date, hours: int) -> None:
    c = cal("Europe/Rome", every_day([["01:00", "04:00"]]))
    assert day_length(c, day) == hours * H


def test_rome_window_inside_the_repeated_hour_counts_twice() -> None:
    c = cal("Europe/Rome", every_day([["02:00", "02:30"]]))
    assert day_length(c, date(2026, 10, 25)) == 60 * M
    assert day_length(c, date(2026, 3, 29)) == timedelta(0)
    assert day_length(c, date(2026, 3, 30)) == 30 * M


def test_rome_add_across_spring_forward() -> None:
    c = cal("Europe/Rome", every_day([["01:00", "04:00"]]))
    start = datetime(2026, 3, 29, 1, 0, tzinfo=ROME)  # 00:00Z
    assert c.add(start, 90) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST
    assert c.add(start, 120) == datetime(2026, 3, 29, 4, 0, tzinfo=ROME)
    assert c.add(start, 121) == datetime(2026, 3, 30, 1, 1, tzinfo=ROME)


def test_rome_24x7_days_are_23_and_25_hours() -> None:
    c = BusinessCalendar(twenty_four_seven("Europe/Rome"))
    assert day_length(c, date(2026, 3, 29)) == 23 * H
    assert day_length(c, date(2026, 10, 25)) == 25 * H
    start = datetime(2026, 10, 24, 12, 0, tzinfo=ROME)
    assert c.add(start, 24 * 60).astimezone(ROME) == datetime(2026, 10, 25, 11, 0, tzinfo=ROME)


def test_rome_business_week_over_spring_forward() -> None:
    c = cal("Europe/Rome", dict.fromkeys(WORKDAYS, SPLIT))
    friday = datetime(2026, 3, 27, 17, 0, tzinfo=ROME)
    due = c.add(friday, 120)
    assert due.astimezone(ROME).isoformat() == "2026-03-30T10:00:00+02:00"


# ---- America/New_York: spring 2026-03-08 02:00 -> 03:00, fall 2026-11-01 02:00 -> 01:00


def test_new_york_dst_days() -> None:
    c = cal("America/New_York", {"sun": [["00:00", "06:00"]]})
    assert day_length(c, date(2026, 3, 8)) == 5 * H
    assert day_length(c, date(2026, 11, 1)) == 7 * H
    assert day_length(c, date(2026, 11, 8)) == 6 * H


def test_new_york_repeated_hour_start_respects_fold() -> None:
    c = cal("America/New_York", {"sun": [["00:00", "06:00"]]})
    first = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)  # EDT, 05:30Z
    second = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK)  # EST, 06:30Z
    assert c.next_closing(first) == datetime(2026, 11, 1, 11, 0, tzinfo=UTC)
    assert c.between(first, c.next_closing(first) or first) == timedelta(hours=5, minutes=30)
    assert c.between(second, c.next_closing(second) or second) == timedelta(hours=4, minutes=30)


# ---- Australia/Sydney (southern hemisphere): ends 2026-04-05 03:00 -> 02:00, starts 2026-10-04


def test_sydney_dst_days() -> None:
    c = cal("Australia/Sydney", {"sun": [["00:00", "24:00"]]})
    assert day_length(c, date(2026, 4, 5)) == 25 * H
    assert day_length(c, date(2026, 10, 4)) == 23 * H


def test_sydney_easter_holidays_over_the_dst_end() -> None:
    c = cal(
        "Australia/Sydney",
        {key: [["09:00", "17:00"]] for key in WORKDAYS},
        holidays=["2026-04-03", "2026-04-06"],  # Good Friday, Easter Monday
    )
    start = datetime(2026, 4, 2, 16, 0, tzinfo=SYDNEY)  # +11:00
    due = c.add(start, 120)
    assert due.astimezone(SYDNEY).isoformat() == "2026-04-07T10:00:00+10:00"
    assert c.between(start, due) == 2 * H


# ---- Asia/Kolkata: +05:30, no DST


def test_kolkata_half_hour_offset() -> None:
    c = cal("Asia/Kolkata", {key: [["09:00", "18:00"]] for key in WORKDAYS})
    assert c.add(datetime(2026, 3, 2, 3, 30, tzinfo=UTC), 60) == datetime(
        2026, 3, 2, 4, 30, tzinfo=UTC
    )
    due = c.add(datetime(2026, 3, 2, 17, 0, tzinfo=KOLKATA), 120)
    assert due.astimezone(KOLKATA).isoformat() == "2026-03-03T10:00:00+05:30"
    assert not c.is_open(datetime(2026, 3, 2, 3, 29, tzinfo=UTC))
    assert c.is_open(datetime(2026, 3, 2, 3, 30, tzinfo=UTC))


# ---- windows touching midnight, split days, 24x7, holidays


def test_windows_touching_midnight_have_no_gap() -> None:
    c = cal("Europe/Rome", {"mon": [["22:00", "24:00"]], "tue": [["00:00", "02:00"]]})
    monday = datetime(2026, 3, 2, 22, 0, tzinfo=ROME)
    assert c.add(monday, 180).astimezone(ROME) == datetime(2026, 3, 3, 1, 0, tzinfo=ROME)
    assert c.is_open(datetime(2026, 3, 3, 0, 0, tzinfo=ROME))
    assert c.next_closing(datetime(2026, 3, 2, 23, 0, tzinfo=ROME)) == datetime(
        2026, 3, 3, 2, 0, tzinfo=ROME
    )
    assert c.between(monday, datetime(2026, 3, 3, 2, 0, tzinfo=ROME)) == 4 * H


def test_split_day_due_at_closing_not_next_opening() -> None:
    c = cal("Europe/Rome", dict.fromkeys(WORKDAYS, SPLIT))
    nine = datetime(2026, 3, 2, 9, 0, tzinfo=ROME)
    assert c.add(nine, 240) == datetime(2026, 3, 2, 13, 0, tzinfo=ROME)
    assert c.add(nine, 241) == datetime(2026, 3, 2, 14, 1, tzinfo=ROME)
    assert c.add(nine, 480) == datetime(2026, 3, 2, 18, 0, tzinfo=ROME)
    assert c.add(datetime(2026, 3, 2, 12, 30, tzinfo=ROME), 60) == datetime(
        2026, 3, 2, 14, 30, tzinfo=ROME
    )
    assert c.add(datetime(2026, 3, 2, 9, 0, 30, tzinfo=ROME), 1) == datetime(
        2026, 3, 2, 9, 1, 30, tzinfo=ROME
    )
    assert c.add(datetime(2026, 3, 2, 20, 0, tzinfo=ROME), 0) == datetime(
        2026, 3, 2, 20, 0, tzinfo=ROME
    )
    assert c.next_opening(datetime(2026, 3, 2, 13, 0, tzinfo=ROME)) == datetime(
        2026, 3, 2, 14, 0, tzinfo=ROME
    )


def test_24x7_is_never_closed_at_midnight() -> None:
    c = BusinessCalendar.always_open("Europe/Rome")
    before = datetime(2026, 3, 2, 23, 59, 30, tzinfo=ROME)
    assert c.add(before, 1) == datetime(2026, 3, 3, 0, 0, 30, tzinfo=ROME)
    assert c.between(before, before + 2 * M) == 2 * M
    assert c.next_closing(before) is None
    assert c.next_opening(before) == before
    assert c.add(before, 365 * 1440) == before + timedelta(days=365)


def test_holidays_closed_and_open_dates() -> None:
    c = cal(
        "Europe/Rome",
        {key: [["09:00", "18:00"]] for key in WORKDAYS},
        holidays=["2026-12-25"],
        closed=["2026-12-24"],
        open={"2026-12-26": [["10:00", "12:00"]], "2026-12-28": []},
    )
    start = datetime(2026, 12, 23, 17, 0, tzinfo=ROME)
    assert c.add(start, 180) == datetime(2026, 12, 26, 12, 0, tzinfo=ROME)
    assert c.add(start, 181) == datetime(2026, 12, 29, 9, 1, tzinfo=ROME)


def test_open_date_wins_over_a_holiday() -> None:
    c = cal(
        "Europe/Rome",
        {key: [["09:00", "18:00"]] for key in WORKDAYS},
        holidays=["2026-12-25"],
        closed=["2026-12-25"],
        open={"2026-12-25": [["10:00", "11:00"]]},
    )
    assert c.is_open(datetime(2026, 12, 25, 10, 30, tzinfo=ROME))
    assert not c.is_open(datetime(2026, 12, 25, 9, 30, tzinfo=ROME))


def test_naive_datetimes_are_refused() -> None:
    c = BusinessCalendar.always_open()
    naive = datetime(2026, 3, 2, 9, 0)
    for call in (
        lambda: c.add(naive, 1),
        lambda: c.between(naive, naive),
        lambda: c.is_open(naive),
        lambda: c.next_opening(naive),
        lambda: c.next_closing(naive),
    ):
        with pytest.raises(ValueError, match="timezone-aware"):
            call()


def test_negative_durations_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        BusinessCalendar.always_open().add(datetime(2026, 1, 1, tzinfo=UTC), -1)


def test_calendar_without_business_time() -> None:
    from tierdesk.sla import NoBusinessTimeError

    c = BusinessCalendar(CalendarSpec("UTC", ((),) * 7, open={date(2026, 5, 4): ((540, 600),)}))
    start = datetime(2026, 5, 1, tzinfo=UTC)
    assert c.add(start, 60) == datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    with pytest.raises(NoBusinessTimeError):
        c.add(start, 61)
    assert c.next_opening(datetime(2026, 5, 5, tzinfo=UTC)) is None
    assert c.next_closing(datetime(2026, 5, 5, tzinfo=UTC)) is None


def test_bulk_form() -> None:
    import numpy as np

    c = cal("Europe/Rome", dict.fromkeys(WORKDAYS, SPLIT))
    starts = np.array(
        ["2026-03-02T08:00", "2026-03-02T08:00", "2026-03-27T16:00"], "datetime64[us]"
    )
    out = c.add_many(starts, np.array([60, 480, 120]))
    assert out.tolist() == [
        datetime(2026, 3, 2, 9, 0),
        datetime(2026, 3, 2, 17, 0),
        datetime(2026, 3, 30, 8, 0),
    ]
    assert c.add_many(starts, 0).tolist() == starts.tolist()
    assert c.add_many(starts[:0], 5).size == 0
