"""The index with the real embeddings: cross-language matching, fusion, calibration, caching."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tierdesk.assistant.retrieval import Entry, Index, RetrievalSettings, decide
from tierdesk.assistant.retrieval.index import entry_lexical

FAQ = [
    Entry(
        "faq:password",
        (
            "How do I reset my password?",
            "I forgot my password",
            "change my password",
            "I can't sign in, my password is wrong",
        ),
        "en",
    ),
    Entry(
        "faq:invoice",
        (
            "Where can I find my invoices?",
            "download an invoice",
            "billing history",
            "I need a copy of last month's bill",
        ),
        "en",
    ),
    Entry(
        "faq:refund",
        (
            "How do I get a refund?",
            "I want my money back",
            "cancel my order and get reimbursed",
            "refund for a purchase",
        ),
        "en",
    ),
    Entry(
        "faq:delete",
        (
            "How do I delete my account?",
            "close my account for good",
            "remove my profile and data",
            "I want to stop using the service and erase everything",
        ),
        "en",
    ),
    Entry(
        "faq:orari",
        (
            "Quali sono gli orari dell'assistenza?",
            "a che ora aprite?",
            "quando posso chiamare il supporto?",
            "l'assistenza è aperta il sabato?",
        ),
        "it",
    ),
    Entry(
        "faq:spedizione",
        (
            "Quanto costa la spedizione?",
            "spese di consegna",
            "quanto pago per ricevere il pacco a casa?",
            "la spedizione è gratuita?",
        ),
        "it",
    ),
]

# Translations written by hand: Italian questions for English entries and the other way round.
CROSS_LANGUAGE = [
    ("Ho dimenticato la password, come la reimposto?", "it", "faq:password"),
    ("Dove trovo le mie fatture?", "it", "faq:invoice"),
    ("Voglio un rimborso per il mio acquisto", "it", "faq:refund"),
    ("Come faccio a cancellare il mio account?", "it", "faq:delete"),
    ("What are your support opening hours?", "en", "faq:orari"),
    ("How much does shipping cost?", "en", "faq:spedizione"),
    ("Is delivery free?", "en", "faq:spedizione"),
]


@pytest.fixture(scope="module")
def index() -> Index:
    return Index.build(FAQ)


@pytest.mark.parametrize(("question", "language", "expected"), CROSS_LANGUAGE)
def test_an_entry_answers_a_question_in_the_other_language(
    index: Index, question: str, language: str, expected: str
) -> None:
    match = index.match(question, language=language)
    assert match.candidates[0].key == expected


def test_same_language_questions_are_answered(index: Index) -> None:
    assert index.match("I lost my password").candidates[0].key == "faq:password"
    assert index.match("posso chiamarvi domenica?").candidates[0].key == "faq:orari"


def test_match_is_ordered_calibrated_and_limited(index: Index) -> None:
    match = index.match("refund please", limit=3)
    assert len(match.candidates) == 3
    scores = [c.score for c in match.candidates]
    assert scores == sorted(scores, reverse=True)
    assert 0.0 <= match.confidence <= 1.0
    assert match.confidence == match.candidates[0].confidence
    assert all(c.confidence <= match.confidence + 1e-9 for c in match.candidates)


def test_an_empty_question_or_index_matches_nothing(index: Index) -> None:
    assert index.match("   ").candidates == ()
    empty = Index.build([])
    assert len(empty) == 0
    assert empty.match("hello").candidates == ()
    assert decide(empty.match("hello"), threshold=empty.threshold, margin=0.1).kind == "handoff"


def test_fusion_adds_the_weighted_lexical_score_to_the_classifier(index: Index) -> None:
    question = "billing history download"
    vector = index.vectors[0]
    lexical = index.lexical.scores(question)
    assert lexical.max() > 0
    assert index.model is not None
    fused = index.fused(index.model, vector, lexical)
    logits = index.model.logits(vector[None, :])[0]
    words = index.settings.lexical_weight * entry_lexical(lexical, index.owners, len(index))
    nearest = np.array(
        [
            max(float(index.vectors[i] @ vector) for i in np.flatnonzero(index.owners == e))
            for e in range(len(index))
        ]
    )
    expected = logits + words + index.settings.cosine_weight * nearest
    assert np.allclose(fused, expected, atol=1e-4)
    # The word-for-word match is the invoice entry's.
    assert int(np.argmax(words)) == 1


def test_lexical_weight_breaks_a_tie_towards_the_entry_with_the_words() -> None:
    entries = [
        Entry("a", ("How do I configure the Zorblax gateway?",), "en"),
        Entry("b", ("How do I configure the router?",), "en"),
    ]
    with_words = Index.build(entries, settings=RetrievalSettings(lexical_weight=5.0))
    assert with_words.match("zorblax").candidates[0].key == "a"


def test_the_threshold_comes_from_the_faq_or_the_settings(index: Index) -> None:
    assert 0.0 < index.threshold < 1.0
    fixed = Index.build(FAQ[:2], settings=RetrievalSettings(threshold=0.25))
    assert fixed.threshold == 0.25


def test_an_unrelated_question_is_less_confident_than_a_known_one(index: Index) -> None:
    known = index.match("I forgot my password, how do I reset it?")
    unrelated = index.match("what is the capital of australia")
    assert unrelated.confidence < known.confidence
    assert decide(unrelated, threshold=index.threshold, margin=0.0).kind == "handoff"


def test_a_saved_index_answers_the_same(index: Index, tmp_path: Path) -> None:
    path = tmp_path / "index.bin"
    index.save(path)
    loaded = Index.load(path)
    assert loaded.threshold == index.threshold
    for question, language, _expected in CROSS_LANGUAGE:
        assert loaded.match(question, language=language) == index.match(question, language=language)


def test_a_large_index_calibrates_on_a_sample_of_its_entries(index: Index) -> None:
    sampled = Index.build(FAQ, settings=RetrievalSettings(calibration_entries=4))
    feats, _right, out = sampled.calibration
    # Only the sample's phrasings were held out: fewer rows than with every entry.
    assert 0 < len(feats) < len(index.calibration[0])
    assert out.any()
    assert 0.0 < sampled.threshold < 1.0
    assert sampled.match("Dove trovo le mie fatture?").candidates[0].key == "faq:invoice"
