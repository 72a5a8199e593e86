"""Small helpers the help center's pages share."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

# The help center's home (issue 9, built by another part): linked once it is routed.
HELP_HOME_URL_NAME = "knowledge:index"

# Open Graph wants a territory with the language.
OG_LOCALES = {"en": "en_US", "it": "it_IT"}


def routed(url_name: str, *args: object) -> str:
    """The URL of a named route, or "" while it is not routed."""
    try:
        return reverse(url_name, args=args)
    except NoReverseMatch:
        return ""


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx asked (django-htmx's middleware sets request.htmx)."""
    return bool(getattr(request, "htmx", False))
