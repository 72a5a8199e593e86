"""UTC-offset segments of a time zone, found by sampling zoneinfo and bisecting to the second."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from tierdesk.sla._time import EPOCH, US_PER_SECOND, year_start_us
from tierdesk.sla.calendar_spec import zone_for

# One sample an hour: no zone has had two offset changes less than an hour apart.
_STEP_S = 3600

Segment = tuple[int, int, int]  # (utc_start_us, utc_end_us, offset_us)


def _offset_s(key: str, utc_s: int) -> int:
    """UTC offset in seconds of a zone at a UTC instant given in seconds."""
    local = (EPOCH + timedelta(seconds=utc_s)).astimezone(zone_for(key))
    offset = local.utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


@lru_cache(maxsize=4096)
def offset_segments(key: str, year: int) -> tuple[Segment, ...]:
    """Constant-offset UTC segments covering one UTC calendar year of a zone, in order."""
    lo_s = year_start_us(year) // US_PER_SECOND
    hi_s = year_start_us(year + 1) // US_PER_SECOND
    segments: list[Segment] = []
    seg_start = lo_s
    prev_t, prev_off = lo_s, _offset_s(key, lo_s)
    t = lo_s
    while t < hi_s:
        t = min(t + _STEP_S, hi_s)
        off = _offset_s(key, t) if t < hi_s else prev_off
        if off != prev_off:
            # The change lies in (prev_t, t]: find the first second with the new offset.
            a, b = prev_t, t
            while b - a > 1:
                mid = (a + b) // 2
                if _offset_s(key, mid) == prev_off:
                    a = mid
                else:
                    b = mid
            segments.append(
                (seg_start * US_PER_SECOND, b * US_PER_SECOND, prev_off * US_PER_SECOND)
            )
            seg_start = b
        prev_t, prev_off = t, off
    segments.append((seg_start * US_PER_SECOND, hi_s * US_PER_SECOND, prev_off * US_PER_SECOND))
    return tuple(segments)
