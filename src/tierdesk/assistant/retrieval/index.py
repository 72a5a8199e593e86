"""The index: built once from the entries, asked once per question."""

from __future__ import annotations

import io
import pickle
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tierdesk.assistant.retrieval import embeddings
from tierdesk.assistant.retrieval.lexical import LexicalIndex
from tierdesk.assistant.retrieval.types import Candidate, Entry, Match, RetrievalSettings


def _softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max())
    return z / z.sum()


class Index:
    """Entries' phrasings embedded and indexed for BM25; `match` ranks entries for a question."""

    def __init__(
        self,
        entries: Sequence[Entry],
        settings: RetrievalSettings,
        vectors: np.ndarray,
    ) -> None:
        self.entries = tuple(entries)
        self.settings = settings
        self.vectors = vectors
        texts: list[str] = []
        languages: list[str] = []
        owners: list[int] = []
        for number, entry in enumerate(self.entries):
            for phrasing in entry.phrasings:
                texts.append(phrasing)
                languages.append(entry.language)
                owners.append(number)
        self.owners = np.asarray(owners, dtype=np.int64)
        self.lexical = LexicalIndex(texts, languages)

    @classmethod
    def build(cls, entries: Sequence[Entry], *, settings: RetrievalSettings | None = None) -> Index:
        entries = [e for e in entries if e.phrasings]
        texts = [p for e in entries for p in e.phrasings]
        return cls(entries, settings or RetrievalSettings(), embeddings.encode(texts))

    @property
    def threshold(self) -> float:
        """The confidence below which `decide` should hand off."""
        if self.settings.threshold is not None:
            return self.settings.threshold
        return 0.5

    def __len__(self) -> int:
        return len(self.entries)

    def match(self, question: str, *, language: str | None = None, limit: int = 5) -> Match:
        if not self.entries or not question.strip():
            return Match(candidates=(), confidence=0.0)
        vector = embeddings.encode([question])[0]
        scores = self.entry_scores(question, vector)
        probabilities = _softmax(scores / self.settings.temperature)
        order = np.argsort(-scores, kind="stable")[:limit]
        candidates = tuple(
            Candidate(
                key=self.entries[i].key,
                score=float(scores[i]),
                confidence=float(probabilities[i]),
            )
            for i in order
        )
        return Match(candidates=candidates, confidence=candidates[0].confidence)

    def entry_scores(self, question: str, vector: np.ndarray) -> np.ndarray:
        """Fused score of each entry: max over its phrasings of cosine + weight * BM25/max."""
        cosine = self.vectors @ vector
        lexical = self.lexical.scores(question)
        top = float(lexical.max())
        if top > 0:
            lexical = lexical / top
        fused = cosine + self.settings.lexical_weight * lexical
        out = np.full(len(self.entries), -np.inf, dtype=np.float32)
        np.maximum.at(out, self.owners, fused)
        return out

    # Caching a built index (the embeddings are the slow part).
    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        pickle.dump((self.entries, self.settings, self.vectors), buffer)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Index:
        entries, settings, vectors = pickle.loads(data)  # noqa: S301 - our own cache files only
        return cls(entries, settings, vectors)

    def save(self, path: str | Path) -> None:
        Path(path).write_bytes(self.to_bytes())

    @classmethod
    def load(cls, path: str | Path) -> Index:
        return cls.from_bytes(Path(path).read_bytes())
