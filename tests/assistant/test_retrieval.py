"""The retrieval engine's pure parts: decision, fusion, calibration, classifier (no model)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tierdesk.assistant.retrieval import Candidate, Match, decide
from tierdesk.assistant.retrieval.calibration import features, fit_platt, folds
from tierdesk.assistant.retrieval.classifier import fit
from tierdesk.assistant.retrieval.index import entry_lexical

confidences = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def match_of(*confidences: float) -> Match:
    ordered = sorted(confidences, reverse=True)
    candidates = tuple(
        Candidate(key=f"faq:{i}", score=c * 10, confidence=c) for i, c in enumerate(ordered)
    )
    return Match(candidates=candidates, confidence=ordered[0] if ordered else 0.0)


# decide: the threshold and the clarifying question.
@given(st.lists(confidences, min_size=1, max_size=5), confidences, confidences)
def test_decide_hands_off_exactly_below_the_threshold(
    values: list[float], threshold: float, margin: float
) -> None:
    match = match_of(*values)
    decision = decide(match, threshold=threshold, margin=margin)
    assert (decision.kind == "handoff") == (match.confidence < threshold)
    assert decision.confidence == match.confidence


@given(st.lists(confidences, min_size=1, max_size=5), confidences)
def test_decide_asks_when_the_two_best_are_close(values: list[float], margin: float) -> None:
    match = match_of(*values)
    decision = decide(match, threshold=0.0, margin=margin)
    best = match.candidates[0]
    close = [c for c in match.candidates[1:3] if best.confidence - c.confidence < margin]
    if close:
        assert decision.kind == "clarify"
        assert decision.keys == (best.key, *(c.key for c in close))
    else:
        assert decision.kind == "answer"
        assert decision.keys == (best.key,)


def test_decide_examples() -> None:
    assert decide(match_of(0.9, 0.2), threshold=0.5, margin=0.1).kind == "answer"
    clarify = decide(match_of(0.9, 0.85, 0.1), threshold=0.5, margin=0.1)
    assert (clarify.kind, clarify.keys) == ("clarify", ("faq:0", "faq:1"))
    handoff = decide(match_of(0.3, 0.29), threshold=0.5, margin=0.1)
    assert (handoff.kind, handoff.keys) == ("handoff", ("faq:0", "faq:1"))
    empty = decide(Match(candidates=(), confidence=0.0), threshold=0.0, margin=0.0)
    assert (empty.kind, empty.keys) == ("handoff", ())
    # Margin 0 never asks, even on a tie.
    assert decide(match_of(0.6, 0.6), threshold=0.5, margin=0.0).kind == "answer"


# Fusion: the lexical part per entry.
bm25_scores = st.one_of(st.just(0.0), st.floats(min_value=0.01, max_value=50))


@given(st.lists(bm25_scores, min_size=1, max_size=30), st.integers(min_value=1, max_value=6))
def test_entry_lexical_is_the_best_phrasing_over_the_best_entry(
    scores: list[float], entries: int
) -> None:
    owners = np.array([i % entries for i in range(len(scores))])
    out = entry_lexical(np.array(scores), owners, entries)
    assert out.shape == (entries,)
    assert (out >= 0).all() and (out <= 1 + 1e-6).all()
    if max(scores) > 0:
        assert np.isclose(out.max(), 1.0)
        best = int(np.argmax(out))
        assert np.isclose(
            max(s for s, o in zip(scores, owners, strict=True) if o == best), max(scores), rtol=1e-5
        )
    else:
        assert (out == 0).all()


# Calibration.
@given(
    st.lists(st.integers(min_value=1, max_value=12), min_size=2, max_size=40),
    st.integers(min_value=2, max_value=6),
)
def test_folds_leave_entries_out_and_hold_phrasings_in(sizes: list[int], count: int) -> None:
    owners = np.array([entry for entry, size in enumerate(sizes) for _ in range(size)])
    made = folds(owners, len(sizes), count=count)
    assert len(made) == min(count, len(sizes))
    left_out_everywhere: set[int] = set()
    for fold in made:
        train, held_in, held_out = set(fold.train), set(fold.held_in), set(fold.held_out)
        assert not (train & held_in) and not (train & held_out) and not (held_in & held_out)
        assert train | held_in | held_out == set(range(len(owners)))
        out_entries = set(owners[fold.held_out].tolist())
        # A left-out entry has no phrasing anywhere else; a held-in phrasing's entry is trained.
        assert not out_entries & set(owners[fold.train].tolist())
        assert set(owners[fold.held_in].tolist()) <= set(owners[fold.train].tolist())
        left_out_everywhere |= out_entries
    assert left_out_everywhere == set(range(len(sizes)))  # every entry is left out once


def test_platt_is_increasing_and_learns_the_boundary() -> None:
    rng = np.random.default_rng(1)
    right = rng.random(2000) < 0.5
    scores = np.where(right, rng.normal(6, 1, 2000), rng.normal(3, 1, 2000))
    platt = fit_platt(scores[:, None], right)
    p = platt.probability(np.array([[2.0], [4.5], [7.0]]))
    assert p[0] < 0.1 < 0.3 < p[1] < 0.7 < 0.9 < p[2]
    # Nothing to learn from: a flat probability.
    flat = fit_platt(scores[:, None], np.ones(2000, dtype=bool))
    assert np.allclose(flat.probability(np.array([[0.0], [9.0]])), 0.5)


def test_features_are_the_best_fused_score() -> None:
    assert features(np.array([1.0, 3.0, 2.0])).tolist() == [[3.0]]
    assert features(np.array([[1.0, 3.0], [5.0, 0.0]])).tolist() == [[3.0], [5.0]]


def test_classifier_separates_what_the_centroid_cannot() -> None:
    # Two classes whose centroids point the same way: only a learned direction tells them apart.
    rng = np.random.default_rng(0)
    base = np.zeros((40, 8))
    base[:, 0] = 1.0
    labels = np.arange(40) % 2
    base[:, 1] = np.where(labels == 1, 0.3, -0.3) + rng.normal(0, 0.05, 40)
    base[:, 2:] = rng.normal(0, 0.3, (40, 6))
    vectors = (base / np.linalg.norm(base, axis=1, keepdims=True)).astype(np.float32)
    model = fit(vectors, labels, 2, steps=60)
    assert (model.logits(vectors).argmax(axis=1) == labels).mean() >= 0.95
