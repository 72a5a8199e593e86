"""Template context shared by every page: the navigation for the viewer's role."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from .navigation import MAIN, USER, navigation_for


def navigation(request: HttpRequest) -> dict[str, object]:
    """The navigation entries the current user may see: all of them, and split by menu."""
    items = navigation_for(getattr(request, "user", None) or AnonymousUser())
    return {
        "nav_items": items,
        "nav_main": [item for item in items if item.menu == MAIN],
        "nav_user": [item for item in items if item.menu == USER],
    }
