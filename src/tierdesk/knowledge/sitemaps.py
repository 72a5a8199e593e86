"""sitemap.xml: the help center's PUBLIC published pages, and only those.

Every list starts from the one rule as a visitor reads it (selectors.access with no user), so
a signed-in, paid or agents-only article, guide or video can never appear here, nor a draft.
Articles and guide chapters are listed once per language, each with `xhtml:link` hreflang
alternates to its other languages (English as x-default), as Google's sitemaps expect.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models.localizing import FALLBACK_LANGUAGE
from .selectors.access import visible_categories, visible_translations, visible_videos
from .selectors.help_home import readable_guides
from .views.common import routed

# The visitor: what search engines may index is what everyone may read.
VISITOR = None


@dataclass(frozen=True)
class Entry:
    """One address of the sitemap, with its other languages (code -> path)."""

    path: str
    lastmod: datetime | None = None
    alternates: dict[str, str] = field(default_factory=dict)


class EntrySitemap(Sitemap[Entry]):
    """A sitemap of Entry items; adds each entry's hreflang alternates to its <url>."""

    def entries(self) -> list[Entry]:
        raise NotImplementedError

    def items(self) -> list[Entry]:
        return self.entries()

    def location(self, item: Entry) -> str:
        return item.path

    def lastmod(self, item: Entry) -> datetime | None:
        return item.lastmod

    def get_urls(
        self, page: int | str = 1, site: Any = None, protocol: str | None = None
    ) -> list[dict[str, Any]]:
        urls: list[dict[str, Any]] = super().get_urls(page, site, protocol)
        for info in urls:
            entry: Entry = info["item"]
            if len(entry.alternates) < 2:
                continue
            base = info["location"][: -len(entry.path)]
            links = [
                {"location": f"{base}{path}", "lang_code": code}
                for code, path in sorted(entry.alternates.items())
            ]
            if FALLBACK_LANGUAGE in entry.alternates:
                location = f"{base}{entry.alternates[FALLBACK_LANGUAGE]}"
                links.append({"location": location, "lang_code": "x-default"})
            info["alternates"] = links
        return urls


class ArticleSitemap(EntrySitemap):
    """Every public published translation, with its article's other published languages."""

    def entries(self) -> list[Entry]:
        rows = list(
            visible_translations(VISITOR)
            .order_by("article_id", "language")
            .values_list("article_id", "language", "slug", "updated_at")
        )
        paths: dict[int, dict[str, str]] = defaultdict(dict)
        for article_id, language, slug, _updated in rows:
            paths[article_id][language] = reverse("knowledge:article", args=[language, slug])
        return [
            Entry(paths[article_id][language], updated, paths[article_id])
            for article_id, language, _slug, updated in rows
        ]


class CategorySitemap(EntrySitemap):
    """The categories a visitor sees (those holding a public published article)."""

    def entries(self) -> list[Entry]:
        slugs = visible_categories(VISITOR).values_list("slug", flat=True)
        return [Entry(reverse("knowledge:category", args=[slug])) for slug in slugs]


class GuideSitemap(EntrySitemap):
    """The public guides that hold a chapter a visitor may read.

    Their chapters are not listed: a chapter's page names its article's page as canonical (and
    redirects to the reader's language), and that article is listed, with its languages.
    """

    def entries(self) -> list[Entry]:
        if not routed("knowledge:guide", "x"):
            return []
        slugs = readable_guides(VISITOR).values_list("slug", flat=True)
        return [Entry(reverse("knowledge:guide", args=[slug])) for slug in slugs]


class VideoSitemap(EntrySitemap):
    """The public published videos."""

    def entries(self) -> list[Entry]:
        if not routed("knowledge:video", "x"):
            return []
        videos = visible_videos(VISITOR).order_by("-created_at", "pk")
        return [
            Entry(reverse("knowledge:video", args=[slug]), created)
            for slug, created in videos.values_list("slug", "created_at")
        ]


class HomeSitemap(EntrySitemap):
    """The help center's home."""

    def entries(self) -> list[Entry]:
        return [Entry(reverse("knowledge:index"))]


SITEMAPS: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {
    "home": HomeSitemap,
    "categories": CategorySitemap,
    "articles": ArticleSitemap,
    "guides": GuideSitemap,
    "videos": VideoSitemap,
}
