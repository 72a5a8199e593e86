"""The reader's pages: a category's articles, an article, and "was this helpful?"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tierdesk.accounts.forms import add_service_errors

from ..choices import Visibility
from ..forms.articles import FeedbackForm
from ..models import ArticleTranslation
from ..models.localizing import reader_language
from ..selectors.access import access_category, access_translation, may_author
from ..selectors.articles import article_links, article_page_data, category_articles
from ..services.articles import translation_view_record
from ..services.feedback import feedback_record
from .common import HELP_HOME_URL_NAME, OG_LOCALES, is_htmx, routed

CATEGORY_PAGE_SIZE = 50


def article_url(translation: ArticleTranslation) -> str:
    """The reader's address of a translation: /help/<language>/<slug>/."""
    return reverse("knowledge:article", args=[translation.language, translation.slug])


@require_safe
def category_page(request: HttpRequest, slug: str) -> HttpResponse:
    """/help/c/<slug>/: the category's articles the reader may read, in their language."""
    user = request.user
    category = access_category(user, slug=slug)
    language = reader_language(get_language())
    articles = category_articles(user, category, language)
    page = Paginator(articles, CATEGORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "category": category,
        "page": page,
        "links": article_links(user, page.object_list, language),
        "help_home_url": routed(HELP_HOME_URL_NAME),
        "canonical_url": request.build_absolute_uri(
            reverse("knowledge:category", args=[category.slug])
        ),
    }
    return render(request, "knowledge/category.html", context)


def _article_context(
    request: HttpRequest, translation: ArticleTranslation, form: FeedbackForm | None = None
) -> dict[str, Any]:
    user = request.user
    page = article_page_data(user, translation, language=get_language())
    article = translation.article
    published = {
        code: t
        for code, t in page.alternates.items()
        if t.is_published and translation.is_published
    }
    alternates = {code: request.build_absolute_uri(article_url(t)) for code, t in published.items()}
    if alternates:
        alternates[translation.language] = request.build_absolute_uri(article_url(translation))
    author = may_author(user)
    return {
        "translation": translation,
        "article": article,
        "category": article.category,
        "page": page,
        "form": form or FeedbackForm(),
        "help_home_url": routed(HELP_HOME_URL_NAME),
        "canonical_url": request.build_absolute_uri(article_url(translation)),
        # hreflang: every published language of the article (itself included), English as
        # the x-default; none for a single language.
        "hreflang": sorted(alternates.items()),
        "x_default": alternates.get("en", ""),
        "og_locale": OG_LOCALES.get(translation.language, translation.language),
        "og_alternate_locales": [OG_LOCALES.get(code, code) for code in published],
        # Search engines index only what everyone may read.
        "noindex": article.visibility != Visibility.PUBLIC or not translation.is_published,
        "is_author": author,
        "admin_url": routed("admin:knowledge_articletranslation_change", translation.pk)
        if author
        else "",
    }


@require_safe
def article_page(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    """/help/<language>/<slug>/: an article the reader may read (a 404 for any other)."""
    user = request.user
    translation = access_translation(user, language=language, slug=slug, drafts=True)
    if translation.is_published and request.method == "GET":  # a HEAD is no view
        translation_view_record(translation=translation)
        translation.view_count += 1
    return render(request, "knowledge/article.html", _article_context(request, translation))


@require_POST
def article_feedback(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    """POST "was this helpful?": htmx swaps the box; without JavaScript, back to the article."""
    user = request.user
    translation = access_translation(user, language=language, slug=slug)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        session_key = None
        if not user.is_authenticated:
            # A visitor is counted once per session: make sure there is one (and its cookie).
            request.session["knowledge_feedback"] = True
            if not request.session.session_key:
                request.session.save()
            session_key = request.session.session_key
        try:
            feedback_record(
                translation=translation,
                helpful=form.cleaned_data["helpful"],
                comment=form.cleaned_data["comment"],
                user=user,
                session_key=session_key,
            )
        except ValidationError as error:
            add_service_errors(form, error)
    back = f"{article_url(translation)}#feedback"
    if is_htmx(request):
        context = {"translation": translation, "form": form, "thanked": form.is_valid()}
        return render(request, "knowledge/_feedback.html", context)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, str(errors[0]))
        return redirect(back)
    messages.success(request, _("Thank you for your feedback."))
    return redirect(back)
