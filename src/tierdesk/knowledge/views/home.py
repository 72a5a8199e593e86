"""The help-center home (/help/, and `/` for visitors): search, categories, the most read and
the newest articles, guides and videos, all as the reader may see them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tierdesk.accounts.selectors.support import free_plan_summary
from tierdesk.tickets.selectors.portal import self_service_links

from ..models import Guide, Video
from ..models.localizing import reader_language
from ..selectors.access import may_author
from ..selectors.help_home import help_home
from .common import OG_LOCALES, routed

SEARCH_URL_NAME = "knowledge:search"
# The reader's pages of a guide and a video (their own part of issue 9): linked once routed.
GUIDE_URL_NAME = "knowledge:guide"
VIDEO_URL_NAME = "knowledge:video"


def guide_url(guide: Guide) -> str:
    """The guide's page, or "" while guides are not routed."""
    return routed(GUIDE_URL_NAME, guide.slug)


def video_url(video: Video) -> str:
    """The video's page, or "" while videos are not routed."""
    return routed(VIDEO_URL_NAME, video.slug)


def help_home_context(request: HttpRequest) -> dict[str, Any]:
    """What knowledge/index.html needs: the home's lists and its head (canonical: /help/)."""
    language = reader_language(get_language())
    home = help_home(request.user, language)
    here = routed("knowledge:index")
    canonical = request.build_absolute_uri(here or None)
    context: dict[str, Any] = {
        "help": home,
        "guides": [(guide, guide_url(guide)) for guide in home.guides],
        "videos": [
            (video, video_url(video), timedelta(seconds=video.duration_seconds))
            for video in home.videos
        ],
        "search_url": routed(SEARCH_URL_NAME),
        "canonical_url": canonical,
        "og_title": _("Help center"),
        "og_description": _("Articles, complete guides and video tutorials about tierdesk."),
        "og_locale": OG_LOCALES.get(language, language),
        "og_alternate_locales": [code for lang, code in OG_LOCALES.items() if lang != language],
    }
    if may_author(request.user):
        # The staff's pages about the help center, from its home.
        context["staff_links"] = [
            (label, url)
            for label, url in (
                (_("Articles due for review"), routed("knowledge:reviews")),
                (_("Content gaps"), routed("knowledge:gaps")),
                (_("Case-form deflection"), routed("knowledge:deflection")),
            )
            if url
        ]
    if not request.user.is_authenticated:
        # Visitors: what a free account includes, and the way to sign in (the help center is
        # their home page, `/`).
        context["summary"] = free_plan_summary()
        context["self_service"] = [link for link in self_service_links() if link.url != here]
    return context


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """/help/: the help center's home."""
    return render(request, "knowledge/index.html", help_home_context(request))
