"""Filters for the e-mail templates."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def local_datetime(value: str | datetime | None, time_zone: str = "UTC") -> str:
    """An ISO instant shown in the given IANA time zone, in the active language's format."""
    if value in (None, ""):
        return ""
    instant = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    try:
        zone = zoneinfo.ZoneInfo(time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    local = instant.astimezone(zone)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({zone.key})"
