"""The fine-tuned encoder head (tuning.py): exact pretrained path, held-out gains, the index."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tierdesk.assistant.retrieval import Index, RetrievalSettings, embeddings, tuning
from tierdesk.assistant.retrieval.calibration import folds

from .test_retrieval_index import CROSS_LANGUAGE, FAQ

DATA = Path(__file__).parent / "data"


def _slice() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The CLINC150 slice: phrasings' pooled vectors and entries, in-scope questions' likewise."""
    faq = [
        json.loads(line)
        for line in (DATA / "clinc150-slice.faq.jsonl").read_text().splitlines()
        if line.strip()
    ]
    ids = [entry["id"] for entry in faq]
    phrasings = [(p, n) for n, entry in enumerate(faq) for p in entry["phrasings"]]
    text = (DATA / "clinc150-slice.questions.jsonl").read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    questions = [(q["text"], ids.index(q["expected"])) for q in lines if q["expected"]]
    return (
        embeddings.pooled([p for p, _ in phrasings]),
        np.array([n for _, n in phrasings]),
        embeddings.pooled([q for q, _ in questions]),
        np.array([n for _, n in questions]),
    )


def _centroids(vectors: np.ndarray, labels: np.ndarray, classes: int) -> np.ndarray:
    centroids = np.stack([vectors[labels == c].mean(axis=0) for c in range(classes)])
    return centroids / np.linalg.norm(centroids, axis=1, keepdims=True)


def test_the_pretrained_head_on_pooled_vectors_is_the_encoder() -> None:
    texts = ["How do I reset my password?", "Ho dimenticato la password", "x"]
    pooled = embeddings.pooled(texts)
    assert pooled.shape == (3, embeddings.DIMENSIONS)
    np.testing.assert_allclose(
        tuning.pretrained().encode(pooled), embeddings.encode(texts), atol=1e-5
    )


def test_fine_tuning_separates_held_out_questions_better() -> None:
    # Trained on the slice's phrasings, measured on its questions (never trained on): each
    # question's cosine to its own entry's centroid, minus its mean cosine to the others'.
    pooled, labels, questions, expected = _slice()
    classes = int(labels.max()) + 1

    def separation(head: tuning.Head) -> float:
        centroids = _centroids(head.encode(pooled), labels, classes)
        scores = head.encode(questions) @ centroids.T
        own = scores[np.arange(len(expected)), expected]
        others = (scores.sum(axis=1) - own) / (classes - 1)
        return float((own - others).mean())

    before = separation(tuning.pretrained())
    after = separation(tuning.fine_tune(pooled, labels, classes))
    assert after > before + 0.03  # measured: 0.478 -> 0.532


def test_fine_tuning_raises_held_out_accuracy_on_a_synthetic_set() -> None:
    # Six classes: each sample is 40% its class's sentence and 60% an unrelated one (a
    # different mix for the held-out samples); the tuned head must learn to look past the noise.
    rng = np.random.default_rng(0)
    words = [
        "password",
        "invoice",
        "refund",
        "account",
        "phone",
        "number",
        "voicemail",
        "billing",
        "delivery",
        "order",
        "shipping",
        "login",
        "email",
        "address",
        "card",
        "payment",
        "plan",
        "upgrade",
        "cancel",
        "support",
        "hours",
        "weather",
        "music",
        "travel",
        "bank",
        "loan",
    ]
    pooled = embeddings.pooled([" ".join(rng.choice(words, 4)) for _ in range(120)])
    classes, bases, noise = 6, pooled[:6], pooled[6:]

    def sample(count: int, offset: int) -> tuple[np.ndarray, np.ndarray]:
        labels = np.arange(count) % classes
        return 0.4 * bases[labels] + 0.6 * noise[(np.arange(count) + offset) % len(noise)], labels

    train, train_labels = sample(36, 0)
    test, test_labels = sample(60, 40)

    def accuracy(head: tuning.Head) -> float:
        centroids = _centroids(head.encode(train), train_labels, classes)
        return float(((head.encode(test) @ centroids.T).argmax(axis=1) == test_labels).mean())

    before = accuracy(tuning.pretrained())
    after = accuracy(tuning.fine_tune(train, train_labels, classes))
    assert after > before  # measured: 0.833 -> 0.883


def test_fine_tuning_is_deterministic_and_stays_near_the_pretrained_weights() -> None:
    pooled, labels, _, _ = _slice()
    first = tuning.fine_tune(pooled, labels, int(labels.max()) + 1)
    second = tuning.fine_tune(pooled, labels, int(labels.max()) + 1)
    start = tuning.pretrained()
    for name in tuning.LAYERS:
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))
        moved = np.linalg.norm(getattr(first, name) - getattr(start, name))
        assert 0 < moved < 0.5 * np.linalg.norm(getattr(start, name))


def test_no_steps_or_one_class_leaves_the_pretrained_head() -> None:
    pooled, labels, _, _ = _slice()
    start = tuning.pretrained()
    for head in (
        tuning.fine_tune(pooled, labels, int(labels.max()) + 1, steps=0),
        tuning.fine_tune(pooled[:3], np.zeros(3, dtype=np.int64), 1),
    ):
        for name in tuning.LAYERS:
            np.testing.assert_array_equal(getattr(head, name), getattr(start, name))


@pytest.fixture(scope="module")
def index() -> Index:
    return Index.build(FAQ)


def test_the_index_embeds_with_its_tuned_head_and_italian_still_finds_english(
    index: Index,
) -> None:
    start = tuning.pretrained()
    assert not np.array_equal(index.head.d3, start.d3)  # tuned, not the pretrained head
    np.testing.assert_allclose(index.vectors, index.head.encode(index.pooled), atol=1e-6)
    for question, language, expected in CROSS_LANGUAGE:
        best = index.match(question, language=language).best
        assert best is not None
        assert best.key == expected, question


def test_a_saved_index_carries_its_tuned_head(index: Index) -> None:
    loaded = Index.from_bytes(index.to_bytes())
    for name in tuning.LAYERS:
        np.testing.assert_array_equal(getattr(loaded.head, name), getattr(index.head, name))
    question = "Ho dimenticato la password, come la reimposto?"
    assert loaded.match(question) == index.match(question)


def test_each_calibration_fold_tunes_on_its_training_phrasings_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tuned: list[np.ndarray] = []
    original = Index.tune

    def spy(self: Index, rows: np.ndarray) -> tuning.Head:
        tuned.append(np.asarray(rows))
        return original(self, rows)

    monkeypatch.setattr(Index, "tune", spy)
    built = Index.build(FAQ)
    expected = folds(built.owners, len(built.entries), count=built.settings.folds)
    # One head on every phrasing, then one per fold on exactly that fold's training rows.
    assert len(tuned) == 1 + len(expected)
    np.testing.assert_array_equal(tuned[0], np.arange(len(built.texts)))
    for rows, fold in zip(tuned[1:], expected, strict=True):
        np.testing.assert_array_equal(rows, fold.train)
        assert not set(rows.tolist()) & (set(fold.held_in.tolist()) | set(fold.held_out.tolist()))


def test_tune_steps_zero_is_the_pretrained_encoder() -> None:
    plain = Index.build(FAQ[:2], settings=RetrievalSettings(tune_steps=0))
    texts = [p for entry in FAQ[:2] for p in entry.phrasings]
    np.testing.assert_allclose(plain.vectors, embeddings.encode(texts), atol=1e-5)
