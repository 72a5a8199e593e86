"""Business calendar specifications: the data, its validation and its JSON form.

A `CalendarSpec` says *when* a region is open, in its own wall-clock time:

- `timezone`: an IANA time zone key (``"Europe/Rome"``);
- `weekly`: seven tuples of opening windows, Monday first; a window is
  ``(start_minute, end_minute)`` of the local day with ``0 <= start < end <= 1440``
  (``1440`` is ``24:00``), windows sorted and non-overlapping (touching is allowed);
- `holidays` and `closed`: local dates on which the weekly windows do not apply (both mean
  "closed all day"; holidays usually come from a data set, closed dates from an admin);
- `open`: extra windows for given local dates, which *replace* that date's weekly windows and win
  over `holidays` and `closed` (an empty tuple closes the date).

JSON form (see docs/sla.md)::

    {"timezone": "Europe/Rome",
     "weekly": {"mon": [["09:00", "13:00"], ["14:00", "18:00"]], ...},
     "holidays": ["2026-12-25"], "closed": ["2026-08-14"],
     "open": {"2026-12-27": [["10:00", "14:00"]]}}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Window = tuple[int, int]
Windows = tuple[Window, ...]

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 1440
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")
_KEYS = ("timezone", "weekly", "holidays", "closed", "open")


class CalendarSpecError(ValueError):
    """A calendar specification is malformed; the message names the field and the problem."""


class FrozenDateMap(Mapping[date, Windows]):
    """An immutable, hashable mapping from local dates to opening windows."""

    __slots__ = ("_data", "_hash")

    def __init__(self, items: Mapping[date, Windows] | Iterable[tuple[date, Windows]] = ()) -> None:
        """Copy the items, sorted by date."""
        pairs = items.items() if isinstance(items, Mapping) else items
        self._data: dict[date, Windows] = dict(sorted(pairs))
        self._hash: int | None = None

    def __getitem__(self, key: date) -> Windows:
        """The windows of a date."""
        return self._data[key]

    def __iter__(self) -> Iterator[date]:
        """Dates in ascending order."""
        return iter(self._data)

    def __len__(self) -> int:
        """Number of dates."""
        return len(self._data)

    def __hash__(self) -> int:
        """Hash of the sorted items."""
        if self._hash is None:
            self._hash = hash(tuple(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        """Equal to any mapping with the same items."""
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        """Readable form."""
        return f"FrozenDateMap({self._data!r})"


@lru_cache(maxsize=512)
def zone_for(key: str) -> ZoneInfo:
    """The ZoneInfo of a valid IANA key; raises CalendarSpecError otherwise."""
    if not isinstance(key, str) or not key:
        raise CalendarSpecError(f"timezone: expected an IANA time zone name, got {key!r}")
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise CalendarSpecError(f"timezone: unknown IANA time zone {key!r}") from None


def format_minute(minute: int) -> str:
    """``HH:MM`` for a minute of the day (1440 is ``24:00``)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _check_windows(path: str, windows: Iterable[Window]) -> Windows:
    """Sort windows and check bounds and overlaps; returns them as a tuple."""
    out: list[Window] = []
    for i, pair in enumerate(windows):
        if (
            not isinstance(pair, tuple | list)
            or len(pair) != 2
            or not all(isinstance(m, int) and not isinstance(m, bool) for m in pair)
        ):
            raise CalendarSpecError(
                f"{path}[{i}]: expected (start_minute, end_minute), got {pair!r}"
            )
        start, end = int(pair[0]), int(pair[1])
        if not 0 <= start < MINUTES_PER_DAY or not 0 < end <= MINUTES_PER_DAY:
            raise CalendarSpecError(f"{path}[{i}]: minutes out of range 0..1440: {pair!r}")
        if end <= start:
            raise CalendarSpecError(
                f"{path}[{i}]: end {format_minute(end)} is not after start {format_minute(start)}"
            )
        out.append((start, end))
    out.sort()
    for (s0, e0), (s1, e1) in pairwise(out):
        if s1 < e0:
            raise CalendarSpecError(
                f"{path}: window {format_minute(s1)}-{format_minute(e1)} overlaps "
                f"{format_minute(s0)}-{format_minute(e0)}"
            )
    return tuple(out)


@dataclass(frozen=True)
class CalendarSpec:
    """A region's business calendar in its local wall-clock time (see the module docstring)."""

    timezone: str
    weekly: tuple[Windows, ...]
    holidays: frozenset[date] = frozenset()
    closed: frozenset[date] = frozenset()
    open: Mapping[date, Windows] = field(default_factory=FrozenDateMap)

    def __post_init__(self) -> None:
        """Validate and normalise (sorted windows, frozen containers)."""
        zone_for(self.timezone)
        if len(self.weekly) != 7:
            raise CalendarSpecError(
                f"weekly: expected 7 days (Monday first), got {len(self.weekly)}"
            )
        weekly = tuple(
            _check_windows(f"weekly.{name}", day)
            for name, day in zip(DAY_NAMES, self.weekly, strict=True)
        )
        for name in ("holidays", "closed"):
            dates = getattr(self, name)
            if not all(isinstance(d, date) for d in dates):
                raise CalendarSpecError(f"{name}: expected dates")
        opened = FrozenDateMap(
            (d, _check_windows(f"open.{d.isoformat()}", w)) for d, w in self.open.items()
        )
        object.__setattr__(self, "weekly", weekly)
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "closed", frozenset(self.closed))
        object.__setattr__(self, "open", opened)

    def windows_on(self, day: date) -> Windows:
        """The opening windows of a local date, after holidays, closed and open dates."""
        extra = self.open.get(day)
        if extra is not None:
            return extra
        if day in self.holidays or day in self.closed:
            return ()
        return self.weekly[day.weekday()]


def twenty_four_seven(timezone: str = "UTC") -> CalendarSpec:
    """A calendar open every minute of every day (no gap at midnight or on DST changes)."""
    return CalendarSpec(timezone=timezone, weekly=(((0, MINUTES_PER_DAY),),) * 7)


ALWAYS_OPEN_SPEC = twenty_four_seven()


def _parse_time(path: str, text: object, *, is_end: bool) -> int:
    """Minute of the day of ``HH:MM`` (``24:00`` only as an end)."""
    label = "end" if is_end else "start"
    if not isinstance(text, str) or not _TIME_RE.match(text):
        raise CalendarSpecError(f"{path}: {label} {text!r} is not a time HH:MM (00:00-24:00)")
    if text == "24:00" and not is_end:
        raise CalendarSpecError(f"{path}: start 24:00 is not allowed (24:00 may only end a window)")
    return int(text[:2]) * 60 + int(text[3:])


def _parse_windows(path: str, data: object) -> Windows:
    """Windows from a JSON list of ``["HH:MM", "HH:MM"]`` pairs."""
    if not isinstance(data, list):
        raise CalendarSpecError(f"{path}: expected a list of [start, end] pairs, got {_kind(data)}")
    pairs: list[Window] = []
    for i, pair in enumerate(data):
        where = f"{path}[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise CalendarSpecError(f'{where}: expected a pair ["HH:MM", "HH:MM"], got {pair!r}')
        start = _parse_time(where, pair[0], is_end=False)
        end = _parse_time(where, pair[1], is_end=True)
        if end <= start:
            raise CalendarSpecError(
                f"{where}: end {format_minute(end)} is not after start {format_minute(start)}"
            )
        pairs.append((start, end))
    return _check_windows(path, pairs)


def _parse_date(path: str, text: object) -> date:
    """A date from ``YYYY-MM-DD``."""
    if isinstance(text, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise CalendarSpecError(f"{path}: {text!r} is not a date YYYY-MM-DD")


def _parse_dates(path: str, data: object) -> frozenset[date]:
    """A set of dates from a JSON list."""
    if not isinstance(data, list):
        raise CalendarSpecError(f"{path}: expected a list of dates YYYY-MM-DD, got {_kind(data)}")
    return frozenset(_parse_date(f"{path}[{i}]", item) for i, item in enumerate(data))


def _kind(data: object) -> str:
    """JSON type name of a value, for error messages."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if data is None:
        return "null"
    if isinstance(data, int | float) and not isinstance(data, bool):
        return "a number"
    return names.get(type(data), type(data).__name__)


def calendar_spec_from_json(data: object) -> CalendarSpec:
    """Parse the JSON form (already decoded) into a CalendarSpec; raises CalendarSpecError."""
    if not isinstance(data, dict):
        raise CalendarSpecError(f"calendar: expected a JSON object, got {_kind(data)}")
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise CalendarSpecError(
            f"calendar: unknown key {unknown[0]!r} (expected {', '.join(_KEYS)})"
        )
    if "timezone" not in data:
        raise CalendarSpecError("timezone: required (an IANA time zone such as 'Europe/Rome')")
    timezone = data["timezone"]
    zone_for(timezone)
    if "weekly" not in data:
        raise CalendarSpecError('weekly: required (e.g. {"mon": [["09:00", "17:00"]]})')
    weekly_data = data["weekly"]
    if not isinstance(weekly_data, dict):
        raise CalendarSpecError(
            f"weekly: expected an object keyed by day, got {_kind(weekly_data)}"
        )
    for key in weekly_data:
        if key not in DAY_NAMES:
            raise CalendarSpecError(f"weekly: unknown day {key!r} (use {', '.join(DAY_NAMES)})")
    weekly = tuple(
        _parse_windows(f"weekly.{name}", weekly_data[name]) if name in weekly_data else ()
        for name in DAY_NAMES
    )
    holidays = _parse_dates("holidays", data.get("holidays", []))
    closed = _parse_dates("closed", data.get("closed", []))
    open_data = data.get("open", {})
    if not isinstance(open_data, dict):
        raise CalendarSpecError(f"open: expected an object keyed by date, got {_kind(open_data)}")
    opened: dict[date, Windows] = {}
    for key, value in open_data.items():
        day = _parse_date("open", key)
        opened[day] = _parse_windows(f"open.{key}", value)
    return CalendarSpec(
        timezone=timezone,
        weekly=weekly,
        holidays=holidays,
        closed=closed,
        open=FrozenDateMap(opened),
    )


def _windows_to_json(windows: Windows) -> list[list[str]]:
    """JSON pairs for windows."""
    return [[format_minute(s), format_minute(e)] for s, e in windows]


def calendar_spec_to_json(spec: CalendarSpec) -> dict[str, object]:
    """The JSON form of a spec; `calendar_spec_from_json` gives the same spec back."""
    out: dict[str, Any] = {
        "timezone": spec.timezone,
        "weekly": {
            name: _windows_to_json(day)
            for name, day in zip(DAY_NAMES, spec.weekly, strict=True)
            if day
        },
        "holidays": sorted(d.isoformat() for d in spec.holidays),
    }
    if spec.closed:
        out["closed"] = sorted(d.isoformat() for d in spec.closed)
    if spec.open:
        out["open"] = {d.isoformat(): _windows_to_json(w) for d, w in spec.open.items()}
    return out
