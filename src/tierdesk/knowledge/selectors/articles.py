"""What the reader's article and category pages show: the translation in the reader's
language, its alternates, related articles, and a category's articles, in a fixed number of
queries whatever the number of articles, tags or languages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower

from tierdesk.accounts.models import Viewer

from ..models import Article, ArticleFeedback, ArticleTag, ArticleTranslation, Category
from ..models.localizing import FALLBACK_LANGUAGE, reader_language
from .access import readable_articles, visible_translations

RELATED_LIMIT = 5


def language_order(language: str) -> list[str]:
    """The languages to try for a reader: theirs, English, then the others."""
    codes = [code for code, _name in settings.LANGUAGES]
    first = [language, FALLBACK_LANGUAGE]
    return list(dict.fromkeys([*(c for c in first if c in codes), *codes]))


def pick_translation(
    translations: Iterable[ArticleTranslation], language: str
) -> ArticleTranslation | None:
    """The translation in the reader's language, else English, else any."""
    by_language = {t.language: t for t in translations}
    for code in language_order(language):
        if code in by_language:
            return by_language[code]
    return None


def translations_for(
    user: Viewer | None, article_ids: Iterable[int], language: str
) -> dict[int, ArticleTranslation]:
    """For each article, the readable translation in the reader's language (one query)."""
    ids = list(article_ids)
    grouped: dict[int, list[ArticleTranslation]] = {pk: [] for pk in ids}
    rows = (
        visible_translations(user)
        .filter(article_id__in=ids)
        .only("pk", "article_id", "language", "slug", "title", "summary", "updated_at")
    )
    for row in rows:
        grouped[row.article_id].append(row)
    chosen = {pk: pick_translation(rows, language) for pk, rows in grouped.items()}
    return {pk: t for pk, t in chosen.items() if t is not None}


@dataclass(frozen=True)
class ArticleLink:
    """An article in a list: its translation in the reader's language (or the one there is)."""

    article: Article
    translation: ArticleTranslation
    in_reader_language: bool


@dataclass
class ArticlePage:
    """Everything the article page shows besides the translation itself."""

    translation: ArticleTranslation
    reader_language: str
    # The other readable translations of the same article, by language code.
    alternates: dict[str, ArticleTranslation]
    tags: list[ArticleTag]
    related: list[ArticleLink]
    my_feedback: ArticleFeedback | None = None
    # The site's language codes, in the order of settings.LANGUAGES.
    codes: list[str] = field(default_factory=list)

    @property
    def in_reader_language(self) -> bool:
        """Whether the page is in the reader's own language."""
        return self.translation.language == self.reader_language

    @property
    def reader_translation(self) -> ArticleTranslation | None:
        """The translation in the reader's language, when the page is in another one."""
        if self.in_reader_language:
            return None
        return self.alternates.get(self.reader_language)

    @property
    def all_translations(self) -> list[ArticleTranslation]:
        """This translation and its alternates, in the order of settings.LANGUAGES."""
        every = {**self.alternates, self.translation.language: self.translation}
        return [every[code] for code in self.codes if code in every]


def related_articles(
    user: Viewer | None, article: Article, tags: list[ArticleTag], language: str
) -> list[ArticleLink]:
    """Up to five readable articles sharing tags (most first) or the category (two queries)."""
    tag_ids = [tag.pk for tag in tags]
    candidates = (
        readable_articles(user)
        .exclude(pk=article.pk)
        .filter(Q(category_id=article.category_id) | Q(tags__in=tag_ids))
        .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
        .order_by("-shared", "-created_at", "-pk")
        .distinct()[:RELATED_LIMIT]
    )
    articles = list(candidates)
    chosen = translations_for(user, (a.pk for a in articles), language)
    return [
        ArticleLink(a, chosen[a.pk], chosen[a.pk].language == language)
        for a in articles
        if a.pk in chosen
    ]


def article_page_data(
    user: Viewer | None, translation: ArticleTranslation, *, language: str | None = None
) -> ArticlePage:
    """The rest of the article page for a translation the reader may read (access_translation)."""
    language = reader_language(language)
    article = translation.article
    alternates = {
        t.language: t
        for t in visible_translations(user, drafts=not translation.is_published)
        .filter(article=article)
        .exclude(pk=translation.pk)
        .only("pk", "article_id", "language", "slug", "title", "status")
    }
    tags = list(article.tags.all())
    feedback = None
    if user is not None and user.is_authenticated:
        feedback = ArticleFeedback.objects.filter(translation=translation, user=user).first()
    return ArticlePage(
        translation=translation,
        reader_language=language,
        alternates=alternates,
        tags=tags,
        related=related_articles(user, article, tags, language),
        my_feedback=feedback,
        codes=[code for code, _name in settings.LANGUAGES],
    )


def category_articles(user: Viewer | None, category: Category, language: str) -> QuerySet[Article]:
    """The category's readable articles, by their title in the reader's language (paginate it)."""
    titles = visible_translations(user).filter(article=OuterRef("pk"))
    own = Subquery(titles.filter(language=language).values("title")[:1])
    english = Subquery(titles.filter(language=FALLBACK_LANGUAGE).values("title")[:1])
    any_title = Subquery(titles.order_by("language").values("title")[:1])
    return (
        readable_articles(user)
        .filter(category=category)
        .annotate(sort_title=Lower(Coalesce(own, english, any_title)))
        .order_by("sort_title", "pk")
    )


def article_links(
    user: Viewer | None, articles: Iterable[Article], language: str
) -> list[ArticleLink]:
    """Articles (a page of them) with their translation in the reader's language (one query)."""
    articles = list(articles)
    chosen = translations_for(user, (a.pk for a in articles), language)
    return [
        ArticleLink(a, chosen[a.pk], chosen[a.pk].language == language)
        for a in articles
        if a.pk in chosen
    ]
