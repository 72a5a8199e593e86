"""Confidence from the FAQ's own phrasings: cross-validation with made-up out-of-scope questions.

The entries are split into folds. In each fold a quarter of the entries is left out entirely
(their phrasings play out-of-scope questions, the kind of near miss a help center gets) and
every fourth phrasing of the other entries is held out (in-scope questions). A model fitted on
the rest scores both; a logistic (Platt) fit of "the best entry is right" on the best fused
score turns any later score into a probability, and the threshold is the score that keeps a
set share of the held-out answers that were right. Nothing from evaluated questions is used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def features(fused: np.ndarray) -> np.ndarray:
    """Per row of fused entry scores, the feature the confidence is fitted on: the best score.

    (Its lead over the runner-up, the cosine to the nearest phrasing and the softmax's energy
    were tried next to it on the development sets: none separated out-of-scope questions better.)
    """
    fused = np.atleast_2d(fused)
    return fused.max(axis=1, keepdims=True)


@dataclass(frozen=True)
class Platt:
    """P(right) = sigmoid(features @ weights + bias)."""

    weights: np.ndarray
    bias: float

    def probability(self, feats: np.ndarray) -> np.ndarray:
        z = np.atleast_2d(feats) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def fit_platt(
    feats: np.ndarray, right: np.ndarray, *, weights: np.ndarray | None = None, l2: float = 1e-2
) -> Platt:
    """Weighted logistic regression by Newton's method (a few features, thousands of rows)."""
    n, d = feats.shape
    sample = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    if n == 0 or right.all() or not right.any():
        # Nothing to learn from: a flat, uninformative probability.
        return Platt(weights=np.zeros(d), bias=0.0)
    mean, std = feats.mean(axis=0), feats.std(axis=0) + 1e-6
    x = np.hstack([(feats - mean) / std, np.ones((n, 1))])
    y = right.astype(float)
    theta = np.zeros(d + 1)
    penalty = l2 * np.eye(d + 1)
    penalty[-1, -1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ theta, -50, 50)))
        gradient = x.T @ (sample * (p - y)) + penalty @ theta
        hessian = (x * (sample * p * (1 - p))[:, None]).T @ x + penalty + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = theta[:d] / std
    return Platt(weights=weights, bias=float(theta[d] - weights @ mean))


@dataclass(frozen=True)
class Fold:
    train: np.ndarray  # phrasing rows the fold's model learns from
    held_in: np.ndarray  # held-out phrasings of entries the model knows (in scope)
    held_out: np.ndarray  # phrasings of entries left out entirely (out of scope)


def folds(owners: np.ndarray, entries: int, *, count: int = 4, seed: int = 0) -> list[Fold]:
    """Split phrasing rows (owners[i] = entry of row i) into `count` folds, as described above."""
    if entries < 2:
        return []
    count = min(count, entries)
    order = np.random.default_rng(seed).permutation(entries)
    position = np.empty(len(owners), dtype=np.int64)  # a row's rank among its entry's phrasings
    seen = np.zeros(entries, dtype=np.int64)
    for row, owner in enumerate(owners):
        position[row] = seen[owner]
        seen[owner] += 1
    out: list[Fold] = []
    for fold in range(count):
        left_out = np.zeros(entries, dtype=bool)
        left_out[order[fold::count]] = True
        out_rows = left_out[owners]
        # Every count-th phrasing of each remaining entry with at least two (never its first).
        in_rows = (~out_rows) & (position % count == fold) & (position > 0) & (seen[owners] >= 2)
        train = ~(out_rows | in_rows)
        out.append(
            Fold(
                train=np.flatnonzero(train),
                held_in=np.flatnonzero(in_rows),
                held_out=np.flatnonzero(out_rows),
            )
        )
    return out
