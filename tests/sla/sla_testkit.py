"""Shared test helpers for tierdesk.sla: a brute-force minute-by-minute reference, strategies and
hypothesis settings. The reference re-implements the meaning from scratch, on purpose naively:
a UTC minute is a business minute when the local wall clock at its start shows a time inside an
opening window of that local date, and the date is open."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tierdesk.sla import CalendarSpec

MINUTE = timedelta(minutes=1)

SETTINGS = settings(
    max_examples=int(os.environ.get("SLA_HYPOTHESIS_EXAMPLES", "40")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Zones with DST in both hemispheres, half-hour and 45-minute offsets, half-hour DST shifts
# (Lord Howe) and DST changes at midnight (Santiago, Havana).
ZONES = (
    "UTC",
    "Europe/Rome",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "America/Santiago",
    "America/Havana",
    "America/St_Johns",
    "Pacific/Chatham",
    "Europe/London",
)

# Days around which DST changes happen in 2026 for the zones above.
INTERESTING_DATES = tuple(
    date.fromisoformat(d)
    for d in (
        "2026-03-08",
        "2026-03-29",
        "2026-04-05",
        "2026-04-04",
        "2026-09-06",
        "2026-10-04",
        "2026-10-25",
        "2026-11-01",
        "2026-03-15",
        "2026-09-27",
        "2026-12-31",
        "2026-02-28",
    )
)


class Reference:
    """Brute-force business minutes of one spec, walking UTC minutes one by one."""

    def __init__(self, spec: CalendarSpec) -> None:
        self.spec = spec
        self.zone = ZoneInfo(spec.timezone)

    def windows(self, day: date) -> Sequence[tuple[int, int]]:
        if day in self.spec.open:
            return self.spec.open[day]
        if day in self.spec.holidays or day in self.spec.closed:
            return ()
        return self.spec.weekly[day.weekday()]

    def is_open_minute(self, minute_start: datetime) -> bool:
        local = minute_start.astimezone(self.zone)
        m = local.hour * 60 + local.minute
        return any(s <= m < e for s, e in self.windows(local.date()))

    def minutes(self, start: datetime) -> Iterable[tuple[datetime, bool]]:
        t = start
        while True:
            yield t, self.is_open_minute(t)
            t += MINUTE

    def add(self, start: datetime, n: int, limit: int = 200_000) -> datetime | None:
        """Minute-aligned start: end of the n-th business minute; None past `limit` minutes."""
        if n == 0:
            return start
        count = 0
        for k, (t, is_open) in enumerate(self.minutes(start)):
            if k >= limit:
                return None
            if is_open:
                count += 1
                if count == n:
                    return t + MINUTE
        raise AssertionError("unreachable")

    def between(self, a: datetime, b: datetime) -> int:
        """Business minutes in [a, b) for minute-aligned a <= b."""
        count = 0
        t = a
        while t < b:
            count += self.is_open_minute(t)
            t += MINUTE
        return count


@st.composite
def day_windows(draw: st.DrawFn, max_windows: int = 3) -> tuple[tuple[int, int], ...]:
    """Sorted, non-overlapping windows of one day; edges favour midnight and the DST hours."""
    k = draw(st.integers(0, max_windows))
    edge = st.one_of(
        st.integers(0, 1440),
        st.sampled_from([0, 60, 90, 120, 150, 180, 240, 1380, 1410, 1439, 1440]),
        st.integers(0, 96).map(lambda q: q * 15),
    )
    edges = sorted(draw(st.sets(edge, min_size=2 * k, max_size=2 * k)))
    return tuple((edges[i], edges[i + 1]) for i in range(0, 2 * k, 2))


@st.composite
def specs(draw: st.DrawFn, zones: Sequence[str] = ZONES) -> CalendarSpec:
    """Calendars with some business time every week."""
    zone = draw(st.sampled_from(zones))
    full = draw(st.integers(0, 9)) == 0
    if full:
        weekly = (((0, 1440),),) * 7
    else:
        weekly = tuple(draw(day_windows()) for _ in range(7))
        if sum(e - s for day in weekly for s, e in day) < 120:
            weekly = (((540, 1020),),) * 5 + ((), ())
    near = st.builds(
        lambda d, k: d + timedelta(days=k), st.sampled_from(INTERESTING_DATES), st.integers(-3, 9)
    )
    holidays = frozenset(draw(st.lists(near, max_size=4)))
    closed = frozenset(draw(st.lists(near, max_size=2)))
    opened = dict(draw(st.lists(st.tuples(near, day_windows(2)), max_size=2)))
    return CalendarSpec(zone, weekly, holidays, closed, opened)


def minute_starts() -> st.SearchStrategy[datetime]:
    """Minute-aligned UTC instants, often within a few days before a DST change."""
    near = st.builds(
        lambda d, k, m: datetime(d.year, d.month, d.day, tzinfo=UTC) + timedelta(days=k, minutes=m),
        st.sampled_from(INTERESTING_DATES),
        st.integers(-3, 1),
        st.integers(0, 1439),
    )
    anywhere = st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
    ).map(lambda t: t.replace(second=0, microsecond=0))
    return st.one_of(near, anywhere)


def instants() -> st.SearchStrategy[datetime]:
    """Instants with arbitrary seconds and microseconds."""
    return st.builds(
        lambda t, us: t + timedelta(microseconds=us),
        minute_starts(),
        st.integers(0, 60_000_000 - 1) | st.just(0),
    )
