"""Template filters of the forum: a poster's public name (never an e-mail) and badges."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors.forum_access import display_name
from ..selectors.forum_pages import badges

register = template.Library()


@register.filter(name="poster")
def poster(user: Any) -> str:
    return display_name(user)


@register.filter(name="poster_badges")
def poster_badges(user: Any) -> dict[str, Any]:
    staff, expert, reputation = badges(user)
    return {"staff": staff, "expert": expert, "reputation": reputation}


@register.simple_tag
def case_threads(case: Any) -> list[Any]:
    """The community threads a case was opened from (for the case pages' small link)."""
    from ..models import Thread

    if getattr(case, "channel", None) != "community":
        return []
    return list(Thread.objects.filter(case_id=case.pk, is_hidden=False).values("pk", "title"))
