"""The time zones people may choose: current IANA zones only, grouped by region (one source).

The list comes from the `tzdata` package (a pinned dependency): the zones of `zone.tab` and
`zone1970.tab`, which name every zone in use today per country, plus "UTC". Left out are the
names kept only for compatibility: `Factory`, `localtime`, `Etc/*`, and links such as
`US/Eastern` or `Europe/Kiev`. A user who saved such a link earlier is moved to the zone it
points to (`tzdata.zi` lists the links); one saved under a name with no current equivalent keeps
it until they choose another (`time_zone_allowed(..., keeping=...)`).
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

UTC_NAME = "UTC"

# The first part of an IANA name, as the picker's groups name it.
REGION_LABELS: dict[str, Promise] = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}


def _tzdata_text(name: str) -> str:
    """A text file of the tzdata package's zoneinfo folder."""
    return resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")


@cache
def current_time_zones() -> frozenset[str]:
    """Every current IANA zone name (zone.tab and zone1970.tab) plus "UTC"."""
    names = {UTC_NAME}
    for table in ("zone.tab", "zone1970.tab"):
        for line in _tzdata_text(table).splitlines():
            if line and not line.startswith("#"):
                names.add(line.split("\t")[2])
    return frozenset(name for name in names if _loads(name))


def _loads(name: str) -> bool:
    """Whether zoneinfo knows the zone (the system's data may be older than tzdata's)."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


@cache
def _links() -> dict[str, str]:
    """Each link name of tzdata.zi (a compatibility alias) and the zone it points to."""
    links = {}
    for line in _tzdata_text("tzdata.zi").splitlines():
        if line.startswith("L "):
            _l, target, alias = line.split()
            links[alias] = target
    return links


def current_time_zone(name: str) -> str | None:
    """The current zone for `name`: itself, the zone a link points to, or None."""
    zones = current_time_zones()
    if name in zones:
        return name
    target = _links().get(name, name)
    if target == "Etc/UTC":
        return UTC_NAME
    return target if target in zones else None


def time_zone_allowed(name: str, *, keeping: str = "") -> bool:
    """Whether a user may save `name`: a current zone, or the one they already have (`keeping`)."""
    return name in current_time_zones() or (bool(name) and name == keeping and _loads(name))


def _offset(offset: timedelta) -> str:
    """An offset from UTC as "UTC+01:00" ("UTC-03:30", "UTC+00:00")."""
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def time_zone_label(name: str, *, now: datetime | None = None) -> str:
    """A zone as the picker shows it: "Rome (UTC+01:00)", "Argentina / Buenos Aires (UTC-03:00)"."""
    place = name.split("/", 1)[-1].replace("_", " ").replace("/", " / ")
    return f"{place} ({_offset(_utc_offset(name, now or datetime.now(UTC)))})"


def time_zone_choices(
    *, now: datetime | None = None, extra: str = ""
) -> list[tuple[str, str] | tuple[str, list[tuple[str, str]]]]:
    """Form choices: "UTC", then one group per region sorted by label, offsets as of `now`.

    `extra` (a zone a user saved earlier that is no longer current) comes first, by its name.
    """
    at = now or datetime.now(UTC)
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in current_time_zones() - {UTC_NAME}:
        groups.setdefault(name.split("/", 1)[0], []).append((name, time_zone_label(name, now=at)))
    choices: list[tuple[str, str] | tuple[str, list[tuple[str, str]]]] = []
    if extra and extra not in current_time_zones():
        choices.append((extra, f"{extra} ({_offset(_utc_offset(extra, at))})"))
    choices.append((UTC_NAME, "UTC (UTC+00:00)"))
    labelled = sorted(groups.items(), key=lambda item: str(REGION_LABELS.get(item[0], item[0])))
    for region, zones in labelled:
        label = str(REGION_LABELS.get(region, region))
        choices.append((label, sorted(zones, key=lambda zone: (zone[1].split(" (")[0], zone[0]))))
    return choices


def _utc_offset(name: str, at: datetime) -> timedelta:
    """The zone's offset from UTC at `at` (zero for an unknown name)."""
    try:
        return at.astimezone(zoneinfo.ZoneInfo(name)).utcoffset() or timedelta(0)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timedelta(0)
