"""The one date, time and duration format of tierdesk, localised (docs/formats.md).

Dates and times come from the language's format module (tierdesk/config/formats/<lang>), the
same formats the Django admin reads, so every page, e-mail and the admin agree:
"Tue 1 Dec 2026, 22:34 CET" in English, "mar 1 dic 2026, 22:34 CET" in Italian.
Durations are rounded for people: "45 min", "2 h 14 min", "3 d 4 h".
"""

from __future__ import annotations

import functools
import math
import zoneinfo
from datetime import UTC, date, datetime, timedelta, tzinfo

import phonenumbers
from django.utils import dateformat, formats, timezone, translation
from django.utils.translation import gettext, gettext_noop

# Italian writes weekday abbreviations in lower case ("mar 1 dic"); Django's own catalogue
# capitalises them ("Mar"). These msgids are Django's (django.utils.dates.WEEKDAYS_ABBR): listed
# here so that tierdesk's catalogue, which takes precedence, keeps its lower-case translations.
WEEKDAY_ABBREVIATIONS = (
    gettext_noop("Mon"),
    gettext_noop("Tue"),
    gettext_noop("Wed"),
    gettext_noop("Thu"),
    gettext_noop("Fri"),
    gettext_noop("Sat"),
    gettext_noop("Sun"),
)

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def to_zone(zone: tzinfo | str | None) -> tzinfo | None:
    """A tzinfo from a tzinfo or an IANA name; None (the active zone) for empty or unknown."""
    if zone is None or isinstance(zone, tzinfo):
        return zone
    if not zone:
        return None
    try:
        return zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def to_instant(value: datetime | str) -> datetime:
    """An aware datetime from a datetime or an ISO-8601 string; a naive one is taken as UTC."""
    instant = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return instant if timezone.is_aware(instant) else instant.replace(tzinfo=UTC)


def local(value: datetime | str, zone: tzinfo | str | None = None) -> datetime:
    """The instant in `zone`, or in the active (viewer's) time zone when `zone` is None."""
    return timezone.localtime(to_instant(value), to_zone(zone))


def _format(value: datetime, fmt: str) -> str:
    """`value` (already local) in a Django date format, its zone always named."""
    return _format_wall(translation.get_language(), fmt, value.replace(tzinfo=None), value.tzname())


@functools.lru_cache(maxsize=4096)
def _format_wall(language: str | None, fmt: str, wall: datetime, zone_name: str | None) -> str:
    """A wall time in `fmt` for `language`, "T" standing for `zone_name`.

    Cached: a queue page shows a hundred instants, and Django's formatting costs tens of
    microseconds each. The zone is written in rather than left to Django's "T", which prints
    nothing for a wall time that occurs twice (the hour a clock goes back), although an aware
    datetime knows which of the two it is. Formats name the zone with "T" only ("O", "e", "U"
    would need the tzinfo this cache leaves out).
    """
    zone_literal = "".join(f"\\{c}" for c in zone_name or "")
    return dateformat.format(wall, fmt.replace("T", zone_literal))


def format_when(value: datetime | str, zone: tzinfo | str | None = None) -> str:
    """Date and time in the viewer's zone (or `zone`), localised: "Tue 1 Dec 2026, 22:34 CET"."""
    return _format(local(value, zone), formats.get_format("DATETIME_FORMAT"))


def format_time(value: datetime | str, zone: tzinfo | str | None = None) -> str:
    """The time of day and zone in the viewer's zone (or `zone`): "22:34 CET"."""
    return _format(local(value, zone), f"{formats.get_format('TIME_FORMAT')} T")


def format_day(value: date | str, zone: tzinfo | str | None = None) -> str:
    """The date only, localised: "1 Dec 2026" (a datetime is first moved to the viewer's zone)."""
    day: date = value if not isinstance(value, str) else datetime.fromisoformat(value)
    if isinstance(day, datetime):
        day = local(day, zone)
    return formats.date_format(day, "DATE_FORMAT")


def _seconds(value: float | timedelta) -> float:
    """Seconds in a duration given as minutes (int or float) or as a timedelta."""
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) * MINUTE


def _round_half_up(value: float) -> int:
    """The nearest integer, halves rounded up (2.5 -> 3), unlike round()'s banker's rounding."""
    return math.floor(value + 0.5)


def format_duration(value: float | timedelta, *, days: bool = True) -> str:
    """A duration rounded for people: "45 min", "2 h 14 min", "3 d 4 h".

    `value` is minutes (int or float) or a timedelta. Rounded to the nearest minute under a
    day and to the nearest hour from one day on (minutes are dropped once days appear). With
    `days=False` hours never become days ("26 h 30 min"): for business time, where 24 hours
    are not a day (three working days of 8 hours). Zero
    is "0 min"; anything else under a minute either way is "less than a minute". A negative
    duration (e.g. how far past a due time) is the positive one with a leading "-"
    ("-5 min"); callers that want "overdue by 5 min" pass the absolute value.
    """
    seconds = _seconds(value)
    if seconds == 0:
        return gettext("%(count)s min") % {"count": 0}
    if abs(seconds) < MINUTE:
        return gettext("less than a minute")
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    minutes = _round_half_up(seconds / MINUTE)
    parts: list[str] = []
    if minutes * MINUTE < DAY or not days:
        hours, minutes = divmod(minutes, 60)
        if hours:
            parts.append(gettext("%(count)s h") % {"count": hours})
        if minutes or not hours:
            parts.append(gettext("%(count)s min") % {"count": minutes})
    else:
        whole_days, hours = divmod(_round_half_up(seconds / HOUR), 24)
        parts.append(gettext("%(count)s d") % {"count": whole_days})
        if hours:
            parts.append(gettext("%(count)s h") % {"count": hours})
    return sign + " ".join(parts)


def format_phone(number: str) -> str:
    """An E.164 number grouped as people dial it: "+39 02 0000 0101"; unchanged if unreadable."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
