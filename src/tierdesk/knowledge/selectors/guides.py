"""What the guide pages show: the guides a reader may see, a guide's table of contents in the
reader's language with the chapters they have read, and one chapter with its neighbours.

Every read starts from selectors.access (`visible_guides`, `visible_chapters`): a chapter whose
article the reader may not see is not in their guide at all, so numbering, previous/next and
"n of m read" are counted over what they may read. The numbers of queries do not grow with the
number of guides or chapters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from tierdesk.accounts.models import User, Viewer

from ..models import ArticleTranslation, ChapterRead, Guide, GuideChapter
from .access import readable_articles, visible_chapters, visible_guides, visible_translations
from .articles import pick_translation, translations_for


def _member(user: Viewer | None) -> User | None:
    """The reader when a chapter read can be kept for them (signed in, active); else None."""
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def _signed_in(user: Viewer | None) -> bool:
    return _member(user) is not None


def _count(queryset: QuerySet[GuideChapter]) -> Coalesce:
    """A subquery counting rows per guide (OuterRef('pk')), 0 when there are none."""
    counted = queryset.order_by().values("guide").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def guide_list(user: Viewer | None) -> QuerySet[Guide]:
    """The guides the reader may see that hold a chapter they may read, in order (one query).

    Each carries `chapter_count` (the chapters they may read) and `read_count` (of those, the
    ones they have read; 0 for visitors).
    """
    readable = GuideChapter.objects.filter(
        guide=OuterRef("pk"), article__in=readable_articles(user)
    )
    queryset = visible_guides(user).annotate(chapter_count=_count(readable))
    member = _member(user)
    if member is not None:
        read = readable.filter(reads__user=member)
        queryset = queryset.annotate(read_count=_count(read))
    else:
        queryset = queryset.annotate(read_count=Value(0, output_field=IntegerField()))
    return queryset.filter(chapter_count__gt=0).order_by("position", "slug")


@dataclass(frozen=True)
class ChapterEntry:
    """A chapter as the reader sees it: its number among the chapters they may read."""

    number: int
    chapter: GuideChapter
    translation: ArticleTranslation
    read: bool

    @property
    def title(self) -> str:
        """The chapter's own title in the reader's language, else its article's."""
        return self.chapter.title_override or self.translation.title

    @property
    def slug(self) -> str:
        """The chapter's address within the guide: its article's slug in the shown language."""
        return self.translation.slug


@dataclass
class GuideContents:
    """A guide's table of contents for one reader."""

    guide: Guide
    entries: list[ChapterEntry]
    signed_in: bool

    @property
    def read_count(self) -> int:
        """How many of the chapters shown the reader has read."""
        return sum(entry.read for entry in self.entries)

    @property
    def total(self) -> int:
        """How many chapters the reader may read."""
        return len(self.entries)

    @property
    def first_unread(self) -> ChapterEntry | None:
        """Where to continue: the first chapter not read yet (the first for visitors)."""
        for entry in self.entries:
            if not entry.read:
                return entry
        return self.entries[0] if self.entries else None


def chapters_read(user: Viewer | None, chapter_ids: Iterable[int]) -> set[int]:
    """The ids among these chapters the user has read (no query for visitors)."""
    ids = list(chapter_ids)
    member = _member(user)
    if member is None or not ids:
        return set()
    return set(
        ChapterRead.objects.filter(user=member, chapter_id__in=ids).values_list(
            "chapter_id", flat=True
        )
    )


def guide_contents(user: Viewer | None, guide: Guide, language: str) -> GuideContents:
    """The guide's chapters the reader may read, titled in their language (three queries)."""
    chapters = list(visible_chapters(user, guide))
    chosen = translations_for(user, (c.article_id for c in chapters), language)
    read = chapters_read(user, (c.pk for c in chapters))
    entries: list[ChapterEntry] = []
    for chapter in chapters:
        translation = chosen.get(chapter.article_id)
        if translation is None:  # unpublished between the two queries
            continue
        entry = ChapterEntry(len(entries) + 1, chapter, translation, chapter.pk in read)
        entries.append(entry)
    return GuideContents(guide=guide, entries=entries, signed_in=_signed_in(user))


@dataclass
class ChapterPage:
    """One chapter of a guide: its article in the reader's language, and its neighbours."""

    contents: GuideContents
    entry: ChapterEntry
    # The translation shown, with its body (the entries carry titles only).
    translation: ArticleTranslation

    @property
    def previous(self) -> ChapterEntry | None:
        """The chapter before, among those the reader may read."""
        index = self.entry.number - 1
        return self.contents.entries[index - 1] if index > 0 else None

    @property
    def next(self) -> ChapterEntry | None:
        """The chapter after, among those the reader may read."""
        index = self.entry.number - 1
        entries = self.contents.entries
        return entries[index + 1] if index + 1 < len(entries) else None


def find_chapter(
    user: Viewer | None, contents: GuideContents, slug: str, language: str
) -> ChapterEntry:
    """The entry at /help/guides/<guide>/<slug>/; Http404 when the reader has no such chapter.

    The slug is the shown translation's; a slug of the article in another language finds the
    chapter too (the view redirects to the reader's address), the reader's language first.
    """
    for entry in contents.entries:
        if entry.slug == slug:
            return entry
    # Another language's slug: one query over the readable translations of these articles.
    articles = {entry.chapter.article_id: entry for entry in contents.entries}
    matches = visible_translations(user).filter(article_id__in=articles, slug=slug)
    found = pick_translation(matches.only("pk", "article_id", "language", "slug"), language)
    if found is None:
        raise Http404("No such chapter.")
    return articles[found.article_id]


def chapter_page(
    user: Viewer | None, guide: Guide, slug: str, language: str
) -> tuple[ChapterPage, bool]:
    """The chapter at `slug` and whether `slug` is its canonical address; Http404 if unseen."""
    contents = guide_contents(user, guide, language)
    entry = find_chapter(user, contents, slug, language)
    translation = visible_translations(user).select_related("article").get(pk=entry.translation.pk)
    return ChapterPage(contents=contents, entry=entry, translation=translation), (
        entry.slug == slug
    )
