"""Changing support regions' calendars: importing the JSON form of docs/regions.md.

How an imported file is stored (see docs/regions.md):

- "timezone" becomes the region's time zone;
- "weekly" replaces the region's OpeningWindow rows (unless replace_windows=False);
- "holidays": dates that are public holidays of the region's holiday country/subdivision are
  already in the `holidays` data set and are not stored; any other date becomes a CalendarException
  "closed" row (note "Holiday (imported)"), so it shows under "closed" in the next export;
- "closed" dates become CalendarException "closed" rows;
- "open" dates become CalendarException "open" rows with their windows, and win over a holiday or
  closed date on the same day (as in the CalendarSpec);
- the region's other CalendarException rows are deleted (unless replace_exceptions=False, which
  keeps rows for dates the file does not mention).

A public holiday cannot be removed by leaving it out of "holidays": to open on one, list it under
"open". The round trip export -> import -> export gives the same JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tierdesk.sla.calendar_spec import CalendarSpec, calendar_spec_from_json, format_minute

from ..models import CalendarException, OpeningWindow, SupportRegion
from ..selectors.regions import calendars_memo_forget, public_holidays


@dataclass(frozen=True)
class CalendarImportReport:
    """What an import stored."""

    windows: int
    closed: int
    open: int
    imported_holidays: int
    public_holidays_skipped: int


def _windows_json(windows: tuple[tuple[int, int], ...]) -> list[list[str]]:
    return [[format_minute(start), format_minute(end)] for start, end in windows]


@transaction.atomic
def region_calendar_import(
    *,
    region: SupportRegion,
    data: Any,
    replace_windows: bool = True,
    replace_exceptions: bool = True,
) -> CalendarImportReport:
    """Replace the region's calendar with a JSON calendar; validated first, all or nothing.

    Raises CalendarSpecError (a ValueError naming the field) before anything is written.
    """
    spec: CalendarSpec = calendar_spec_from_json(data)
    years = tuple(sorted({day.year for day in spec.holidays}))
    public = public_holidays(region.holiday_country, region.holiday_subdivision, years)
    extra_holidays = spec.holidays - public
    closed = (spec.closed | extra_holidays) - set(spec.open)

    region = SupportRegion.objects.select_for_update().get(pk=region.pk)
    if region.time_zone != spec.timezone:
        region.time_zone = spec.timezone
        region.save(update_fields=["time_zone"])
    windows = 0
    if replace_windows:
        region.windows.all().delete()
        created = OpeningWindow.objects.bulk_create(
            OpeningWindow(region=region, weekday=weekday, start_minute=start, end_minute=end)
            for weekday, day in enumerate(spec.weekly)
            for start, end in day
        )
        windows = len(created)
    rows = [
        CalendarException(
            region=region,
            date=day,
            kind=CalendarException.Kind.CLOSED,
            note=_("Holiday (imported)") if day in extra_holidays else "",
        )
        for day in sorted(closed)
    ] + [
        CalendarException(
            region=region,
            date=day,
            kind=CalendarException.Kind.OPEN,
            windows=_windows_json(day_windows),
        )
        for day, day_windows in spec.open.items()
    ]
    if replace_exceptions:
        region.exceptions.all().delete()
    else:
        region.exceptions.filter(date__in=[row.date for row in rows]).delete()
    CalendarException.objects.bulk_create(rows)
    calendars_memo_forget(region.pk)
    return CalendarImportReport(
        windows=windows,
        closed=len(closed),
        open=len(spec.open),
        imported_holidays=len(extra_holidays - set(spec.open)),
        public_holidays_skipped=len(spec.holidays & public),
    )
