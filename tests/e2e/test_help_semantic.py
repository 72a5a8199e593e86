"""The help center's search fused with the multilingual embeddings, in a real browser: an
Italian reader types a question in Italian and, while typing, gets the English-only article
that answers it, marked as English; the result opens the article.

Runs the real sentence encoder (loaded once in the test process, which serves the pages).
"""

from __future__ import annotations

import pytest

from tierdesk.knowledge.models import Category
from tierdesk.knowledge.selectors import semantic
from tierdesk.knowledge.services.articles import article_create

from .browsing import PHONE, keep, open_page, overflow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def content(db, settings):
    settings.KNOWLEDGE_SEMANTIC_SEARCH = True
    semantic._cache.clear()
    category = Category.objects.create(slug="account", name_en="Account", name_it="Account")
    article_create(
        category=category,
        language="en",
        title="Reset your password",
        body="Forgot your password? Open Settings, choose Security and click *Reset password*: "
        "we send a link to your e-mail address.",
        publish=True,
    )
    article_create(
        category=category,
        language="en",
        title="Pay an invoice by credit card",
        body="Open Billing, choose the invoice and pay it with a credit card.",
        publish=True,
    )
    yield
    semantic._cache.clear()


def test_an_italian_question_finds_the_english_article(browser, live_server, content):
    from playwright.sync_api import expect

    page, violations = open_page(browser, live_server.url + "/help/search/", PHONE, locale="it-IT")
    page.locator("#id_q").press_sequentially("come reimposto la password", delay=30)
    hits = page.locator("#search-hits .search-hit")
    expect(hits.first).to_contain_text("Reset your password", timeout=15_000)
    expect(hits.first).to_contain_text("Inglese")  # the result's language, marked
    expect(page.locator("#search-hits")).not_to_contain_text("Pay an invoice")
    keep(page, "help-search-semantic-it-phone")
    assert overflow(page) == 0
    page.click("#search-hits a:has-text('Reset your password')")
    page.wait_for_url("**/help/en/reset-your-password/")
    expect(page.locator("h1")).to_contain_text("Reset your password")
    assert violations == []
