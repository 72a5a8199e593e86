"""Per-request context: the signed-in user's language and time zone, region calendars read once."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from tierdesk.accounts.selectors.regions import calendars_memo


class UserLanguageMiddleware:
    """Activate the signed-in user's language; goes right after AuthenticationMiddleware.

    LocaleMiddleware has already chosen from the cookie or Accept-Language; a signed-in user's
    saved choice wins over both (the language switcher saves it, see web.views.set_language).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = getattr(user, "language", "")
            if language in self.languages and language != translation.get_language():
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


class RegionCalendarsMiddleware:
    """Read each support region's business calendar at most once per request.

    A case page, or opening a case, evaluates the same region's calendar several times; within
    one request its windows and holidays cannot have changed unless the request changed them
    (and the calendar import forgets what it replaced).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with calendars_memo():
            return self.get_response(request)


class UserTimeZoneMiddleware:
    """Show times in the signed-in user's time zone (stored in UTC, shown at the edges)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
        try:
            if zone:
                timezone.activate(zoneinfo.ZoneInfo(zone))
            else:
                timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
