"""What the help-center home shows a reader: categories with the number of articles the reader
may read in each, the most read and the newest articles in the reader's language (English, else
the one there is, when it has none), guides and videos. Every read starts from the one rule
(selectors.access), and the whole home costs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from tierdesk.accounts.models import Viewer

from ..models import Category, Guide, Video
from ..models.localizing import reader_language
from .access import (
    readable_articles,
    visible_categories,
    visible_guides,
    visible_translations,
    visible_videos,
)
from .articles import ArticleLink, article_links

POPULAR_LIMIT = 6
RECENT_LIMIT = 6
GUIDE_LIMIT = 6
VIDEO_LIMIT = 4


@dataclass(frozen=True)
class HelpHome:
    """The help-center home: each list already cut to its length."""

    language: str
    categories: list[Category]
    popular: list[ArticleLink]
    recent: list[ArticleLink]
    guides: list[Guide]
    videos: list[Video]

    @property
    def is_empty(self) -> bool:
        """Whether the reader may read nothing at all yet."""
        return not (self.categories or self.guides or self.videos)


def categories_with_counts(user: Viewer | None) -> list[Category]:
    """The categories the reader sees, each with `article_count`: the articles THEY may read."""
    counts = (
        readable_articles(user)
        .filter(category=OuterRef("pk"))
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        visible_categories(user).annotate(
            article_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))
        )
    )


def popular_articles(
    user: Viewer | None, language: str, limit: int = POPULAR_LIMIT
) -> list[ArticleLink]:
    """The readable articles read most (views of their published translations), most first."""
    views = (
        visible_translations(user)
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Sum("view_count"))
        .values("n")
    )
    articles = (
        readable_articles(user)
        .annotate(views=Coalesce(Subquery(views, output_field=IntegerField()), Value(0)))
        .filter(views__gt=0)
        .order_by("-views", "-pk")[:limit]
    )
    return article_links(user, articles, language)


def recent_articles(
    user: Viewer | None, language: str, limit: int = RECENT_LIMIT
) -> list[ArticleLink]:
    """The readable articles most recently published (in any language), newest first."""
    latest = (
        visible_translations(user)
        .filter(article=OuterRef("pk"))
        .order_by("-published_at")
        .values("published_at")[:1]
    )
    articles = (
        readable_articles(user).annotate(latest=Subquery(latest)).order_by("-latest", "-pk")[:limit]
    )
    return article_links(user, articles, language)


def readable_guides(user: Viewer | None) -> QuerySet[Guide]:
    """The guides the reader sees that hold a chapter they may read, in order; each with
    `chapter_count`: the chapters whose article the reader may read."""
    chapters = (
        readable_articles(user)
        .filter(chapters__guide=OuterRef("pk"))
        .order_by()
        .values("chapters__guide")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        visible_guides(user)
        .annotate(chapter_count=Coalesce(Subquery(chapters, output_field=IntegerField()), Value(0)))
        .filter(chapter_count__gt=0)
        .order_by("position", "slug")
    )


def home_guides(user: Viewer | None, limit: int = GUIDE_LIMIT) -> list[Guide]:
    """The first guides of readable_guides."""
    return list(readable_guides(user)[:limit])


def home_videos(user: Viewer | None, language: str, limit: int = VIDEO_LIMIT) -> list[Video]:
    """The published videos the reader sees: their language's first, newest first."""
    own_first = Case(When(language=language, then=Value(0)), default=Value(1))
    return list(
        visible_videos(user)
        .annotate(own_language=own_first)
        .order_by("own_language", "-created_at", "pk")
        .only("pk", "slug", "language", "title", "duration_seconds", "poster", "created_at")[:limit]
    )


def help_home(user: Viewer | None, language: str | None = None) -> HelpHome:
    """Everything the help-center home shows this reader (a fixed number of queries)."""
    language = reader_language(language)
    return HelpHome(
        language=language,
        categories=categories_with_counts(user),
        popular=popular_articles(user, language),
        recent=recent_articles(user, language),
        guides=home_guides(user),
        videos=home_videos(user, language),
    )
