"""A guide read through in a real browser: a signed-in member starts it from the table of
contents, follows "next" to the end, and finds both chapters ticked and "2 of 2 read"; an
Italian reader gets the Italian chapter at the English address. Phone width, no CSP violation.
"""

from __future__ import annotations

import pytest

from tests.factories import UserFactory

from .browsing import PHONE, keep, new_page, open_page, overflow
from .help_media import guide_and_video

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def guide(media):
    return guide_and_video()["guide"]


def test_a_member_reads_a_guide_to_the_end(browser, live_server, guide):
    member = UserFactory(email="reader@example.com")
    page, violations = new_page(browser, PHONE, user=member, base_url=live_server.url)
    page.goto(f"{live_server.url}/help/guides/{guide.slug}/")
    assert "0 of 2 read" in page.locator("#guide-progress").inner_text()
    page.click("#guide-continue")
    assert "Chapter 1 of 2" in page.locator("#chapter-position").inner_text()
    page.click(".chapter-next")
    assert "Chapter 2 of 2" in page.locator("#chapter-position").inner_text()
    assert "2 of 2 read" in page.locator("#guide-progress").inner_text()
    assert page.locator(".chapter-read").count() == 2
    keep(page, "help-guide-read-phone")
    assert overflow(page) == 0
    page.click("text=Back to the guide")
    assert page.locator("#guide-toc .chapter-read").count() == 2
    assert violations == []


def test_an_italian_visitor_reads_the_italian_chapter(browser, live_server, guide):
    url = f"{live_server.url}/help/guides/{guide.slug}/signing-in-for-the-first-time/"
    page, violations = open_page(browser, url, PHONE, "it-IT")
    assert page.url.endswith("/il-primo-accesso/")
    assert page.locator("#chapter-title").inner_text() == "Il primo accesso"
    assert "Capitolo 1 di 2" in page.locator("#chapter-position").inner_text()
    assert page.locator("#guide-progress").count() == 0  # visitors keep no record
    assert violations == []
