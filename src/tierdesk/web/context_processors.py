"""Template context shared by every page: the navigation for the viewer's role."""

from django.http import HttpRequest

from .navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, object]:
    """The navigation entries the current user may see."""
    return {"nav_items": navigation_for(getattr(request, "user", None))}
