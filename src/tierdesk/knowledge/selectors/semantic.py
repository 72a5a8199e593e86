"""The semantic side of the help center's search: the entries nearest a query in meaning.

Each SearchEntry carries the multilingual embedding of its title and first lines
(services.search; tierdesk.assistant.retrieval.embeddings, the assistant's encoder), so an
Italian question lands near the English article that answers it. Here a process keeps the
entries' vectors in memory, keyed by SearchIndexVersion (one query per search reads it; the
matrix is read again only when the index changed), and a query costs one encoding (cached for
repeated queries) and two matrix products:

1. up to EXACT_LIMIT entries, every entry's full vector (float32) against the query: exact, and
   about 3 ms for 20,000 entries;
2. beyond, coarse then exact: every entry's vector projected on its index's COARSE principal
   directions (fitted, when the matrix is read, on a sample of PCA_SAMPLE entries) against the
   projected query, then the SHORTLIST best re-scored with their full 512 dimensions: a few
   milliseconds at 100,000 entries, with the risk that a neighbour the projection ranks low is
   missed.

Entries below MIN_SIMILARITY (cosine) are not neighbours: an unrelated query finds nothing
here. Visibility, language, kind and category filter the matrix's rows before anything is
ranked; the page the caller builds is checked against the access querysets as every hit is.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.conf import settings

from ..models import SearchEntry, SearchIndexVersion

DIMENSIONS = 512
EXACT_LIMIT = 20_000
COARSE = 128
SHORTLIST = 400
PCA_SAMPLE = 5_000
# Cosine of the full vectors. Paraphrases across English and Italian score 0.45-0.7, one word
# of the topic 0.3-0.45, unrelated texts under 0.15 (the scale of this encoder).
MIN_SIMILARITY = 0.3
_CHUNK = 8192


def semantic_enabled() -> bool:
    """Whether search embeds entries and queries (settings.KNOWLEDGE_SEMANTIC_SEARCH, on by
    default; the test settings turn it off but for the tests of it)."""
    return bool(settings.KNOWLEDGE_SEMANTIC_SEARCH)


def _principal_directions(full: np.ndarray) -> np.ndarray:
    """(512, COARSE): the directions that keep most of these vectors' dot products (the top
    right singular vectors of a sample; deterministic for the same index)."""
    rng = np.random.default_rng(20261206)
    rows = rng.choice(len(full), size=min(len(full), PCA_SAMPLE), replace=False)
    _u, _s, vt = np.linalg.svd(full[np.sort(rows)].astype(np.float32), full_matrices=False)
    return np.ascontiguousarray(vt[:COARSE].T, dtype=np.float32)


@dataclass(frozen=True)
class _Codes:
    """A text column as small integers (filters compare integers, not strings)."""

    values: list[str]
    codes: np.ndarray  # int16

    @classmethod
    def of(cls, column: Sequence[str]) -> _Codes:
        values = sorted(set(column))
        index = {value: n for n, value in enumerate(values)}
        codes = np.fromiter((index[v] for v in column), dtype=np.int16, count=len(column))
        return cls(values, codes)

    def mask(self, wanted: Sequence[str]) -> np.ndarray:
        keep = np.array([value in set(wanted) for value in self.values], dtype=bool)
        return keep[self.codes]  # a table lookup per row


@dataclass(frozen=True)
class _Matrix:
    version: int
    ids: np.ndarray  # int64, one per entry with an embedding
    kinds: list[str]
    languages: _Codes
    visibilities: _Codes
    categories: np.ndarray  # int64, -1 for none
    full: np.ndarray  # float16 (n, 512)
    coarse: np.ndarray  # float32: (n, 512) up to EXACT_LIMIT rows, else (n, COARSE)
    projection: np.ndarray | None  # (512, COARSE) beyond EXACT_LIMIT rows


_lock = threading.Lock()
_cache: dict[str, _Matrix] = {}


def index_version() -> int:
    """The index's version now (0 before its first change)."""
    return next(iter(SearchIndexVersion.objects.filter(pk=1).values_list("number", flat=True)), 0)


def _load(version: int) -> _Matrix:
    rows = list(
        SearchEntry.objects.filter(embedding__isnull=False)
        .order_by("id")
        .values_list("id", "kind", "language", "visibility", "category_id", "embedding")
    )
    n = len(rows)
    full = np.zeros((n, DIMENSIONS), dtype=np.float16)
    for i, row in enumerate(rows):
        full[i] = np.frombuffer(bytes(row[5] or b""), dtype=np.float16)
    projection = _principal_directions(full) if n > EXACT_LIMIT else None
    if projection is None:
        coarse = full.astype(np.float32)
    else:
        coarse = np.empty((n, projection.shape[1]), dtype=np.float32)
        for start in range(0, n, _CHUNK):
            chunk = full[start : start + _CHUNK].astype(np.float32)
            coarse[start : start + _CHUNK] = chunk @ projection
    return _Matrix(
        version=version,
        ids=np.fromiter((r[0] for r in rows), dtype=np.int64, count=n),
        kinds=[r[1] for r in rows],
        languages=_Codes.of([r[2] for r in rows]),
        visibilities=_Codes.of([r[3] for r in rows]),
        categories=np.fromiter(
            (r[4] if r[4] is not None else -1 for r in rows), dtype=np.int64, count=n
        ),
        full=full,
        coarse=coarse,
        projection=projection,
    )


def matrix() -> _Matrix:
    """This process's matrix for the index as it is now (read again after any change)."""
    version = index_version()
    current = _cache.get("matrix")
    if current is not None and current.version == version:
        return current
    with _lock:
        current = _cache.get("matrix")
        if current is None or current.version != version:
            current = _cache["matrix"] = _load(version)
    return current


@lru_cache(maxsize=512)
def query_vector(text: str) -> np.ndarray:
    """The query's unit vector (512 float32), encoded once per distinct text per process."""
    from tierdesk.assistant.retrieval.embeddings import encode

    vector: np.ndarray = encode([text])[0]
    return vector


@dataclass(frozen=True)
class Neighbour:
    entry_id: int
    kind: str
    similarity: float


def neighbours(
    text: str,
    *,
    languages: Sequence[str],
    visibilities: Sequence[str],
    category_id: int | None = None,
    limit: int = 50,
) -> list[Neighbour]:
    """The entries nearest `text` in meaning, best first, at least MIN_SIMILARITY, among those
    of these languages and visibilities (and category)."""
    m = matrix()
    if not len(m.ids) or not text.strip():
        return []
    mask = m.languages.mask(languages) & m.visibilities.mask(visibilities)
    if category_id is not None:
        mask &= m.categories == category_id
    allowed = int(mask.sum())
    if not allowed:
        return []
    query = query_vector(text)
    # Every row is scored (no copy of the matrix), the filtered-out ones then sink.
    coarse = m.coarse @ (query if m.projection is None else query @ m.projection)
    coarse[~mask] = -np.inf
    if allowed > SHORTLIST:
        rows = np.argpartition(-coarse, SHORTLIST)[:SHORTLIST]
        rows = rows[mask[rows]]
    else:
        rows = np.flatnonzero(mask)
    exact = m.full[rows].astype(np.float32) @ query
    order = np.argsort(-exact)[:limit]
    return [
        Neighbour(int(m.ids[rows[i]]), m.kinds[rows[i]], float(exact[i]))
        for i in order
        if exact[i] >= MIN_SIMILARITY
    ]
