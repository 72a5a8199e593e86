"""The help center's search fused with the multilingual embeddings: an Italian question finds
an English-only article, visibility and language still hold, the per-process matrix follows
the index's version, a query is encoded once, and the case form's suggestions use it too.

These run the real encoder (the assistant's multilingual USE, loaded once per process)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tierdesk.knowledge.choices import Visibility
from tierdesk.knowledge.models import SearchEntry
from tierdesk.knowledge.selectors import semantic
from tierdesk.knowledge.selectors.deflection import suggested_translations
from tierdesk.knowledge.selectors.search import fuse, search
from tierdesk.knowledge.selectors.semantic import Neighbour
from tierdesk.knowledge.services.search import search_embeddings_fill, search_index_rebuild

from .conftest import make_article

pytestmark = pytest.mark.django_db

ITALIAN_QUESTION = "come reimposto la password"


@pytest.fixture(autouse=True)
def semantic_on(settings) -> Any:
    settings.KNOWLEDGE_SEMANTIC_SEARCH = True
    semantic._cache.clear()
    yield
    semantic._cache.clear()


@pytest.fixture
def help_center(category) -> dict[str, Any]:
    return {
        "password": make_article(
            category,
            title="Reset your password",
            body="Forgot your password? Open Settings, choose Security and click *Reset "
            "password*: we send a link to your e-mail address.",
        ),
        "invoice": make_article(
            category,
            title="Pay an invoice by credit card",
            body="Open Billing, choose the invoice and pay it with a credit card.",
        ),
        "phone": make_article(
            category,
            title="Configurare il telefono",
            body="Collega il telefono alla rete e inserisci il numero interno.",
            language="it",
        ),
    }


def test_entries_carry_their_embedding(help_center):
    entry = SearchEntry.objects.get(title="Reset your password")
    vector = np.frombuffer(bytes(entry.embedding), dtype=np.float16)
    assert vector.shape == (512,)
    assert abs(float(np.linalg.norm(vector.astype(np.float32))) - 1.0) < 0.01


def test_an_italian_question_finds_the_english_only_article(help_center):
    results = search(None, ITALIAN_QUESTION)
    assert results.hits, "nothing found"
    first = results.hits[0]
    assert (first.title, first.language) == ("Reset your password", "en")
    assert first.url == "/help/en/reset-your-password/"
    assert "Pay an invoice by credit card" not in [hit.title for hit in results.hits]
    assert results.total == len(results.hits)


def test_the_language_filter_holds(help_center):
    assert search(None, ITALIAN_QUESTION, language="it").hits == []
    english = search(None, ITALIAN_QUESTION, language="en").hits
    assert [hit.title for hit in english] == ["Reset your password"]


def test_a_reader_never_gets_a_neighbour_they_may_not_read(category, readers):
    make_article(
        category,
        title="Reset an agent's password",
        body="Agents reset passwords from the console.",
        visibility=Visibility.AGENTS,
    )
    assert search(readers["visitor"], ITALIAN_QUESTION).hits == []
    assert search(readers["paid_member"], ITALIAN_QUESTION).hits == []
    titles = [hit.title for hit in search(readers["agent"], ITALIAN_QUESTION).hits]
    assert titles == ["Reset an agent's password"]


def test_an_unrelated_question_finds_nothing_by_meaning(help_center):
    assert search(None, "previsioni del tempo a Napoli domani").hits == []


def test_the_matrix_follows_the_index_and_a_query_is_encoded_once(
    help_center, category, monkeypatch
):
    search(None, ITALIAN_QUESTION)
    first = semantic.matrix()
    assert semantic.matrix() is first  # unchanged index: the same matrix
    calls: list[str] = []
    real = semantic.query_vector.__wrapped__
    semantic.query_vector.cache_clear()
    monkeypatch.setattr(
        semantic,
        "query_vector",
        semantic.lru_cache(maxsize=8)(lambda t: calls.append(t) or real(t)),
    )
    make_article(category, title="Change your e-mail address", body="Open your profile.")
    assert semantic.matrix() is not first  # the index changed: read again
    assert len(semantic.matrix().ids) == 4
    search(None, ITALIAN_QUESTION)
    search(None, ITALIAN_QUESTION)
    assert calls == [ITALIAN_QUESTION]


def test_a_large_change_is_embedded_by_the_task(help_center, django_capture_on_commit_callbacks):
    SearchEntry.objects.update(embedding=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert search_index_rebuild() == 3
    # The test settings run tasks at once, on commit: the rebuild's entries are embedded.
    assert not SearchEntry.objects.filter(embedding__isnull=True).exists()
    assert search_embeddings_fill() == 0


def test_reciprocal_rank_fusion():
    lexical = [(1, 9.0), (2, 5.0), (3, 1.0)]
    meaning = [Neighbour(3, "article", 0.7), Neighbour(4, "article", 0.6)]
    # 3 is in both lists and rises to the top; 4, found by meaning only, ties with 2 (both
    # second in their list) and a tie keeps the lexical order.
    assert [pk for pk, _score in fuse(lexical, meaning)] == [3, 1, 2, 4]
    assert [pk for pk, _score in fuse(lexical, [])] == [1, 2, 3]


def test_case_form_suggestions_are_language_agnostic(help_center, readers):
    found = suggested_translations(readers["paid_member"], ITALIAN_QUESTION)
    assert [(t.language, t.title) for t in found] == [("en", "Reset your password")]


def test_a_large_index_goes_through_its_principal_directions(help_center, monkeypatch):
    monkeypatch.setattr(semantic, "EXACT_LIMIT", 1)
    monkeypatch.setattr(semantic, "SHORTLIST", 1)
    assert semantic.matrix().projection is not None
    assert [hit.title for hit in search(None, ITALIAN_QUESTION).hits] == ["Reset your password"]
