"""Fine-tuning the encoder's top on the FAQ's phrasings, at index build, in numpy.

The sentence encoder (embeddings.py) ends with a small dense network, its "head", on a pooled
512-d vector of the sentence's tokens: y0 = relu(x d0); y1 = relu(x p1 + y0 d1);
y2 = relu(y1 d2); z = tanh(y1 p3 + y2 d3); the embedding is z / |z| (1.3 M weights, no biases).
At build, a copy of that head is trained by backpropagation jointly with a cosine softmax
classifier (one class per entry) on the phrasings' pooled vectors, so that the phrasings of an
entry move together and away from the others' (what SetFit does to a whole sentence model, here
limited to the part numpy trains in seconds). The index then embeds its phrasings and every
question with the tuned head; the classifier, fusion and calibration on top are unchanged.

Invariants:
- Only the head changes. The pooled vector (token table, n-gram CNN, pooling) stays the
  pretrained model's, so a phrasing is run through the model once per build and a question costs
  what encoding it did (the head on one row is about a million multiply-adds).
- The training is pulled toward the pretrained weights (L2-SP: `anchor` times the squared
  distance to them) and short (`steps` full-batch Adam steps at a small rate): the multilingual
  alignment of the pretrained head survives, so an Italian question still finds an English entry
  (tests/assistant/test_retrieval_tuning.py checks it).
- Deterministic: full batch, no random draw; the same phrasings give the same head.
- `pretrained().encode(embeddings.pooled(texts))` equals `embeddings.encode(texts)`.

The index fine-tunes one head per calibration fold too (index.py), on that fold's training
phrasings only: a head tuned on every phrasing has seen the held-out ones, which would make the
calibration's confidence too high. The settings were chosen by that cross-validation on the FAQ
files (docs/assistant-retrieval.md), not by the development questions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tierdesk.assistant.retrieval import embeddings
from tierdesk.assistant.retrieval.adam import Adam
from tierdesk.assistant.retrieval.classifier import softmax

LAYERS = embeddings.HEAD_LAYERS
_EPS = 1e-12


@dataclass(frozen=True)
class Head:
    """The encoder's head weights, float32: (512, 320), (512, 320), (320, 320), (320, 512) x 2."""

    d0: np.ndarray
    p1: np.ndarray
    d1: np.ndarray
    d2: np.ndarray
    p3: np.ndarray
    d3: np.ndarray

    def encode(self, pooled: np.ndarray) -> np.ndarray:
        """Unit embeddings (n, 512) of pooled vectors (n, 512), as the encoder computes them."""
        return _forward(self, np.asarray(pooled, dtype=np.float32))[0]


def pretrained() -> Head:
    """The encoder's own head (a copy)."""
    weights = embeddings.head_weights()
    return Head(*(np.array(weights[name], dtype=np.float32) for name in LAYERS))


@dataclass(frozen=True)
class _Cache:
    a0: np.ndarray
    y0: np.ndarray
    a1: np.ndarray
    y1: np.ndarray
    a2: np.ndarray
    y2: np.ndarray
    t: np.ndarray
    norm: np.ndarray


def _forward(head: Head, x: np.ndarray) -> tuple[np.ndarray, _Cache]:
    a0 = x @ head.d0
    y0 = np.maximum(a0, 0)
    a1 = x @ head.p1 + y0 @ head.d1
    y1 = np.maximum(a1, 0)
    a2 = y1 @ head.d2
    y2 = np.maximum(a2, 0)
    t = np.tanh(y1 @ head.p3 + y2 @ head.d3)
    norm = np.sqrt(np.clip(np.einsum("ij,ij->i", t, t), _EPS, None))[:, None]
    return t / norm, _Cache(a0, y0, a1, y1, a2, y2, t, norm)


def _backward(
    head: Head, x: np.ndarray, z: np.ndarray, c: _Cache, dz: np.ndarray
) -> dict[str, np.ndarray]:
    dt = (dz - z * np.einsum("ij,ij->i", dz, z)[:, None]) / c.norm
    da3 = dt * (1 - c.t * c.t)
    dy1 = da3 @ head.p3.T
    da2 = (da3 @ head.d3.T) * (c.a2 > 0)
    dy1 += da2 @ head.d2.T
    da1 = dy1 * (c.a1 > 0)
    da0 = (da1 @ head.d1.T) * (c.a0 > 0)
    return {
        "p3": c.y1.T @ da3,
        "d3": c.y2.T @ da3,
        "d2": c.y1.T @ da2,
        "p1": x.T @ da1,
        "d1": c.y0.T @ da1,
        "d0": x.T @ da0,
    }


def fine_tune(
    pooled: np.ndarray,
    labels: np.ndarray,
    classes: int,
    *,
    start: Head | None = None,
    steps: int = 20,
    rate: float = 1e-3,
    anchor: float = 1e-2,
    scale: float = 16.0,
) -> Head:
    """The head trained on (n, 512) pooled vectors and their class numbers 0..classes-1."""
    start = start or pretrained()
    if steps <= 0 or classes < 2 or len(pooled) == 0:
        return start
    x = np.asarray(pooled, dtype=np.float32)
    n = len(x)
    target = np.zeros((n, classes), dtype=np.float32)
    target[np.arange(n), labels] = 1.0
    # The classifier starts at the classes' mean embeddings (nearest centroid by cosine).
    z, _ = _forward(start, x)
    centroids = np.zeros((classes, z.shape[1]), dtype=np.float32)
    np.add.at(centroids, labels, z)
    centroids /= np.clip(np.linalg.norm(centroids, axis=1, keepdims=True), _EPS, None)
    params = {name: getattr(start, name).copy() for name in LAYERS}
    params["w"] = np.ascontiguousarray(centroids.T)
    first = {name: getattr(start, name) for name in LAYERS}
    adam = Adam(params, rate)
    for _step in range(steps):
        head = Head(*(params[name] for name in LAYERS))
        z, cache = _forward(head, x)
        error = (softmax(scale * (z @ params["w"])) - target) / n
        grads = _backward(head, x, z, cache, scale * (error @ params["w"].T))
        for name in LAYERS:
            grads[name] += anchor * (params[name] - first[name])
        grads["w"] = scale * (z.T @ error)
        adam.step(grads)
    return Head(*(params[name] for name in LAYERS))
