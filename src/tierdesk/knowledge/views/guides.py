"""The guide pages: the guides, a guide's table of contents, and one chapter to read."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from tierdesk.accounts.models import User

from ..choices import Visibility
from ..models import Guide
from ..models.localizing import reader_language
from ..selectors.access import access_guide
from ..selectors.guides import ChapterEntry, chapter_page, guide_contents, guide_list
from ..services.articles import translation_view_record
from ..services.reading import chapter_mark_read
from .articles import article_url
from .common import HELP_HOME_URL_NAME, routed


def chapter_url(guide: Guide, entry: ChapterEntry) -> str:
    """/help/guides/<guide>/<chapter>/: a chapter's address (its article's slug)."""
    return reverse("knowledge:guide-chapter", args=[guide.slug, entry.slug])


@require_safe
def guide_list_page(request: HttpRequest) -> HttpResponse:
    """/help/guides/: the guides the reader may see, with their progress for signed-in ones."""
    context = {
        "guides": list(guide_list(request.user)),
        "signed_in": request.user.is_authenticated,
        "help_home_url": routed(HELP_HOME_URL_NAME),
        "canonical_url": request.build_absolute_uri(reverse("knowledge:guides")),
    }
    return render(request, "knowledge/guides.html", context)


@require_safe
def guide_page(request: HttpRequest, slug: str) -> HttpResponse:
    """/help/guides/<slug>/: the guide's table of contents (the chapters the reader may read)."""
    user = request.user
    guide = access_guide(user, slug=slug)
    contents = guide_contents(user, guide, reader_language(get_language()))
    context = {
        "guide": guide,
        "contents": contents,
        "help_home_url": routed(HELP_HOME_URL_NAME),
        "canonical_url": request.build_absolute_uri(reverse("knowledge:guide", args=[slug])),
        "noindex": guide.visibility != Visibility.PUBLIC,
    }
    return render(request, "knowledge/guide.html", context)


@require_safe
def chapter_view(request: HttpRequest, slug: str, chapter: str) -> HttpResponse:
    """/help/guides/<slug>/<chapter>/: a chapter's article in the reader's language.

    Opening it marks it read for a signed-in reader. A slug of the article in another language
    redirects to the chapter's address in the language shown.
    """
    user = request.user
    guide = access_guide(user, slug=slug)
    page, canonical = chapter_page(user, guide, chapter, reader_language(get_language()))
    if not canonical:
        return redirect(chapter_url(guide, page.entry))
    # Only a GET reads the chapter: a HEAD (link checkers, previews) neither marks nor counts.
    reading = request.method == "GET"
    if reading and isinstance(user, User) and user.is_active:
        try:
            chapter_mark_read(user=user, chapter=page.entry.chapter)
        except PermissionDenied:  # hidden between the two reads: show it, keep no record
            pass
        else:
            page.contents.entries[page.entry.number - 1] = page.entry = ChapterEntry(
                page.entry.number, page.entry.chapter, page.entry.translation, True
            )
    if reading:
        translation_view_record(translation=page.translation)
    article = page.translation.article
    context = {
        "guide": guide,
        "page": page,
        "contents": page.contents,
        "translation": page.translation,
        "help_home_url": routed(HELP_HOME_URL_NAME),
        # The chapter is its article: search engines are pointed at the article's own page.
        "canonical_url": request.build_absolute_uri(article_url(page.translation)),
        "article_url": article_url(page.translation),
        "noindex": guide.visibility != Visibility.PUBLIC or article.visibility != Visibility.PUBLIC,
        "previous_url": chapter_url(guide, page.previous) if page.previous else "",
        "next_url": chapter_url(guide, page.next) if page.next else "",
    }
    return render(request, "knowledge/chapter.html", context)
