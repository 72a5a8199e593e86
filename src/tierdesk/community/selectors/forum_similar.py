"""Similar threads while a title is typed: BM25 over titles fused with embedding cosine.

Each thread stores its title's embedding (512 float16 values, `Thread.title_embedding`, written
when the title is). Each process keeps one in-memory index of the searchable threads (visible,
not closed as duplicates), keyed by `SimilarIndexVersion.version`, which every change of the
searchable titles bumps in its transaction. A lookup reads the version (one primary-key query),
embeds the typed title once (~2 ms) and scores it against the cached matrix; it never embeds the
stored titles again. A rebuild (after a version change) reads the stored bytes: O(n), no model.
New threads do not bump the version: a lookup that sees a higher greatest thread id appends the
new rows (their vectors, and a small BM25 index of the new titles only) to the cached index.
The few results are re-read from the database, so a solved mark or a hide shows at once.

Above PROJECT_ABOVE threads the cosine is first taken in a 128-d PCA projection (a quarter of
the memory traffic), and the best RERANK candidates are re-scored with the full vectors.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

import bm25s
import numpy as np

from ..models import SimilarIndexVersion, Thread

DIMENSIONS = 512
PROJECT_ABOVE = 20_000
PROJECTED = 128
RERANK = 200
MIN_COSINE = 0.45
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class SimilarThread:
    id: int
    title: str
    solved: bool
    score: float


@dataclass
class _Index:
    version: int
    ids: np.ndarray
    titles: list[str]
    solved: np.ndarray
    full: np.ndarray  # (n, 512) float16
    projected: np.ndarray | None  # (n, 128) float32, or None: `full` is scored directly
    projection: np.ndarray | None  # (512, 128) float32
    full32: np.ndarray | None  # (n, 512) float32 when small
    bm25: Any
    vocabulary: dict[str, int]
    max_id: int = 0
    tail_from: int = 0  # rows from here on were appended; `tail_bm25` indexes their titles
    tail_bm25: Any = None
    tail_vocabulary: dict[str, int] | None = None


_lock = threading.Lock()
_cache: dict[str, _Index] = {}


def tokens(text: str) -> list[str]:
    return [word for word in _WORD.findall(text.casefold()) if len(word) > 1]


def current_version() -> int:
    row = SimilarIndexVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return int(row or 0)


def max_thread_id() -> int:
    return int(Thread.objects.order_by("-id").values_list("id", flat=True).first() or 0)


def _rows(after: int = 0) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray, int]:
    rows = list(
        Thread.objects.filter(is_hidden=False, duplicate_of__isnull=True, id__gt=after)
        .order_by("id")
        .values_list("id", "title", "accepted_post_id", "title_embedding")
    )
    count = len(rows)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=count)
    titles = [r[1] for r in rows]
    solved = np.fromiter((r[2] is not None for r in rows), dtype=bool, count=count)
    full = np.zeros((count, DIMENSIONS), dtype=np.float16)
    for i, row in enumerate(rows):
        blob = bytes(row[3] or b"")
        if len(blob) == DIMENSIONS * 2:
            full[i] = np.frombuffer(blob, dtype=np.float16)
    return ids, titles, solved, full, (int(ids[-1]) if count else after)


def _bm25(titles: list[str]) -> tuple[Any, dict[str, int]]:
    if not titles:
        return None, {}
    bm25 = bm25s.BM25()
    bm25.index([tokens(title) or ["_"] for title in titles], show_progress=False)
    return bm25, dict(bm25.vocab_dict)


def _build(version: int) -> _Index:
    top_id = max_thread_id()
    ids, titles, solved, full, _last = _rows()
    count = len(ids)
    projected = projection = full32 = None
    if count > PROJECT_ABOVE:
        sample = full[np.linspace(0, count - 1, 4096).astype(np.int64)].astype(np.float32)
        _u, _s, vt = np.linalg.svd(sample, full_matrices=False)
        projection = np.ascontiguousarray(vt[:PROJECTED].T)
        projected = np.ascontiguousarray(full.astype(np.float32) @ projection)
    else:
        full32 = full.astype(np.float32)
    bm25, vocabulary = _bm25(titles)
    found = _Index(
        version, ids, titles, solved, full, projected, projection, full32, bm25, vocabulary
    )
    found.max_id = top_id
    found.tail_from = count
    return found


def _append(found: _Index, top_id: int) -> None:
    """Add the threads created since the index was built (in place; the caller holds the lock)."""
    ids, titles, solved, full, _last = _rows(after=found.max_id)
    found.max_id = top_id
    if not len(ids):
        return
    found.ids = np.concatenate([found.ids, ids])
    found.titles = found.titles + titles
    found.solved = np.concatenate([found.solved, solved])
    found.full = np.concatenate([found.full, full])
    if found.projected is not None and found.projection is not None:
        extra = full.astype(np.float32) @ found.projection
        found.projected = np.concatenate([found.projected, extra])
    else:
        found.full32 = found.full.astype(np.float32)
    found.tail_bm25, found.tail_vocabulary = _bm25(found.titles[found.tail_from :])


def index() -> _Index:
    """This process's index, rebuilt only when the stored version moved."""
    version = current_version()
    top_id = max_thread_id()
    found = _cache.get("threads")
    if found is not None and found.version == version and found.max_id == top_id:
        return found
    with _lock:
        found = _cache.get("threads")
        if found is None or found.version != version:
            found = _build(version)
            _cache["threads"] = found
        elif found.max_id < top_id:
            _append(found, top_id)
    return found


def cache_clear() -> None:
    _cache.clear()


def similar_threads(
    title: str, *, limit: int = 5, exclude: int | None = None
) -> list[SimilarThread]:
    """Threads like `title`, solved ones first, best first within each group.

    A thread counts when its title shares rare words with `title` (BM25) or means the same in
    any language (cosine at least MIN_COSINE); the two rankings are fused by reciprocal rank.
    """
    from tierdesk.assistant.retrieval.embeddings import encode

    title = " ".join((title or "").split())
    found = index()
    if len(title) < 3 or not len(found.ids):
        return []
    query = encode([title])[0].astype(np.float32)
    candidates = max(limit * 8, 40)
    if found.projected is not None and found.projection is not None:
        coarse = found.projected @ (query @ found.projection)
        top = np.argpartition(-coarse, min(RERANK, len(coarse) - 1))[:RERANK]
        cosine_top = found.full[top].astype(np.float32) @ query
        order = np.argsort(-cosine_top)[:candidates]
        semantic = [(int(top[i]), float(cosine_top[i])) for i in order]
    else:
        assert found.full32 is not None
        cosine = found.full32 @ query
        k = min(candidates, len(cosine))
        top = np.argpartition(-cosine, k - 1)[:k]
        semantic = sorted(((int(i), float(cosine[i])) for i in top), key=lambda p: -p[1])
    fused: dict[int, float] = {}
    for rank, (row, cosine_value) in enumerate(semantic):
        if cosine_value >= MIN_COSINE:
            fused[row] = fused.get(row, 0.0) + 1.0 / (60 + rank)
    lexical: list[tuple[int, float]] = []
    parts = [
        (found.bm25, found.vocabulary, 0),
        (found.tail_bm25, found.tail_vocabulary, found.tail_from),
    ]
    for bm25, vocabulary, offset in parts:
        words = [w for w in tokens(title) if w in (vocabulary or {})]
        if not words or bm25 is None:
            continue
        scores = bm25.get_scores(words)
        k = min(candidates, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        lexical += [(int(i) + offset, float(scores[i])) for i in top if scores[i] > 0]
    lexical.sort(key=lambda p: -p[1])
    for rank, (row, _score) in enumerate(lexical[:candidates]):
        fused[row] = fused.get(row, 0.0) + 1.0 / (60 + rank)
    best = [
        (int(found.ids[row]), score)
        for row, score in sorted(fused.items(), key=lambda p: -p[1])
        if int(found.ids[row]) != exclude
    ][: limit * 2]
    # The stored state of the few found: a solved mark or a hide since the build shows at once.
    live = {
        pk: (title, accepted is not None)
        for pk, title, accepted in Thread.objects.filter(
            pk__in=[pk for pk, _s in best], is_hidden=False, duplicate_of__isnull=True
        ).values_list("id", "title", "accepted_post_id")
    }
    results = [
        SimilarThread(id=pk, title=live[pk][0], solved=live[pk][1], score=score)
        for pk, score in best
        if pk in live
    ][:limit]
    return sorted(results, key=lambda r: (not r.solved, -r.score))
