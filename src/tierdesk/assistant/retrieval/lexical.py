"""BM25 over the phrasings, one bm25s index per language with that language's stemmer.

A question is tokenised for each language's index with that language's stemmer and stopwords,
so an English entry and an Italian question still share names, brands and numbers; nothing
needs the question's language.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import bm25s
import numpy as np
import Stemmer

# bm25s logs every index build at DEBUG; the project's logging would print it.
logging.getLogger("bm25s").setLevel(logging.WARNING)

STEMMER_NAMES = {"en": "english", "it": "italian"}
STOPWORDS = {"en": "en", "it": "it"}


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Any:
    return Stemmer.Stemmer(STEMMER_NAMES.get(language, "english"))


def tokenize(texts: Sequence[str], language: str) -> list[list[str]]:
    """Lower-cased, stop-worded, stemmed word tokens of each text."""
    tokens = bm25s.tokenize(
        list(texts),
        stopwords=STOPWORDS.get(language, "en"),
        stemmer=_stemmer(language),
        return_ids=False,
        show_progress=False,
    )
    return [list(t) for t in tokens]


class LexicalIndex:
    """BM25 scores of a question against every phrasing (rows in the order given)."""

    def __init__(self, texts: Sequence[str], languages: Sequence[str]) -> None:
        self.size = len(texts)
        self._parts: list[tuple[str, np.ndarray, Any]] = []
        for language in sorted(set(languages)):
            rows = np.array([i for i, lang in enumerate(languages) if lang == language], dtype=int)
            corpus = tokenize([texts[i] for i in rows], language)
            # A placeholder token keeps a phrasing with no word (all stopwords) in its row.
            corpus = [doc or ["\x00"] for doc in corpus]
            model = bm25s.BM25()
            model.index(corpus, show_progress=False)
            self._parts.append((language, rows, model))

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of the question against each phrasing (0 where no word is shared)."""
        out = np.zeros(self.size, dtype=np.float32)
        for language, rows, model in self._parts:
            tokens = tokenize([question], language)[0]
            if tokens:
                out[rows] = model.get_scores(tokens)
        return out
