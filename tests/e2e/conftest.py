"""Browser tests: Playwright's sync API drives Debian's chromium against the live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless chromium for the session; the tests skip when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
    # thread with a running loop unless told that it is safe (the tests are single-threaded).
    # Set only while the browser runs: a process started by another test must not inherit it
    # (`check --deploy` rightly refuses it).
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def quiet_assistant(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The assistant answers with its best entry (threshold 0) and never asks which one was
    meant (margin 0): the engine's calibration has its own tests, the pages are checked here.
    With no entry it still cannot answer, and asking for a person hands off at any threshold."""
    from tierdesk.assistant.retrieval import RetrievalSettings
    from tierdesk.assistant.selectors import faq_index

    monkeypatch.setattr(faq_index, "RETRIEVAL", RetrievalSettings(threshold=0.0, margin=0.0))
    faq_index.assistant_index_forget()
    yield
    faq_index.assistant_index_forget()
