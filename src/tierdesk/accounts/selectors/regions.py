"""Reading support regions and their business calendars.

A region's calendar is built from four sources: its IANA time zone, its weekly OpeningWindow
rows, the public holidays of `holiday_country` / `holiday_subdivision` (the `holidays` package,
materialised for a range of years) and its CalendarException rows (closed dates, or open dates
with their own windows). Regions are vendor configuration, visible to every signed-in person, so
these reads need no tenant scoping.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import lru_cache
from typing import Any

import holidays
from django.db.models import CharField, DateField, IntegerField, JSONField, Value
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tierdesk.sla.calendar import BusinessCalendar
from tierdesk.sla.calendar_spec import (
    DAY_NAMES,
    CalendarSpec,
    CalendarSpecError,
    Windows,
    calendar_spec_from_json,
    calendar_spec_to_json,
)

from ..models import CalendarException, SupportRegion, Territory


def region_for_territory(*, country: str, subdivision: str = "") -> SupportRegion | None:
    """The region serving a territory; a country+subdivision row wins over the country's."""
    country, subdivision = country.strip().upper(), subdivision.strip().upper()
    rows = Territory.objects.select_related("region").filter(
        country=country, subdivision__in={"", subdivision}
    )
    best: Territory | None = None
    for row in rows:
        if best is None or (row.subdivision and not best.subdivision):
            best = row
    return best.region if best else None


def region_list() -> list[SupportRegion]:
    """Every support region, by name, with its territories loaded."""
    return list(SupportRegion.objects.prefetch_related("territories").order_by("name"))


def access_region(*, code: str) -> SupportRegion:
    """The region with this code; Http404 when there is none."""
    region = SupportRegion.objects.filter(code=code).first()
    if region is None:
        raise Http404(_("No support region has the code %(code)s.") % {"code": code})
    return region


def default_holiday_years(today: date | None = None) -> range:
    """The years whose holidays are materialised: the previous year to two years ahead."""
    year = (today or timezone.localdate()).year
    return range(year - 1, year + 3)


@lru_cache(maxsize=256)
def public_holidays(country: str, subdivision: str, years: tuple[int, ...]) -> frozenset[date]:
    """The public holidays (observed days included) of a country or subdivision in these years."""
    if not country:
        return frozenset()
    data = holidays.country_holidays(country, subdiv=subdivision or None, years=years)
    return frozenset(data.keys())


def holiday_source_check(*, country: str, subdivision: str) -> str | None:
    """Why the `holidays` package cannot give this country/subdivision, or None when it can."""
    if not country:
        return _("A subdivision needs a country.") if subdivision else None
    supported = holidays.list_supported_countries()
    if country not in supported:
        return _("The holidays data set has no country %(country)s.") % {"country": country}
    if subdivision and subdivision not in supported[country]:
        return _("The holidays data set has no subdivision %(subdivision)s of %(country)s.") % {
            "subdivision": subdivision,
            "country": country,
        }
    return None


def windows_from_text(pairs: Any, *, path: str = "windows") -> Windows:
    """Windows from JSON pairs of "HH:MM" strings; raises CalendarSpecError naming the problem."""
    if not isinstance(pairs, list):
        pairs = list(pairs) if isinstance(pairs, tuple) else pairs
    probe = "2000-01-01"
    try:
        spec = calendar_spec_from_json({"timezone": "UTC", "weekly": {}, "open": {probe: pairs}})
    except CalendarSpecError as error:
        raise CalendarSpecError(str(error).replace(f"open.{probe}", path)) from None
    return spec.open[date(2000, 1, 1)]


def _calendar_rows(
    region: SupportRegion,
) -> tuple[tuple[tuple[int, int, int], ...], tuple[tuple[date, str, str], ...]]:
    """The region's windows and exceptions as plain tuples, in one query (a UNION ALL).

    Every request that computes a clock reads them to check the cached calendar, so they cost
    one round trip, not two. A window row has a weekday; an exception row has a date.
    """
    none_int = Value(None, output_field=IntegerField())
    window_rows = region.windows.annotate(
        _date=Value(None, output_field=DateField()),
        _kind=Value("", output_field=CharField()),
        _windows=Value(None, output_field=JSONField()),
    ).values_list("weekday", "start_minute", "end_minute", "_date", "_kind", "_windows")
    exception_rows = region.exceptions.annotate(
        _weekday=none_int, _start=none_int, _end=none_int
    ).values_list("_weekday", "_start", "_end", "date", "kind", "windows")
    rows = list(window_rows.order_by().union(exception_rows.order_by(), all=True))
    windows = tuple(sorted((w, s, e) for w, s, e, day, _, _ in rows if day is None))
    exceptions = tuple(
        (day, kind, _windows_json(spans))
        for _, _, _, day, kind, spans in sorted(
            (row for row in rows if row[3] is not None), key=lambda row: row[3]
        )
    )
    return windows, exceptions


def _windows_json(windows: Any) -> str:
    """A canonical text form of an exception's JSON windows, hashable for the cache key."""
    return json.dumps(windows, separators=(",", ":"))


def _spec_from_rows(
    *,
    time_zone: str,
    country: str,
    subdivision: str,
    years: range,
    windows: tuple[tuple[int, int, int], ...],
    exceptions: tuple[tuple[date, str, str], ...],
) -> CalendarSpec:
    """Build the spec from the plain rows; raises CalendarSpecError on inconsistent data."""
    weekly: list[list[tuple[int, int]]] = [[] for _day in DAY_NAMES]
    for weekday, start, end in windows:
        weekly[weekday].append((start, end))
    closed = {day for day, kind, _w in exceptions if kind == CalendarException.Kind.CLOSED}
    opened = {
        day: windows_from_text(json.loads(text), path=f"open.{day.isoformat()}")
        for day, kind, text in exceptions
        if kind == CalendarException.Kind.OPEN
    }
    return CalendarSpec(
        timezone=time_zone,
        weekly=tuple(tuple(day) for day in weekly),
        holidays=public_holidays(country, subdivision, tuple(years)),
        closed=frozenset(closed),
        open=opened,
    )


def region_calendar_spec(region: SupportRegion, *, years: range | None = None) -> CalendarSpec:
    """The region's calendar as a CalendarSpec, public holidays materialised for `years`.

    `years` defaults to the previous year to two years ahead. Raises CalendarSpecError when
    rows written around the admin's checks are inconsistent (e.g. overlapping windows).
    """
    windows, exceptions = _calendar_rows(region)
    return _spec_from_rows(
        time_zone=region.time_zone,
        country=region.holiday_country,
        subdivision=region.holiday_subdivision,
        years=years or default_holiday_years(),
        windows=windows,
        exceptions=exceptions,
    )


def region_calendar_export(region: SupportRegion, *, years: range | None = None) -> dict[str, Any]:
    """The region's calendar in the JSON form of docs/regions.md (every day key present)."""
    data = calendar_spec_to_json(region_calendar_spec(region, years=years))
    weekly = data["weekly"]
    assert isinstance(weekly, dict)
    data["weekly"] = {name: weekly.get(name, []) for name in DAY_NAMES}
    data.setdefault("closed", [])
    data.setdefault("open", {})
    return data


_PAIR_RE = re.compile(r'\[\s*("\d\d:\d\d"),\s*("\d\d:\d\d")\s*\]')


def calendar_json_text(data: dict[str, Any]) -> str:
    """The JSON text of an exported calendar: indented, one ["HH:MM", "HH:MM"] window a line."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _PAIR_RE.sub(r"[\1, \2]", text) + "\n"


_cache_lock = threading.Lock()
_calendar_cache: dict[int, tuple[tuple[Any, ...], BusinessCalendar]] = {}


# Within one short batch of work (an SLA timer sweep), a region's calendar is read once:
# `calendars_memo()` keeps what `region_business_calendar` returned for the batch's length.
_batch_calendars: ContextVar[dict[int, BusinessCalendar] | None] = ContextVar(
    "calendars_memo", default=None
)


@contextmanager
def calendars_memo() -> Iterator[None]:
    """Read each region's calendar at most once inside the block (for one short batch)."""
    token = _batch_calendars.set({})
    try:
        yield
    finally:
        _batch_calendars.reset(token)


def calendars_memo_forget(region_id: int) -> None:
    """Drop a region's calendar from the current memo (after its calendar was changed)."""
    batch = _batch_calendars.get()
    if batch is not None:
        batch.pop(region_id, None)


def region_business_calendar(region: SupportRegion) -> BusinessCalendar:
    """The region's BusinessCalendar, rebuilt only when its data (or the year) has changed.

    Each call reads the region's windows and exceptions (two small queries) to build the cache
    key, so edits made by any process take effect at once (inside `calendars_memo()`, once per
    block); the expensive part (holidays, the precomputed intervals) is done once per version.
    """
    batch = _batch_calendars.get()
    if batch is not None and region.pk in batch:
        return batch[region.pk]
    calendar = _region_calendar_current(region)
    if batch is not None:
        batch[region.pk] = calendar
    return calendar


def _region_calendar_current(region: SupportRegion) -> BusinessCalendar:
    windows, exceptions = _calendar_rows(region)
    years = default_holiday_years()
    key = (
        region.time_zone,
        region.holiday_country,
        region.holiday_subdivision,
        years.start,
        windows,
        exceptions,
    )
    with _cache_lock:
        hit = _calendar_cache.get(region.pk)
    if hit is not None and hit[0] == key:
        return hit[1]
    spec = _spec_from_rows(
        time_zone=region.time_zone,
        country=region.holiday_country,
        subdivision=region.holiday_subdivision,
        years=years,
        windows=windows,
        exceptions=exceptions,
    )
    calendar = BusinessCalendar(spec)
    with _cache_lock:
        _calendar_cache[region.pk] = (key, calendar)
    return calendar


__all__ = [
    "CalendarSpecError",
    "access_region",
    "calendar_json_text",
    "calendars_memo",
    "calendars_memo_forget",
    "default_holiday_years",
    "holiday_source_check",
    "public_holidays",
    "region_business_calendar",
    "region_calendar_export",
    "region_calendar_spec",
    "region_for_territory",
    "region_list",
    "windows_from_text",
]
