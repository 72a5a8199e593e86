"""Writing the help center's structure: categories, tags, an article's settings, a translation's
state, guides with their chapters, and videos with their files.

Each function takes the complete wanted state, compares it with the stored one and writes only
what differs, answering whether anything changed: the importer (services.kb_import) calls them
for every file and an unchanged file must write nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from tierdesk.accounts.models import User

from ..choices import TranslationStatus, Visibility
from ..models import (
    Article,
    ArticleTag,
    ArticleTranslation,
    ArticleVersion,
    Category,
    Guide,
    GuideChapter,
    SearchKind,
    Video,
    VideoChapter,
)
from ..models.articles import MAX_SUMMARY, MAX_TITLE
from .articles import MAX_BODY, SLUG_LENGTH
from .authoring import author_check
from .search import search_index_remove, search_index_remove_many, search_index_update


def _assign(obj: Model, values: dict[str, Any]) -> bool:
    """Set the fields that differ; whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def category_save(
    *, slug: str, values: dict[str, Any], actor: User | None = None
) -> tuple[Category, bool | None]:
    """Create or update the category `slug` (names, descriptions, position, icon).

    Answers the category and True (changed), False (left alone) or None (created).
    """
    author_check(actor)
    with transaction.atomic():
        category = Category.objects.select_for_update().filter(slug=slug).first()
        if category is None:
            category = Category(slug=slug, **values)
            category.full_clean()
            category.save()
            return category, None
        if not _assign(category, values):
            return category, False
        category.full_clean()
        category.save()
        return category, True


def tag_save(*, slug: str, name: str, actor: User | None = None) -> tuple[ArticleTag, bool | None]:
    """Create or rename the tag `slug`: True changed, False left alone, None created."""
    author_check(actor)
    tag = ArticleTag.objects.filter(slug=slug).first()
    if tag is None:
        tag = ArticleTag(slug=slug, name=name or slug)
        tag.full_clean()
        tag.save()
        return tag, None
    if not name or tag.name == name:
        return tag, False
    tag.name = name
    tag.full_clean()
    tag.save(update_fields=["name"])
    return tag, True


def article_settings_set(
    *,
    article: Article,
    category: Category,
    visibility: str,
    tags: Iterable[ArticleTag],
    owner: User | None,
    review_interval_days: int,
    last_reviewed_at: datetime | None,
    actor: User | None = None,
    current_tag_ids: set[int] | None = None,
) -> bool:
    """Make an article's category, visibility, tags, owner and review schedule these.

    `current_tag_ids` lets a caller that already knows the article's tags save a query.
    """
    author_check(actor)
    wanted_tags = {tag.pk: tag for tag in tags}
    with transaction.atomic():
        changed = _assign(
            article,
            {
                "category_id": category.pk,
                "visibility": visibility,
                "owner_id": owner.pk if owner is not None else None,
                "review_interval_days": review_interval_days,
                "last_reviewed_at": last_reviewed_at,
            },
        )
        if changed:
            article.full_clean(exclude=["category", "owner"])
            article.save()
        if current_tag_ids is None:
            current_tag_ids = set(article.tags.values_list("pk", flat=True))
        if current_tag_ids != set(wanted_tags):
            article.tags.set(list(wanted_tags.values()))
            changed = True
        if changed:
            search_index_update(article=article)
    return changed


def translation_state_set(
    *,
    translation: ArticleTranslation,
    status: str,
    published_at: datetime | None,
    actor: User | None = None,
) -> bool:
    """Make a translation a draft or published, with this first-publication date.

    `published_at` None keeps the stored date (and publishing without one takes now).
    """
    author_check(actor)
    published_at = published_at or translation.published_at
    if status == TranslationStatus.PUBLISHED and published_at is None:
        published_at = timezone.now()
    values = {"status": status, "published_at": published_at}
    if not _assign(translation, values):
        return False
    with transaction.atomic():
        translation.save(update_fields=list(values))
        search_index_update(translation=translation)
    return True


@dataclass(frozen=True)
class ChapterSpec:
    """A guide's chapter as wanted: its article, and titles of its own (empty: the article's)."""

    article: Article
    title_en: str = ""
    title_it: str = ""


def guide_save(
    *,
    slug: str,
    values: dict[str, Any],
    chapters: Sequence[ChapterSpec],
    actor: User | None = None,
) -> tuple[Guide, bool | None]:
    """Create or update the guide `slug` and make its chapters these, in this order.

    A chapter whose article stays is updated in place, so readers keep their "read" marks.
    Answers True (changed), False (left alone) or None (created).
    """
    author_check(actor)
    with transaction.atomic():
        guide = Guide.objects.select_for_update().filter(slug=slug).first()
        created = guide is None
        if guide is None:
            guide = Guide(slug=slug, **values)
            changed = True
        else:
            changed = _assign(guide, values)
        if changed:
            guide.full_clean()
            guide.save()
        existing = {chapter.article_id: chapter for chapter in guide.chapters.all()}
        wanted_ids = {spec.article.pk for spec in chapters}
        gone = [pk for article_id, pk in _pks(existing) if article_id not in wanted_ids]
        if gone:
            GuideChapter.objects.filter(pk__in=gone).delete()
            changed = True
        for position, spec in enumerate(chapters, start=1):
            fields = {"position": position, "title_en": spec.title_en, "title_it": spec.title_it}
            chapter = existing.get(spec.article.pk)
            if chapter is None:
                GuideChapter.objects.create(guide=guide, article=spec.article, **fields)
                changed = True
            elif _assign(chapter, fields):
                chapter.save(update_fields=list(fields))
                changed = True
        if changed:
            search_index_update(guide=guide)
    return guide, (None if created else changed)


def _pks(chapters: dict[int, GuideChapter]) -> list[tuple[int, int]]:
    return [(article_id, chapter.pk) for article_id, chapter in chapters.items()]


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def stored_digest(field: Any) -> str | None:
    """The SHA-256 of a stored FileField's bytes (None when empty or missing)."""
    if not field:
        return None
    digest = hashlib.sha256()
    try:
        with field.storage.open(field.name, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _file_set(video: Video, name: str, source: Path | None) -> bool:
    """Make the video's FileField `name` hold the bytes of `source` (None: no file)."""
    field = getattr(video, name)
    if source is None:
        if not field:
            return False
        field.delete(save=False)
        return True
    if (
        field
        and Path(field.name).name == source.name
        and stored_digest(field) == file_digest(source)
    ):
        return False
    # Stored under the video's slug, so two videos' "video.webm" never collide. A file with the
    # same name and bytes already there (left by an earlier import, or shared by another
    # database on the same storage, as the tests' are) is used as it is, never rewritten.
    name = field.field.generate_filename(video, f"{video.slug}/{source.name}")
    if field.storage.exists(name) and stored_digest(_Stored(field.storage, name)) == (
        file_digest(source)
    ):
        field.name = name
        return True
    if field:
        field.delete(save=False)
    with source.open("rb") as handle:
        field.save(f"{video.slug}/{source.name}", File(handle), save=False)
    return True


@dataclass(frozen=True)
class _Stored:
    """A stored file by name, shaped like a FieldFile for stored_digest."""

    storage: Any
    name: str

    def __bool__(self) -> bool:
        return bool(self.name)


def video_save(
    *,
    slug: str,
    values: dict[str, Any],
    chapters: Sequence[tuple[int, str]],
    file: Path | None,
    poster: Path | None,
    actor: User | None = None,
) -> tuple[Video, bool | None]:
    """Create or update the video `slug`: its fields, chapters (start, title) and media files.

    The transcript is set separately (services.videos.video_transcript_set). Answers True
    (changed), False (left alone) or None (created).
    """
    author_check(actor)
    with transaction.atomic():
        video = Video.objects.select_for_update().filter(slug=slug).first()
        created = video is None
        if video is None:
            video = Video(slug=slug, **values)
            changed = True
        else:
            changed = _assign(video, values)
        changed = _file_set(video, "file", file) or changed
        changed = _file_set(video, "poster", poster) or changed
        if changed:
            video.full_clean()
            video.save()
        stored = list(
            video.chapters.order_by("start_seconds").values_list("start_seconds", "title")
        )
        wanted = sorted(chapters)
        if stored != wanted:
            VideoChapter.objects.filter(video=video).delete()
            VideoChapter.objects.bulk_create(
                VideoChapter(video=video, start_seconds=start, title=title)
                for start, title in wanted
            )
            changed = True
        if changed:
            search_index_update(video=video)
    return video, (None if created else changed)


@dataclass(frozen=True)
class NewTranslation:
    """One language of an article to create in bulk."""

    language: str
    slug: str
    title: str
    body: str
    summary: str = ""
    status: str = TranslationStatus.DRAFT
    published_at: datetime | None = None
    # Its version 1's note; empty: the article's note.
    note: str = ""


@dataclass(frozen=True)
class NewArticle:
    """An article to create in bulk, with its translations (the first is its original)."""

    category: Category
    translations: Sequence[NewTranslation]
    visibility: str
    tags: Sequence[ArticleTag] = ()
    owner: User | None = None
    review_interval_days: int = 180
    last_reviewed_at: datetime | None = None
    note: str = ""


def _new_translation_check(item: NewTranslation) -> None:
    """What full_clean would refuse, checked without a query (uniqueness: the caller's)."""
    problems = {}
    if item.language not in {code for code, _name in settings.LANGUAGES}:
        problems["language"] = f"unknown language {item.language!r}"
    if not item.title or len(item.title) > MAX_TITLE:
        problems["title"] = f"a title of 1 to {MAX_TITLE} characters"
    if len(item.summary) > MAX_SUMMARY:
        problems["summary"] = f"at most {MAX_SUMMARY} characters"
    if len(item.body) > MAX_BODY:
        problems["body"] = f"at most {MAX_BODY} characters"
    if not item.slug or len(item.slug) > SLUG_LENGTH:
        problems["slug"] = f"a slug of 1 to {SLUG_LENGTH} characters"
    if item.status not in TranslationStatus.values:
        problems["status"] = f"unknown status {item.status!r}"
    if problems:
        raise ValidationError(problems)


def articles_bulk_create(
    *, items: Sequence[NewArticle], actor: User | None = None
) -> list[tuple[Article, list[ArticleTranslation]]]:
    """Create many articles at once: the same rows as article_create and translation_save
    (the article, each translation, its version 1, its publication), in a few multi-row INSERTs.

    For large imports (services.kb_import), where one article at a time would take a dozen
    queries each. The caller has checked that no slug is taken (the database's unique
    constraints still hold: a clash raises IntegrityError and the whole call rolls back).
    """
    author_check(actor)
    now = timezone.now()
    for item in items:
        if item.visibility not in Visibility.values:
            raise ValidationError({"visibility": f"unknown visibility {item.visibility!r}"})
        if item.review_interval_days < 1:
            raise ValidationError({"review_interval_days": "at least 1"})
        for translation in item.translations:
            _new_translation_check(translation)
    with transaction.atomic():
        articles = Article.objects.bulk_create(
            Article(
                category=item.category,
                visibility=item.visibility,
                owner=item.owner if item.owner is not None else actor,
                review_interval_days=item.review_interval_days,
                last_reviewed_at=item.last_reviewed_at,
                created_at=now,
            )
            for item in items
        )
        Article.tags.through.objects.bulk_create(
            Article.tags.through(article_id=article.pk, articletag_id=tag.pk)
            for article, item in zip(articles, items, strict=True)
            for tag in item.tags
        )
        rows = ArticleTranslation.objects.bulk_create(
            ArticleTranslation(
                article=article,
                language=t.language,
                slug=t.slug,
                title=t.title,
                summary=t.summary,
                body=t.body,
                status=t.status,
                published_at=(
                    (t.published_at or now) if t.status == TranslationStatus.PUBLISHED else None
                ),
                updated_at=now,
            )
            for article, item in zip(articles, items, strict=True)
            for t in item.translations
        )
        notes = [t.note or item.note for item in items for t in item.translations]
        ArticleVersion.objects.bulk_create(
            ArticleVersion(
                translation=row,
                number=1,
                title=row.title,
                body=row.body,
                author=actor,
                note=note[:200],
                created_at=now,
            )
            for row, note in zip(rows, notes, strict=True)
        )
        search_index_update(translations=rows)
    result = []
    rows_iter = iter(rows)
    for article, item in zip(articles, items, strict=True):
        result.append((article, [next(rows_iter) for _t in item.translations]))
    return result


# --- deleting (the admin's delete and bulk delete) ---------------------------------------------
#
# A delete takes its search entries with it in the same transaction. (An article that is a
# guide's chapter cannot be deleted: the chapter protects it.)


def article_delete(*, article: Article, actor: User | None = None) -> None:
    """Delete an article with its translations, and forget them in the search index."""
    author_check(actor)
    with transaction.atomic():
        translation_ids = list(article.translations.values_list("pk", flat=True))
        article.delete()
        search_index_remove_many(kind=SearchKind.ARTICLE, object_ids=translation_ids)


def translation_delete(*, translation: ArticleTranslation, actor: User | None = None) -> None:
    """Delete one translation of an article, and forget it in the search index."""
    author_check(actor)
    with transaction.atomic():
        pk = translation.pk
        translation.delete()
        search_index_remove(kind=SearchKind.ARTICLE, object_id=pk)


def guide_delete(*, guide: Guide, actor: User | None = None) -> None:
    """Delete a guide with its chapters, and forget it in the search index."""
    author_check(actor)
    with transaction.atomic():
        pk = guide.pk
        guide.delete()
        search_index_remove(kind=SearchKind.GUIDE, object_id=pk)


def video_delete(*, video: Video, actor: User | None = None) -> None:
    """Delete a video with its chapters and transcript, and forget it and its passages."""
    author_check(actor)
    with transaction.atomic():
        pk = video.pk
        video.delete()
        search_index_remove(kind=SearchKind.VIDEO, object_id=pk)
