"""The search page (/help/search/, search as you type with htmx) and the staff's content gaps."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tierdesk.assistant import PAGE_URL_NAME as ASSISTANT_PAGE_URL_NAME
from tierdesk.tickets.permissions import may_open_case

from ..forms.search import SearchForm
from ..models.localizing import reader_language
from ..models.search import SearchKind
from ..selectors.access import may_author, visible_categories
from ..selectors.search import SearchResults, content_gaps, search
from ..services.gaps import search_miss_record, search_query_normalise
from .common import HELP_HOME_URL_NAME, is_htmx, routed

PAGE_SIZE = 20
GAPS_PAGE_SIZE = 50
# The box's id (Django's for the field `q`): an htmx request it triggers is a keystroke.
TYPING_TRIGGER = "id_q"
# How many misses a session remembers, so that one reader's query counts once.
SESSION_MISSES = "knowledge_search_misses"
SESSION_MISSES_KEPT = 50
# The other ways to get help an empty result suggests (always routed: reversed without a
# fallback, so that a wrong name fails instead of dropping the suggestion).
COMMUNITY_URL_NAME = "community:index"


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _typing(request: HttpRequest) -> bool:
    """A request sent while the reader types (not yet a search that may count as a miss)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and getattr(htmx, "trigger", None) == TYPING_TRIGGER


def _miss_record_once(request: HttpRequest, query: str, language: str) -> None:
    """Count a search without results, once per query and language in a reader's session."""
    key = f"{language}:{search_query_normalise(query)}"
    seen = list(request.session.get(SESSION_MISSES, []))
    if key in seen:
        return
    search_miss_record(query=query, language=language)
    request.session[SESSION_MISSES] = [*seen, key][-SESSION_MISSES_KEPT:]


def _querystring(request: HttpRequest, **changes: str) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        if value:
            params[key] = value
        else:
            params.pop(key, None)
    return params.urlencode()


KIND_ICONS: dict[str, str] = {
    SearchKind.ARTICLE: "journal-text",
    SearchKind.GUIDE: "book",
    SearchKind.VIDEO: "camera-video",
    SearchKind.TRANSCRIPT: "play-circle",
    SearchKind.THREAD: "people",
}


def moment(seconds: int) -> str:
    """A moment of a video as people read it: 1:05, 1:02:05."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _hit_rows(results: SearchResults) -> list[dict[str, Any]]:
    return [
        {
            "hit": hit,
            "label": SearchKind(hit.kind).label,
            "icon": KIND_ICONS.get(hit.kind, "search"),
            "moment": moment(hit.seek_seconds) if hit.seek_seconds is not None else "",
        }
        for hit in results.hits
    ]


def _kind_links(request: HttpRequest, results: SearchResults) -> list[tuple[str, str, int, str]]:
    """The kind filter as links with their counts (the kinds that found something)."""
    counts = results.counts
    rows = [
        ("article", _("Articles"), counts.get("article", 0)),
        ("guide", _("Guides"), counts.get("guide", 0)),
        ("video", _("Videos"), counts.get("video", 0) + counts.get("transcript", 0)),
    ]
    return [(k, label, n, _querystring(request, kind=k)) for k, label, n in rows if n]


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """/help/search/?q=…&kind=…&category=…&language=…&page=…: the hits the reader may read.

    An htmx request (the reader typing, or changing a filter) gets only the results.
    """
    user = request.user
    form = SearchForm(request.GET, categories=list(visible_categories(user)))
    results = SearchResults()
    number = _page_number(request)
    query, kind = "", ""
    if form.is_valid():
        query, kind = form.cleaned_data["q"].strip(), form.cleaned_data["kind"]
        results = search(
            user,
            query,
            kinds=form.kinds(),
            category=form.cleaned_data["category"] or None,
            language=form.cleaned_data["language"] or None,
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
        )
        if (
            query
            and results.total == 0
            and number == 1
            and request.method == "GET"  # a HEAD is no search
            and not _typing(request)
        ):
            language = form.cleaned_data["language"] or reader_language(get_language())
            _miss_record_once(request, query, language)
    pages = max(1, -(-results.total // PAGE_SIZE))
    context: dict[str, Any] = {
        "form": form,
        "query": query,
        "results": results,
        "rows": _hit_rows(results),
        "reader_language": reader_language(get_language()),
        "kind": kind,
        "kind_links": _kind_links(request, results),
        "all_kinds_link": _querystring(request, kind=""),
        "page_number": number,
        "pages": pages,
        "previous_link": _querystring(request, page=str(number - 1)) if number > 1 else "",
        "next_link": _querystring(request, page=str(number + 1)) if number < pages else "",
        "help_home_url": routed(HELP_HOME_URL_NAME),
        "assistant_url": reverse(ASSISTANT_PAGE_URL_NAME),
        "community_url": reverse(COMMUNITY_URL_NAME),
        "new_case_url": routed("tickets:new") if may_open_case(user) else "",
        "gaps_url": routed("knowledge:gaps") if may_author(user) else "",
    }
    template = "knowledge/search.html"
    if is_htmx(request):
        template += "#search-results"
    return render(request, template, context)


@require_safe
def gaps_page(request: HttpRequest) -> HttpResponse:
    """/help/gaps/: searches that found nothing, most frequent first (authors only; else 404)."""
    gaps = content_gaps(request.user)
    page = Paginator(gaps, GAPS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "knowledge/gaps.html", {"page": page})
