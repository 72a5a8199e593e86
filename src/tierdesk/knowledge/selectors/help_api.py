"""The help center's reads for the API (knowledge.api): lists and details shaped as its schemas,
each starting from the one rule (selectors.access), in a fixed number of queries a page."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse

from tierdesk.accounts.models import Viewer
from tierdesk.web.markdown import render_markdown

from ..models import ArticleTag, ArticleTranslation, Category, Guide, Video
from ..models.localizing import localized
from .access import (
    access_guide,
    access_translation,
    access_video,
    may_author,
    visible_chapters,
    visible_translations,
    visible_videos,
)
from .articles import translations_for
from .help_home import categories_with_counts, readable_guides


def _url(name: str, *args: object) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # a page not routed (yet): the API still answers
        return ""


def category_rows(user: Viewer | None, language: str) -> list[dict[str, Any]]:
    """The categories the caller sees, named in `language`, with the articles they may read."""
    return [
        {
            "slug": c.slug,
            "name": localized(c, "name", language),
            "description": localized(c, "description", language),
            "icon": c.icon,
            "article_count": c.article_count,  # type: ignore[attr-defined]
            "url": _url("knowledge:category", c.slug),
        }
        for c in categories_with_counts(user)
    ]


def article_list(
    user: Viewer | None,
    *,
    language: str | None = None,
    category: str | None = None,
    tag: str | None = None,
    status: str | None = None,
) -> QuerySet[ArticleTranslation]:
    """The translations the caller may read (drafts too for authors), newest change first."""
    queryset = visible_translations(user, language=language, drafts=True)
    if status is not None:
        queryset = queryset.filter(status=status)
    if category:
        queryset = queryset.filter(article__category__slug=category)
    if tag:
        queryset = queryset.filter(article__tags__slug=tag)
    tags = Prefetch("article__tags", queryset=ArticleTag.objects.order_by("slug"))
    return (
        queryset.select_related("article__category")
        .prefetch_related(tags)
        .order_by("-updated_at", "-pk")
    )


def article_row(translation: ArticleTranslation, language: str | None = None) -> dict[str, Any]:
    """A translation as ArticleOut (its article, category and tags already read)."""
    article = translation.article
    category: Category = article.category
    return {
        "id": article.pk,
        "language": translation.language,
        "slug": translation.slug,
        "title": translation.title,
        "summary": translation.summary,
        "status": translation.status,
        "visibility": article.visibility,
        "category": {
            "slug": category.slug,
            "name": localized(category, "name", language or translation.language),
        },
        "tags": [tag.slug for tag in article.tags.all()],
        "published_at": translation.published_at,
        "updated_at": translation.updated_at,
        "view_count": translation.view_count,
        "url": _url("knowledge:article", translation.language, translation.slug),
    }


def article_detail(user: Viewer | None, *, language: str, slug: str) -> dict[str, Any]:
    """One translation as ArticleDetailOut; Http404 when the caller may not read it."""
    translation = access_translation(user, language=language, slug=slug, drafts=True)
    return translation_detail(user, translation)


def translation_detail(user: Viewer | None, translation: ArticleTranslation) -> dict[str, Any]:
    """A translation the caller may read, as ArticleDetailOut."""
    translation = (
        ArticleTranslation.objects.select_related("article__category")
        .prefetch_related("article__tags")
        .get(pk=translation.pk)
    )
    others = (
        visible_translations(user, drafts=may_author(user))
        .filter(article_id=translation.article_id)
        .exclude(pk=translation.pk)
        .order_by("language")
    )
    return {
        **article_row(translation),
        "body_markdown": translation.body,
        "body_html": str(render_markdown(translation.body)),
        "alternates": [
            {
                "language": t.language,
                "slug": t.slug,
                "title": t.title,
                "url": _url("knowledge:article", t.language, t.slug),
            }
            for t in others
        ],
    }


def _guide_row(guide: Guide, language: str) -> dict[str, Any]:
    return {
        "slug": guide.slug,
        "title": localized(guide, "title", language),
        "summary": localized(guide, "summary", language),
        "visibility": guide.visibility,
        "chapter_count": guide.chapter_count,  # type: ignore[attr-defined]
        "url": _url("knowledge:guide", guide.slug),
    }


def guide_rows(user: Viewer | None, language: str) -> list[dict[str, Any]]:
    """The guides holding a chapter the caller may read, in order."""
    return [_guide_row(guide, language) for guide in readable_guides(user)]


def guide_detail(user: Viewer | None, *, slug: str, language: str) -> dict[str, Any]:
    """A guide with the chapters the caller may read, each in `language` (else English...)."""
    access_guide(user, slug=slug)
    guide = readable_guides(user).filter(slug=slug).first()
    if guide is None:  # visible, but no chapter the caller may read
        guide = access_guide(user, slug=slug)
        guide.chapter_count = 0  # type: ignore[attr-defined]
    chapters = list(visible_chapters(user, guide))
    chosen = translations_for(user, (c.article_id for c in chapters), language)
    rows: list[dict[str, Any]] = []
    for chapter in chapters:
        translation = chosen.get(chapter.article_id)
        if translation is None:
            continue
        rows.append(
            {
                "number": len(rows) + 1,
                "title": localized(chapter, "title", language) or translation.title,
                "article": {
                    "language": translation.language,
                    "slug": translation.slug,
                    "title": translation.title,
                    "url": _url("knowledge:article", translation.language, translation.slug),
                },
            }
        )
    return {**_guide_row(guide, language), "chapters": rows}


def video_row(video: Video) -> dict[str, Any]:
    return {
        "slug": video.slug,
        "language": video.language,
        "title": video.title,
        "visibility": video.visibility,
        "duration_seconds": video.duration_seconds,
        "external_url": video.external_url,
        "url": _url("knowledge:video", video.slug),
    }


def api_videos(user: Viewer | None, *, language: str | None = None) -> QuerySet[Video]:
    """The published videos the caller may see (in one language if asked), newest first."""
    queryset = visible_videos(user)
    if language is not None:
        queryset = queryset.filter(language=language)
    return queryset.order_by("-created_at", "pk")


def video_detail(user: Viewer | None, *, slug: str) -> dict[str, Any]:
    """A video with its chapters and transcript lines; Http404 when the caller may not see it."""
    video = access_video(user, slug=slug)
    return {
        **video_row(video),
        "description_markdown": video.description,
        "description_html": str(render_markdown(video.description)),
        "chapters": list(video.chapters.order_by("start_seconds").values("start_seconds", "title")),
        "transcript": list(video.cues.order_by("position").values("start_ms", "end_ms", "text")),
    }
