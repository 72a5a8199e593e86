"""Template filters of the video pages: a moment of a video as players write it (1:20)."""

from __future__ import annotations

from django import template

from ..selectors.videos import clock, iso_duration

register = template.Library()


@register.filter(name="video_clock")
def video_clock(seconds: float | None) -> str:
    """`{{ 80|video_clock }}` gives "1:20"; "" for nothing."""
    if seconds is None or seconds == "":
        return ""
    return clock(float(seconds))


@register.filter(name="video_iso")
def video_iso(seconds: float | None) -> str:
    """`{{ 80|video_iso }}` gives "PT1M20S", for <time datetime>."""
    if seconds is None or seconds == "":
        return ""
    return iso_duration(float(seconds))
