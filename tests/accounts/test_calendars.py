"""Region calendars: the spec from the database, holidays, exceptions, JSON import/export, CLI."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import Http404

from tests.factories import SupportRegionFactory
from tierdesk.accounts.models import CalendarException, OpeningWindow, SupportRegion
from tierdesk.accounts.selectors.regions import (
    access_region,
    default_holiday_years,
    holiday_source_check,
    region_business_calendar,
    region_calendar_export,
    region_calendar_spec,
    windows_from_text,
)
from tierdesk.accounts.services.calendars import region_calendar_import
from tierdesk.accounts.services.demo import demo_load
from tierdesk.sla.calendar_spec import CalendarSpecError

pytestmark = pytest.mark.django_db

H = 60
YEARS = range(2025, 2029)


@pytest.fixture
def demo():
    demo_load()
    return {region.code: region for region in SupportRegion.objects.all()}


def calendar_rows(region: SupportRegion) -> tuple:
    region.refresh_from_db()
    return (
        region.time_zone,
        list(region.windows.values_list("weekday", "start_minute", "end_minute")),
        list(region.exceptions.values_list("date", "kind", "windows", "note")),
    )


@pytest.mark.parametrize(
    ("code", "holiday", "workday"),
    [
        ("it", date(2026, 12, 25), date(2026, 12, 23)),  # Christmas, a Friday
        ("it", date(2026, 6, 2), date(2026, 6, 3)),  # Festa della Repubblica, a Tuesday
        ("us", date(2026, 7, 3), date(2026, 7, 2)),  # 4 July is a Saturday: observed Friday 3
        ("us", date(2026, 11, 26), date(2026, 11, 25)),  # Thanksgiving
        ("jp", date(2026, 2, 11), date(2026, 2, 10)),  # Foundation Day, a Wednesday
        ("au", date(2026, 1, 26), date(2026, 1, 27)),  # Australia Day, a Monday
        ("au", date(2026, 10, 5), date(2026, 10, 6)),  # Labour Day in NSW only (not in WA)
    ],
)
def test_public_holidays_close_the_region(demo, code, holiday, workday):
    spec = region_calendar_spec(demo[code], years=YEARS)
    assert holiday in spec.holidays
    assert spec.windows_on(holiday) == ()
    assert spec.windows_on(workday) != ()
    assert workday not in spec.holidays


def test_subdivision_holidays_apply_only_to_the_subdivision(demo):
    nsw = region_calendar_spec(demo["au"], years=YEARS)
    demo["au"].holiday_subdivision = "WA"
    wa = region_calendar_spec(demo["au"], years=YEARS)
    assert date(2026, 10, 5) in nsw.holidays
    assert date(2026, 10, 5) not in wa.holidays


def test_the_weekly_windows_in_local_time(demo):
    spec = region_calendar_spec(demo["it"], years=YEARS)
    assert spec.timezone == "Europe/Rome"
    assert spec.weekly[0] == ((9 * H, 13 * H), (14 * H, 18 * H))
    assert spec.weekly[4] == ((9 * H, 13 * H), (14 * H, 18 * H))
    assert spec.weekly[5] == spec.weekly[6] == ()
    assert region_calendar_spec(demo["us"], years=YEARS).weekly[2] == ((8 * H, 20 * H),)


def test_holidays_are_materialised_for_the_default_years():
    assert default_holiday_years(date(2026, 5, 1)) == range(2025, 2029)
    region = SupportRegionFactory(holiday_country="IT")
    spec = region_calendar_spec(region, years=default_holiday_years(date(2026, 5, 1)))
    assert {d.year for d in spec.holidays} == {2025, 2026, 2027, 2028}
    assert region_calendar_spec(SupportRegionFactory(holiday_country="")).holidays == frozenset()


def test_exceptions_close_a_day_or_open_it_with_its_own_windows(demo):
    region = demo["it"]
    CalendarException.objects.create(region=region, date=date(2026, 8, 14), kind="closed")
    CalendarException.objects.create(
        region=region, date=date(2026, 12, 25), kind="open", windows=[["10:00", "12:00"]]
    )
    CalendarException.objects.create(
        region=region, date=date(2026, 3, 7), kind="open", windows=[["09:00", "24:00"]]
    )
    spec = region_calendar_spec(region, years=YEARS)
    assert spec.windows_on(date(2026, 8, 14)) == ()  # a Friday closed by hand
    assert spec.windows_on(date(2026, 12, 25)) == ((10 * H, 12 * H),)  # open on Christmas
    assert spec.windows_on(date(2026, 3, 7)) == ((9 * H, 24 * H),)  # a Saturday


def test_export_is_the_documented_json(demo):
    CalendarException.objects.create(region=demo["it"], date=date(2026, 8, 14), kind="closed")
    CalendarException.objects.create(
        region=demo["it"], date=date(2026, 12, 27), kind="open", windows=[["10:00", "14:00"]]
    )
    data = region_calendar_export(demo["it"], years=YEARS)
    assert data["timezone"] == "Europe/Rome"
    assert list(data["weekly"]) == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert data["weekly"]["mon"] == [["09:00", "13:00"], ["14:00", "18:00"]]
    assert data["weekly"]["sun"] == []
    assert "2026-12-25" in data["holidays"]
    assert data["holidays"] == sorted(data["holidays"])
    assert data["closed"] == ["2026-08-14"]
    assert data["open"] == {"2026-12-27": [["10:00", "14:00"]]}
    json.dumps(data)


def test_round_trip_export_import_export_is_equal(demo):
    region = demo["au"]
    CalendarException.objects.create(region=region, date=date(2026, 12, 31), kind="closed")
    CalendarException.objects.create(
        region=region, date=date(2026, 1, 26), kind="open", windows=[["09:00", "12:00"]]
    )
    first = region_calendar_export(region, years=YEARS)
    rows = calendar_rows(region)
    region_calendar_import(region=region, data=first)
    assert region_calendar_export(region, years=YEARS) == first
    after = calendar_rows(region)
    assert after[:2] == rows[:2]
    assert sorted(after[2]) == sorted(rows[2])


def test_import_replaces_windows_and_time_zone_and_stores_extra_holidays(demo):
    region = demo["it"]
    data = {
        "timezone": "Europe/Zurich",
        "weekly": {"mon": [["08:00", "12:00"], ["13:00", "24:00"]], "sat": [["09:00", "12:00"]]},
        "holidays": ["2026-12-25", "2026-12-24"],
        "closed": ["2026-08-14"],
        "open": {"2026-12-26": [["10:00", "13:00"]]},
    }
    report = region_calendar_import(region=region, data=data)
    region.refresh_from_db()
    assert region.time_zone == "Europe/Zurich"
    assert list(region.windows.values_list("weekday", "start_minute", "end_minute")) == [
        (0, 8 * H, 12 * H),
        (0, 13 * H, 24 * H),
        (5, 9 * H, 12 * H),
    ]
    # Christmas is an Italian public holiday already; Christmas Eve is not: stored as closed.
    exceptions = {e.date: e for e in region.exceptions.all()}
    assert set(exceptions) == {date(2026, 12, 24), date(2026, 8, 14), date(2026, 12, 26)}
    assert exceptions[date(2026, 12, 24)].kind == "closed"
    assert exceptions[date(2026, 12, 24)].note
    assert exceptions[date(2026, 12, 26)].windows == [["10:00", "13:00"]]
    assert (report.windows, report.closed, report.open, report.imported_holidays) == (3, 2, 1, 1)
    spec = region_calendar_spec(region, years=YEARS)
    assert spec.windows_on(date(2026, 12, 24)) == ()
    assert spec.windows_on(date(2026, 12, 25)) == ()
    assert spec.windows_on(date(2026, 12, 26)) == ((10 * H, 13 * H),)


def test_import_keeping_windows_and_other_exceptions(demo):
    region = demo["it"]
    CalendarException.objects.create(region=region, date=date(2026, 8, 14), kind="closed")
    windows = list(region.windows.values_list("weekday", "start_minute", "end_minute"))
    region_calendar_import(
        region=region,
        data={"timezone": "Europe/Rome", "weekly": {}, "closed": ["2026-11-02"]},
        replace_windows=False,
        replace_exceptions=False,
    )
    assert list(region.windows.values_list("weekday", "start_minute", "end_minute")) == windows
    assert set(region.exceptions.values_list("date", flat=True)) == {
        date(2026, 8, 14),
        date(2026, 11, 2),
    }


BAD_CALENDARS = [
    ([], "calendar"),
    ({"weekly": {}}, "timezone"),
    ({"timezone": "Mars/Olympus", "weekly": {}}, "timezone"),
    ({"timezone": "Europe/Rome", "weekly": {"monday": []}}, "weekly"),
    ({"timezone": "Europe/Rome", "weekly": {"mon": [["09:00", "25:00"]]}}, "weekly.mon[0]"),
    ({"timezone": "Europe/Rome", "weekly": {"mon": [["13:00", "09:00"]]}}, "weekly.mon[0]"),
    ({"timezone": "Europe/Rome", "weekly": {"mon": [["24:00", "24:00"]]}}, "weekly.mon[0]"),
    (
        {"timezone": "Europe/Rome", "weekly": {"mon": [["09:00", "13:00"], ["12:00", "14:00"]]}},
        "overlaps",
    ),
    ({"timezone": "Europe/Rome", "weekly": {}, "holidays": ["2026-02-30"]}, "holidays[0]"),
    ({"timezone": "Europe/Rome", "weekly": {}, "closed": "2026-08-14"}, "closed"),
    ({"timezone": "Europe/Rome", "weekly": {}, "open": {"2026-08-14": "all day"}}, "open"),
    ({"timezone": "Europe/Rome", "weekly": {}, "colour": "red"}, "colour"),
]


@pytest.mark.parametrize(("data", "words"), BAD_CALENDARS)
def test_a_bad_import_names_the_problem_and_changes_nothing(demo, data, words):
    region = demo["it"]
    CalendarException.objects.create(region=region, date=date(2026, 8, 14), kind="closed")
    before = calendar_rows(region)
    with pytest.raises(CalendarSpecError, match=words.replace("[", r"\[").replace("]", r"\]")):
        region_calendar_import(region=region, data=data)
    assert calendar_rows(region) == before


def test_windows_from_text_names_the_path():
    assert windows_from_text([["09:00", "24:00"]]) == ((9 * H, 24 * H),)
    with pytest.raises(CalendarSpecError, match=r"^windows\[0\]"):
        windows_from_text([["9", "10:00"]])


def test_holiday_sources_are_checked():
    assert holiday_source_check(country="AU", subdivision="NSW") is None
    assert holiday_source_check(country="", subdivision="") is None
    assert "XX" in holiday_source_check(country="XX", subdivision="")
    assert "ZZZ" in holiday_source_check(country="AU", subdivision="ZZZ")
    assert holiday_source_check(country="", subdivision="NSW")


def test_access_region_is_404_for_an_unknown_code(demo):
    assert access_region(code="it") == demo["it"]
    with pytest.raises(Http404):
        access_region(code="nowhere")


def test_the_business_calendar_is_cached_until_the_region_changes(demo, django_assert_num_queries):
    region = demo["it"]
    first = region_business_calendar(region)
    # One query (windows and exceptions in one UNION ALL) checks that the cache is current.
    with django_assert_num_queries(1):
        assert region_business_calendar(region) is first
    christmas_noon = datetime(2026, 12, 25, 11, 0, tzinfo=UTC)
    assert not first.is_open(christmas_noon)
    CalendarException.objects.create(
        region=region, date=date(2026, 12, 25), kind="open", windows=[["09:00", "18:00"]]
    )
    second = region_business_calendar(region)
    assert second is not first
    assert second.is_open(christmas_noon)
    OpeningWindow.objects.filter(region=region, weekday=0).delete()
    monday_noon = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
    assert not region_business_calendar(region).is_open(monday_noon)


# The command line -----------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("region", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_cli_list(demo):
    status, out, _err = run("list")
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == 4
    assert any(line.startswith("au\tAustralia\tAustralia/Sydney\tAU-NSW") for line in lines)


def test_cli_export_and_import_round_trip(demo, tmp_path):
    path = tmp_path / "it.json"
    status, _out, _err = run("export", "it", "--output", str(path))
    assert status == 0
    data = json.loads(path.read_text())
    assert data["weekly"]["tue"] == [["09:00", "13:00"], ["14:00", "18:00"]]
    status, out, _err = run("export", "it")
    assert json.loads(out) == data
    data["weekly"]["sat"] = [["09:00", "12:00"]]
    path.write_text(json.dumps(data))
    status, out, _err = run("import", "it", str(path))
    assert status == 0
    assert "Imported into it" in out
    assert demo["it"].windows.filter(weekday=5, start_minute=9 * H).exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("export", "nowhere"), "nowhere"),
        (("import", "nowhere", "{file}"), "nowhere"),
        (("import", "it", "{missing}"), "No such file"),
        (("import", "it", "{not_json}"), "not JSON"),
        (("import", "it", "{bad}"), "weekly.mon[0]"),
    ],
)
def test_cli_bad_input_is_one_line_on_stderr_with_status_2(demo, tmp_path, args, words):
    files = {
        "file": tmp_path / "good.json",
        "missing": tmp_path / "missing.json",
        "not_json": tmp_path / "not.json",
        "bad": tmp_path / "bad.json",
    }
    files["file"].write_text(json.dumps({"timezone": "UTC", "weekly": {}}))
    files["not_json"].write_text("{timezone: ")
    files["bad"].write_text(json.dumps({"timezone": "UTC", "weekly": {"mon": [["9", "10"]]}}))
    before = calendar_rows(demo["it"])
    status, out, err = run(*(arg.format(**files) for arg in args))
    assert status == 2
    assert out == ""
    assert err.startswith("error: ")
    assert err.strip().count("\n") == 0
    assert words in err
    assert calendar_rows(demo["it"]) == before


def test_cli_export_of_an_inconsistent_stored_calendar_is_an_error(demo):
    # Rows written around the admin's checks (e.g. by a script): overlapping Monday windows.
    OpeningWindow.objects.create(
        region=demo["it"], weekday=0, start_minute=12 * H, end_minute=15 * H
    )
    status, out, err = run("export", "it")
    assert status == 2
    assert out == ""
    assert err.startswith("error: the stored calendar of it is inconsistent: weekly.mon")
