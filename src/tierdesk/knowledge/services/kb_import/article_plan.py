"""Checking an article's translation files together against what is stored (no article writes)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from tierdesk.accounts.models import User

from ...choices import Visibility
from ...models import Article, ArticleTag, ArticleTranslation, Category
from ...models.articles import DEFAULT_REVIEW_INTERVAL_DAYS
from ..catalogue import tag_save
from .import_files import ArticleFile
from .import_report import ImportReport


class ArticleState:
    """The state an article import compares against, read once in a few queries."""

    def __init__(self) -> None:
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.tags = {t.slug: t for t in ArticleTag.objects.all()}
        self.by_slug: dict[tuple[str, str], ArticleTranslation] = {}
        self.by_article: dict[int, dict[str, ArticleTranslation]] = defaultdict(dict)
        for translation in ArticleTranslation.objects.select_related("article"):
            self.by_slug[(translation.language, translation.slug)] = translation
            self.by_article[translation.article_id][translation.language] = translation
        self.tag_ids: dict[int, set[int]] = defaultdict(set)
        through = Article.tags.through.objects.values_list("article_id", "articletag_id")
        for article_id, tag_id in through:
            self.tag_ids[article_id].add(tag_id)

    def remember(self, translation: ArticleTranslation) -> None:
        self.by_slug[(translation.language, translation.slug)] = translation
        self.by_article[translation.article_id][translation.language] = translation


def _settings_of(
    files: list[ArticleFile], report: ImportReport
) -> tuple[list[ArticleFile], dict[str, Any]]:
    """The article's settings the files agree on; a file that contradicts the first fails."""
    merged: dict[str, Any] = {}
    source: dict[str, str] = {}
    kept = []
    for file in files:
        clash = next(
            (
                name
                for name, value in file.settings.items()
                if name in merged and merged[name] != value
            ),
            None,
        )
        if clash is not None:
            message = _("%(field)s differs from %(file)s")
            report.fail(file.rel, message % {"field": clash, "file": source[clash]})
            continue
        for name, value in file.settings.items():
            merged.setdefault(name, value)
            source.setdefault(name, file.rel)
        kept.append(file)
    return kept, merged


@dataclass
class PreparedArticle:
    """An article's files, checked, with the settings they agree on resolved to rows."""

    key: str
    files: list[ArticleFile]
    category: Category
    tags: list[ArticleTag]
    owner: User | None
    visibility: str
    interval: int
    last_reviewed: datetime | None
    article: Article | None


def article_prepare(
    key: str,
    files: list[ArticleFile],
    state: ArticleState,
    owners: dict[str, User],
    report: ImportReport,
    actor: User | None,
) -> PreparedArticle | None:
    """Check an article's files together and find the stored article they are (or None)."""
    files = sorted(files, key=lambda f: (f.language != "en", f.language))
    files, merged = _settings_of(files, report)
    if not files:
        return None
    category = state.categories.get(files[0].folder)
    if category is None:
        for file in files:
            message = _("unknown category %(slug)r (not in categories.yaml)")
            report.fail(file.rel, message % {"slug": file.folder})
        return None
    found = {
        state.by_slug[(f.language, f.slug)].article_id
        for f in files
        if (f.language, f.slug) in state.by_slug
    }
    if len(found) > 1:
        for file in files:
            report.fail(file.rel, _("its translations' slugs belong to different articles"))
        return None
    article = None
    if found:
        (article_id,) = found
        article = next(iter(state.by_article[article_id].values())).article
    tags = []
    for slug in merged.get("tags", ()):
        tag = state.tags.get(slug)
        if tag is None:
            tag, _created = tag_save(slug=slug, name=slug, actor=actor)
            state.tags[slug] = tag
        tags.append(tag)
    return PreparedArticle(
        key=key,
        files=files,
        category=category,
        tags=tags,
        owner=owners.get(merged.get("owner") or ""),
        visibility=merged.get("visibility", Visibility.PUBLIC),
        interval=merged.get("review_interval_days", DEFAULT_REVIEW_INTERVAL_DAYS),
        last_reviewed=merged.get("last_reviewed"),
        article=article,
    )
