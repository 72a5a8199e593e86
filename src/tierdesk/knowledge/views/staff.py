"""The staff's pages: a translation's version history with diffs and restore, and the list of
articles due for review. They do not exist for readers (404, like any missing page)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tierdesk.accounts.models import User

from ..forms.articles import VersionCompareForm
from ..models import Article
from ..models.localizing import reader_language
from ..selectors.access import access_author, access_translation
from ..selectors.articles import pick_translation
from ..selectors.reviews import articles_due_for_review
from ..selectors.versions import access_version, translation_versions, version_diff
from ..services.articles import article_mark_reviewed, version_restore
from .articles import article_url
from .common import HELP_HOME_URL_NAME, routed

REVIEW_PAGE_SIZE = 50


def _author(request: HttpRequest) -> User:
    """The signed-in author; Http404 for anyone else."""
    access_author(request.user)
    assert isinstance(request.user, User)
    return request.user


@require_safe
def version_history(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    """/help/<language>/<slug>/history/: the versions, a diff between two, restore buttons."""
    user = _author(request)
    translation = access_translation(user, language=language, slug=slug, drafts=True)
    versions = list(translation_versions(user, translation))
    numbers = [v.number for v in versions]
    initial = {"new": numbers[0], "old": numbers[1] if len(numbers) > 1 else numbers[0]}
    form = VersionCompareForm(request.GET or initial, numbers=numbers)
    old_number, new_number = initial["old"], initial["new"]
    if request.GET and form.is_valid():
        old_number, new_number = form.cleaned_data["old"], form.cleaned_data["new"]
    by_number = {v.number: v for v in versions}
    old, new = by_number[old_number], by_number[new_number]
    context = {
        "translation": translation,
        "article_url": article_url(translation),
        "versions": versions,
        "current": versions[0],
        "form": form,
        "old": old,
        "new": new,
        "diff": version_diff(old, new),
        "help_home_url": routed(HELP_HOME_URL_NAME),
        "admin_url": routed("admin:knowledge_articletranslation_change", translation.pk),
    }
    return render(request, "knowledge/versions.html", context)


@require_POST
def version_restore_page(
    request: HttpRequest, language: str, slug: str, number: int
) -> HttpResponse:
    """POST: make version `number` current again (as a new version); back to the history."""
    user = _author(request)
    translation = access_translation(user, language=language, slug=slug, drafts=True)
    version = access_version(user, translation, number)
    restored = version_restore(version=version, actor=user)
    messages.success(
        request,
        _("Version %(old)d restored as version %(new)d.")
        % {"old": version.number, "new": restored.number},
    )
    return redirect(reverse("knowledge:versions", args=[language, slug]))


@require_safe
def review_list(request: HttpRequest) -> HttpResponse:
    """/help/review/: the articles due for review, most overdue first."""
    user = _author(request)
    language = reader_language(get_language())
    page = Paginator(articles_due_for_review(user), REVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(article, pick_translation(article.translations.all(), language)) for article in page]
    context = {"page": page, "rows": rows, "help_home_url": routed(HELP_HOME_URL_NAME)}
    return render(request, "knowledge/reviews.html", context)


@require_POST
def review_done(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: record that an article was reviewed today; back to the list."""
    user = _author(request)
    article = get_object_or_404(Article, pk=pk)
    article_mark_reviewed(article=article, actor=user)
    messages.success(request, _("Marked as reviewed."))
    return redirect(reverse("knowledge:reviews"))
