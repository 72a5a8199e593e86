"""Deflection: articles suggested while a customer types a case's subject, the suggested
article's click-through (counted, then the article), an agent's article picker for replies,
and the staff's figure."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from tierdesk.accounts.models import User

from ..models.localizing import reader_language
from ..selectors.access import access_author, access_translation, may_author
from ..selectors.deflection import deflection_figures, suggested_translations
from ..services.deflection import deflection_article_opened, deflection_suggestions_shown
from .articles import article_url
from .common import HELP_HOME_URL_NAME, routed

# The marker on a suggested article's address: where the reader came from.
FROM_CASE_FORM = "case-form"
PICKER_LIMIT = 8
MARKDOWN_SPECIAL = re.compile(r"([\[\]\\])")


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise Http404("No such page.")
    return user


def _session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""


@require_safe
def case_form_suggestions(request: HttpRequest) -> HttpResponse:
    """GET ?subject=...: the case form's suggested articles (an htmx fragment)."""
    user = _signed_in(request)
    query = request.GET.get("subject", "")
    translations = suggested_translations(user, query, language=None)
    language = reader_language(get_language())
    # The reader's language first, keeping the search's order otherwise.
    translations.sort(key=lambda t: t.language != language)
    if translations and user.account_id is not None and request.method == "GET":
        deflection_suggestions_shown(
            user=user, session_key=_session_key(request), count=len(translations)
        )
    return render(request, "knowledge/_suggestions.html", {"translations": translations})


@require_safe
def suggestion_open(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    """A suggested article opened from the case form: counted, then the article itself."""
    user = _signed_in(request)
    translation = access_translation(user, language=language, slug=slug)
    if request.method == "GET":  # a HEAD opens nothing
        deflection_article_opened(
            user=user, session_key=_session_key(request), translation=translation
        )
    return redirect(f"{article_url(translation)}?from={FROM_CASE_FORM}")


def link_markdown(title: str, url: str) -> str:
    """`[Title](url)` with the title's brackets and backslashes escaped."""
    escaped = MARKDOWN_SPECIAL.sub(r"\\\1", title)
    return f"[{escaped}]({url})"


@require_safe
def article_picker(request: HttpRequest) -> HttpResponse:
    """GET ?q=...: articles to link in a reply (the console's picker; staff only)."""
    user = _signed_in(request)
    access_author(user)
    translations = suggested_translations(user, request.GET.get("q", ""), limit=PICKER_LIMIT)
    rows = [
        (t, link_markdown(t.title, request.build_absolute_uri(article_url(t))))
        for t in translations
        if t.is_published
    ]
    return render(request, "knowledge/_article_picker.html", {"rows": rows})


@require_safe
def deflection_page(request: HttpRequest) -> HttpResponse:
    """/help/deflection/: how often a suggested article ended a case form without a case."""
    access_author(request.user)
    context = {
        "figures": deflection_figures(),
        "help_home_url": routed(HELP_HOME_URL_NAME),
        "is_author": may_author(request.user),
    }
    return render(request, "knowledge/deflection.html", context)
