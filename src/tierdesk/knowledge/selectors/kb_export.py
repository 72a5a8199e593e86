"""The whole help center as files (`tierdesk kb export DIR`): the format is in knowledge.kbfiles.

An operator's export: every category, tag, article translation (drafts and agents-only
included), guide and video, whatever its visibility. It reads everything in a fixed number of
queries and writes a canonical form, so exporting the same database twice gives the same bytes.
Readers' counters (views, feedback) and the version history are not content and stay out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models.fields.files import FieldFile

from .. import kbfiles
from ..models import Article, ArticleTag, ArticleTranslation, Category, Guide, Video


@dataclass(frozen=True)
class ExportFile:
    """One file of the export: a text, or a stored media file to copy."""

    path: str
    text: str | None = None
    source: FieldFile | None = None


def article_key(translations: list[ArticleTranslation]) -> str:
    """The name an article's files share: its English slug, else its first language's."""
    by_language = {t.language: t for t in translations}
    first = by_language.get("en") or sorted(translations, key=lambda t: t.language)[0]
    return first.slug


def categories_document() -> str:
    """categories.yaml: the categories in order, with their names per language."""
    rows = []
    for category in Category.objects.order_by("position", "slug"):
        row: dict[str, Any] = {
            "slug": category.slug,
            "name": kbfiles.dump_localized({"en": category.name_en, "it": category.name_it}),
        }
        description = kbfiles.dump_localized(
            {"en": category.description_en, "it": category.description_it}
        )
        if description:
            row["description"] = description
        if category.icon:
            row["icon"] = category.icon
        row["position"] = category.position
        rows.append(row)
    return kbfiles.yaml_dump(rows)


def tags_document() -> str:
    """tags.yaml: every article tag, by slug."""
    return kbfiles.yaml_dump([{"slug": t.slug, "name": t.name} for t in ArticleTag.objects.all()])


def article_documents() -> Iterator[ExportFile]:
    """One markdown file per article translation, grouped in its category's folder."""
    articles = {
        article.pk: article
        for article in Article.objects.select_related("category", "owner").order_by("pk")
    }
    tags: dict[int, list[str]] = defaultdict(list)
    through = Article.tags.through.objects.values_list("article_id", "articletag__slug")
    for article_id, slug in through.order_by("articletag__slug"):
        tags[article_id].append(slug)
    translations: dict[int, list[ArticleTranslation]] = defaultdict(list)
    for translation in ArticleTranslation.objects.order_by("article_id", "language"):
        translations[translation.article_id].append(translation)
    keys = _unique_keys(translations)
    for article_id, rows in translations.items():
        article = articles[article_id]
        key = keys[article_id]
        for translation in rows:
            meta: dict[str, Any] = {
                "title": translation.title,
                "slug": translation.slug,
            }
            if translation.summary:
                meta["summary"] = translation.summary
            meta["status"] = translation.status
            if translation.published_at is not None:
                meta["published"] = kbfiles.dump_datetime(translation.published_at)
            meta["visibility"] = article.visibility
            if tags[article_id]:
                meta["tags"] = tags[article_id]
            if article.owner is not None:
                meta["owner"] = article.owner.email
            if article.last_reviewed_at is not None:
                meta["last_reviewed"] = kbfiles.dump_datetime(article.last_reviewed_at)
            meta["review_interval_days"] = article.review_interval_days
            path = f"{kbfiles.ARTICLES_DIR}/{article.category.slug}/{key}.{translation.language}.md"
            yield ExportFile(path, text=kbfiles.render_document(meta, translation.body))


def article_keys() -> dict[int, str]:
    """Each article's key, by id (what guides name their chapters by)."""
    translations: dict[int, list[ArticleTranslation]] = defaultdict(list)
    rows = ArticleTranslation.objects.only("article_id", "language", "slug")
    for translation in rows.order_by("article_id", "language"):
        translations[translation.article_id].append(translation)
    return _unique_keys(translations)


def _unique_keys(translations: dict[int, list[ArticleTranslation]]) -> dict[int, str]:
    """Each article's key; an article without English whose slug is another's English slug
    gets its id appended, so two articles never share a file name."""
    keys: dict[int, str] = {}
    taken: set[str] = set()
    ordered = sorted(translations.items(), key=lambda item: (not _has_english(item[1]), item[0]))
    for article_id, rows in ordered:
        key = article_key(rows)
        if key in taken:
            key = f"{key}-{article_id}"
        taken.add(key)
        keys[article_id] = key
    return keys


def _has_english(rows: list[ArticleTranslation]) -> bool:
    return any(row.language == "en" for row in rows)


def guide_documents(keys: dict[int, str]) -> Iterator[ExportFile]:
    """guides/<slug>.md: title and summary per language, visibility, the chapters in order."""
    for guide in Guide.objects.prefetch_related("chapters").order_by("position", "slug"):
        meta: dict[str, Any] = {
            "title": kbfiles.dump_localized({"en": guide.title_en, "it": guide.title_it}),
        }
        summary = kbfiles.dump_localized({"en": guide.summary_en, "it": guide.summary_it})
        if summary:
            meta["summary"] = summary
        meta["visibility"] = guide.visibility
        meta["position"] = guide.position
        chapters = []
        for chapter in sorted(guide.chapters.all(), key=lambda c: (c.position, c.pk)):
            row: dict[str, Any] = {"article": keys.get(chapter.article_id, "")}
            title = kbfiles.dump_localized({"en": chapter.title_en, "it": chapter.title_it})
            if title:
                row["title"] = title
            chapters.append(row)
        meta["chapters"] = chapters
        yield ExportFile(
            f"{kbfiles.GUIDES_DIR}/{guide.slug}.md", text=kbfiles.render_document(meta, "")
        )


def video_documents() -> Iterator[ExportFile]:
    """videos/<slug>/video.md, its video and poster files, and transcript.vtt."""
    for video in Video.objects.prefetch_related("chapters").order_by("slug"):
        folder = f"{kbfiles.VIDEOS_DIR}/{video.slug}"
        meta: dict[str, Any] = {
            "slug": video.slug,
            "language": video.language,
            "title": video.title,
            "visibility": video.visibility,
            "published": video.published,
            "duration_seconds": video.duration_seconds,
        }
        if video.file:
            meta["file"] = Path(video.file.name).name
            yield ExportFile(f"{folder}/{meta['file']}", source=video.file)
        if video.external_url:
            meta["external_url"] = video.external_url
        if video.poster:
            meta["poster"] = Path(video.poster.name).name
            yield ExportFile(f"{folder}/{meta['poster']}", source=video.poster)
        if video.transcript_vtt:
            meta["transcript"] = "transcript.vtt"
            yield ExportFile(f"{folder}/transcript.vtt", text=video.transcript_vtt)
        chapters = sorted(video.chapters.all(), key=lambda c: c.start_seconds)
        if chapters:
            meta["chapters"] = [{"start": c.start_seconds, "title": c.title} for c in chapters]
        yield ExportFile(
            f"{folder}/{kbfiles.VIDEO_FILE}", text=kbfiles.render_document(meta, video.description)
        )


def kb_export_files() -> Iterator[ExportFile]:
    """Every file of the export, in a fixed order."""
    yield ExportFile(kbfiles.CATEGORIES_FILE, text=categories_document())
    yield ExportFile(kbfiles.TAGS_FILE, text=tags_document())
    yield from article_documents()
    yield from guide_documents(article_keys())
    yield from video_documents()
