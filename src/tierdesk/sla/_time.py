"""Instants and durations as integer microseconds since the Unix epoch (UTC)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

__all__ = ["UTC"]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = timedelta(microseconds=1)
US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_DAY = 1440 * US_PER_MINUTE

# The engine works on UTC instants in [1900-01-01, 3000-01-01): wide enough for any ticket and
# far enough from datetime's limits that local-time arithmetic never overflows.
MIN_YEAR = 1900
MAX_YEAR = 2999
MIN_US = (datetime(MIN_YEAR, 1, 1, tzinfo=UTC) - EPOCH) // ONE_US
MAX_US = (datetime(MAX_YEAR + 1, 1, 1, tzinfo=UTC) - EPOCH) // ONE_US

Minutes = int | float | timedelta


def to_us(at: datetime, name: str = "instant") -> int:
    """Microseconds since the epoch of an aware datetime; naive datetimes raise ValueError."""
    # Hot path of every query: subtracting the aware epoch fails for naive datetimes (and for
    # anything that is not a datetime), so no separate checks are needed on success.
    try:
        us: int = (at - EPOCH) // ONE_US
    except TypeError:
        if isinstance(at, datetime):
            raise ValueError(f"{name} must be timezone-aware, got naive {at.isoformat()}") from None
        raise TypeError(f"{name} must be a datetime, got {type(at).__name__}") from None
    if not MIN_US <= us < MAX_US:
        raise ValueError(f"{name} {at.isoformat()} is outside {MIN_YEAR}..{MAX_YEAR} (UTC)")
    return us


def from_us(us: int) -> datetime:
    """The aware UTC datetime for microseconds since the epoch."""
    return EPOCH + timedelta(microseconds=us)


def duration_us(minutes: Minutes, name: str = "duration") -> int:
    """Microseconds in a non-negative duration given in minutes (int or float) or a timedelta."""
    if type(minutes) is int and minutes >= 0:
        return minutes * US_PER_MINUTE
    if isinstance(minutes, timedelta):
        us = minutes // ONE_US
    elif isinstance(minutes, bool) or not isinstance(minutes, int | float):
        raise TypeError(f"{name} must be minutes (int or float) or a timedelta")
    elif isinstance(minutes, int):
        us = minutes * US_PER_MINUTE
    else:
        if not math.isfinite(minutes):
            raise ValueError(f"{name} must be a finite number of minutes, got {minutes}")
        us = round(minutes * US_PER_MINUTE)
    if us < 0:
        raise ValueError(f"{name} must not be negative, got {minutes}")
    return us


def year_of(us: int) -> int:
    """The UTC calendar year of an instant in microseconds."""
    return from_us(us).year


def year_start_us(year: int) -> int:
    """Microseconds at 1 January of a year, 00:00 UTC."""
    return (datetime(year, 1, 1, tzinfo=UTC) - EPOCH) // ONE_US
