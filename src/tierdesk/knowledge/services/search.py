"""The search index's one write path: the other services call these after each change.

`search_index_update` makes the index say what the rows say now (a published article
translation, a guide, a published video and its transcript are in it; a draft, an unpublished
video are not); `search_index_remove` forgets a thing that is gone; `search_index_rebuild`
writes the whole index again (after an import, or to repair it). The full-text tables follow
the SearchEntry rows by themselves (triggers on SQLite, a generated column on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..choices import TranslationStatus, Visibility
from ..models import (
    Article,
    ArticleTranslation,
    Guide,
    SearchEntry,
    SearchIndexVersion,
    SearchKind,
    TranscriptCue,
    Video,
)
from ..search_text import plain_text, terms
from ..selectors.semantic import semantic_enabled

# A transcript is indexed in passages of consecutive cues: a search opens the video where the
# passage starts, and a word said ten times in a minute is one or two hits, not ten.
PASSAGE_SECONDS = 30
PASSAGE_CHARS = 500
# What is embedded: the title and the text's first EMBED_CHARS characters (the encoder's time
# grows with the text; the beginning says what an article is about). A change of up to
# EMBED_INLINE entries is embedded at once; a larger one (an import, a rebuild) by the task
# knowledge.tasks.search_embeddings_fill, EMBED_BATCH texts per encoder call.
EMBED_CHARS = 300
EMBED_INLINE = 64
EMBED_BATCH = 128


def embedding_text(entry: SearchEntry) -> str:
    """The text an entry's embedding is computed from."""
    return f"{entry.title}. {entry.body[:EMBED_CHARS]}"


def _embed(entries: Sequence[SearchEntry]) -> None:
    """Set the entries' embeddings (512 float16 each), EMBED_BATCH texts per encoder call."""
    from tierdesk.assistant.retrieval.embeddings import encode

    for start in range(0, len(entries), EMBED_BATCH):
        chunk = entries[start : start + EMBED_BATCH]
        vectors = encode([embedding_text(e) for e in chunk]).astype(np.float16)
        for entry, vector in zip(chunk, vectors, strict=True):
            entry.embedding = vector.tobytes()


def _version_bump() -> None:
    """The index changed: every process's semantic matrix is stale."""
    if not SearchIndexVersion.objects.filter(pk=1).update(number=F("number") + 1):
        SearchIndexVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def _embed_later() -> None:
    from ..tasks import search_embeddings_fill

    transaction.on_commit(lambda: search_embeddings_fill.enqueue())


def search_embeddings_fill(*, limit: int | None = None) -> int:
    """Embed the entries that have no embedding yet, EMBED_BATCH at a time; how many.

    Run by the task after a large change; safe to run twice (it takes what is still null).
    """
    if not semantic_enabled():
        return 0
    done = 0
    while limit is None or done < limit:
        size = EMBED_BATCH if limit is None else min(EMBED_BATCH, limit - done)
        batch = list(
            SearchEntry.objects.filter(embedding__isnull=True)
            .only("id", "title", "body")
            .order_by("id")[:size]
        )
        if not batch:
            break
        _embed(batch)
        with transaction.atomic():
            SearchEntry.objects.bulk_update(batch, ["embedding"])
            _version_bump()
        done += len(batch)
    return done


def filter_words(
    *, kind: str, language: str, visibility: str, category_id: int | None = None
) -> str:
    """The words FTS5 filters on inside its index (letters only: unicode61 splits on `_`)."""
    words = [f"kind{kind}", f"lang{language}", "vis" + visibility.replace("_", "")]
    if category_id is not None:
        words.append(f"cat{category_id}")
    return " ".join(words)


def _entry(
    *,
    kind: str,
    object_id: int,
    language: str,
    visibility: str,
    slug: str,
    title: str,
    body: str,
    part: int = 0,
    category_id: int | None = None,
    seek_seconds: int | None = None,
) -> SearchEntry:
    # A transcript passage shows its video's title but is found by its own words only: the
    # title is the video entry's, or every passage would match it.
    title_terms = "" if kind == SearchKind.TRANSCRIPT else terms(title, language)
    return SearchEntry(
        kind=kind,
        object_id=object_id,
        part=part,
        language=language,
        visibility=visibility,
        category_id=category_id,
        slug=slug,
        title=title[:200],
        body=body,
        seek_seconds=seek_seconds,
        title_terms=title_terms,
        body_terms=terms(body, language),
        filters=filter_words(
            kind=kind, language=language, visibility=visibility, category_id=category_id
        ),
        updated_at=timezone.now(),
    )


def _replace(kind: str, object_ids: Iterable[int], entries: list[SearchEntry]) -> None:
    """The entries of these objects become `entries` (rows deleted, then written), with their
    embeddings (at once for a few, by the task for many)."""
    later = False
    if entries and semantic_enabled():
        if len(entries) <= EMBED_INLINE:
            _embed(entries)
        else:
            later = True
    SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()
    SearchEntry.objects.bulk_create(entries)
    _version_bump()
    if later:
        _embed_later()


def _translation_entries(translation: ArticleTranslation, article: Article) -> list[SearchEntry]:
    if translation.status != TranslationStatus.PUBLISHED:
        return []
    summary = translation.summary
    body = plain_text(translation.body)
    return [
        _entry(
            kind=SearchKind.ARTICLE,
            object_id=translation.pk,
            language=translation.language,
            visibility=article.visibility,
            category_id=article.category_id,
            slug=translation.slug,
            title=translation.title,
            body=f"{summary} {body}".strip() if summary and summary not in body else body,
        )
    ]


def _guide_entries(guide: Guide) -> list[SearchEntry]:
    entries = []
    for language, _name in settings.LANGUAGES:
        title = getattr(guide, f"title_{language}", "")
        if not title:
            continue
        chapters = " ".join(
            c for c in guide.chapters.values_list(f"title_{language}", flat=True) if c
        )
        summary = getattr(guide, f"summary_{language}", "")
        entries.append(
            _entry(
                kind=SearchKind.GUIDE,
                object_id=guide.pk,
                language=language,
                visibility=guide.visibility,
                slug=guide.slug,
                title=title,
                body=f"{plain_text(summary)} {chapters}".strip(),
            )
        )
    return entries


@dataclass(frozen=True)
class Passage:
    """Consecutive cues of a transcript, searched as one text."""

    start_seconds: int
    text: str


def transcript_passages(cues: Iterable[TranscriptCue]) -> Iterator[Passage]:
    """The cues grouped into passages of at most PASSAGE_SECONDS and about PASSAGE_CHARS."""
    start: int | None = None
    texts: list[str] = []
    for cue in cues:
        seconds = cue.start_ms // 1000
        too_long = sum(len(t) + 1 for t in texts) + len(cue.text) > PASSAGE_CHARS
        if start is not None and (seconds - start >= PASSAGE_SECONDS or too_long):
            yield Passage(start, " ".join(texts))
            start, texts = None, []
        if start is None:
            start = seconds
        texts.append(cue.text)
    if start is not None:
        yield Passage(start, " ".join(texts))


def _video_entries(video: Video) -> tuple[list[SearchEntry], list[SearchEntry]]:
    if not video.published:
        return [], []
    common: dict[str, Any] = {
        "object_id": video.pk,
        "language": video.language,
        "visibility": video.visibility,
        "slug": video.slug,
        "title": video.title,
    }
    main = [_entry(kind=SearchKind.VIDEO, body=plain_text(video.description), **common)]
    cues = TranscriptCue.objects.filter(video=video).order_by("position")
    passages = [
        _entry(
            kind=SearchKind.TRANSCRIPT,
            part=n,
            body=passage.text,
            seek_seconds=passage.start_seconds,
            **common,
        )
        for n, passage in enumerate(transcript_passages(cues), start=1)
    ]
    return main, passages


def search_index_update(
    *,
    translation: ArticleTranslation | None = None,
    translations: Sequence[ArticleTranslation] = (),
    article: Article | None = None,
    guide: Guide | None = None,
    video: Video | None = None,
) -> None:
    """Make the index say what these rows say now (read again from the database).

    An article translation (or many at once, as a bulk import writes them; or every
    translation of an article, after its visibility or category changed), a guide, or a video
    with its transcript. What readers may not find
    (a draft, an unpublished video) leaves the index.
    """
    with transaction.atomic():
        if translation is not None:
            fresh = (
                ArticleTranslation.objects.select_related("article")
                .filter(pk=translation.pk)
                .first()
            )
            entries = _translation_entries(fresh, fresh.article) if fresh else []
            _replace(SearchKind.ARTICLE, [translation.pk], entries)
        if translations:
            ids = [t.pk for t in translations]
            fresh_rows = ArticleTranslation.objects.select_related("article").filter(pk__in=ids)
            entries = [e for t in fresh_rows for e in _translation_entries(t, t.article)]
            _replace(SearchKind.ARTICLE, ids, entries)
        if article is not None:
            translations = list(ArticleTranslation.objects.filter(article_id=article.pk))
            fresh_article = Article.objects.filter(pk=article.pk).first()
            entries = [
                entry
                for t in translations
                for entry in (_translation_entries(t, fresh_article) if fresh_article else [])
            ]
            _replace(SearchKind.ARTICLE, [t.pk for t in translations], entries)
        if guide is not None:
            fresh_guide = Guide.objects.filter(pk=guide.pk).first()
            _replace(
                SearchKind.GUIDE, [guide.pk], _guide_entries(fresh_guide) if fresh_guide else []
            )
        if video is not None:
            fresh_video = Video.objects.filter(pk=video.pk).first()
            main, passages = _video_entries(fresh_video) if fresh_video else ([], [])
            _replace(SearchKind.VIDEO, [video.pk], main)
            _replace(SearchKind.TRANSCRIPT, [video.pk], passages)


def search_index_remove(*, kind: str, object_id: int) -> None:
    """Forget a thing that is gone (a deleted translation, guide or video with its passages)."""
    kinds: list[str] = (
        [SearchKind.VIDEO, SearchKind.TRANSCRIPT] if kind == SearchKind.VIDEO else [kind]
    )
    SearchEntry.objects.filter(kind__in=kinds, object_id=object_id).delete()
    _version_bump()


def search_index_remove_many(*, kind: str, object_ids: Sequence[int]) -> None:
    """Forget many things of one kind at once (an article's translations)."""
    if object_ids:
        SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()
        _version_bump()


def search_index_put(
    *, kind: str, object_id: int, language: str, slug: str, title: str, body: str, found: bool
) -> None:
    """Index one public thing another app keeps (a community thread), or forget it when it
    is not to be `found`; that app calls this after each change of it."""
    with transaction.atomic():
        entry = _entry(
            kind=kind,
            object_id=object_id,
            language=language,
            visibility=Visibility.PUBLIC,
            slug=slug,
            title=title,
            body=plain_text(body),
        )
        _replace(kind, [object_id], [entry] if found else [])


def search_index_rebuild() -> int:
    """Write the whole index again from the help center's rows; the number of entries.

    Entries other apps keep (community threads) stay as they are.
    """
    with transaction.atomic():
        SearchEntry.objects.exclude(kind=SearchKind.THREAD).delete()
        entries: list[SearchEntry] = []
        for t in ArticleTranslation.objects.select_related("article").filter(
            status=TranslationStatus.PUBLISHED
        ):
            entries.extend(_translation_entries(t, t.article))
        for guide in Guide.objects.all():
            entries.extend(_guide_entries(guide))
        for video in Video.objects.filter(published=True):
            main, passages = _video_entries(video)
            entries.extend(main + passages)
        SearchEntry.objects.bulk_create(entries, batch_size=500)
        _version_bump()
        if semantic_enabled():
            _embed_later()
    return len(entries)
