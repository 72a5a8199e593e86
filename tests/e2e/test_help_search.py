"""The help center's search in a real browser: results appear while typing (htmx, no reload),
a result opens its article, a transcript hit opens the video at its moment, the page works
without JavaScript, a hostile snippet stays text, and the results fit a phone with no serious
accessibility violation in either theme or language.

Set TIERDESK_SCREENSHOTS=/some/dir to keep a screenshot of each page looked at.
"""

from __future__ import annotations

import pytest

from tierdesk.knowledge.models import Category, SearchMiss, Video
from tierdesk.knowledge.services.articles import article_create
from tierdesk.knowledge.services.videos import video_transcript_set

from .browsing import DESKTOP, PHONE, keep, open_page, overflow, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
Welcome to the tour of the console.

00:00:40.000 --> 00:00:44.000
Now we rotate the support PIN from the account page.
"""


@pytest.fixture
def content(db):
    category = Category.objects.create(slug="billing", name_en="Billing", name_it="Fatturazione")
    article_create(
        category=category,
        language="en",
        title="Download your invoices",
        body="Invoices are in the **billing** page. " * 8,
        publish=True,
    )
    article_create(
        category=category,
        language="it",
        title="Scaricare le fatture",
        body="Le fatture sono nella pagina della città e del caffè.",
        publish=True,
    )
    article_create(
        category=category,
        language="en",
        title="Hostile snippet",
        body='Beware <img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2</script>',
        publish=True,
    )
    video = Video.objects.create(
        slug="console-tour",
        title="Console tour",
        external_url="https://video.example/tour.mp4",
        duration_seconds=60,
        published=True,
    )
    video_transcript_set(video=video, vtt=VTT)


def test_results_appear_while_typing_and_a_result_opens(browser, live_server, content):
    from playwright.sync_api import expect

    page, violations = open_page(browser, live_server.url + "/help/search/", PHONE)
    page.evaluate("window.__sameDocument = true")
    page.locator("#id_q").press_sequentially("invoic", delay=40)
    expect(page.locator("#search-hits .search-hit").first).to_contain_text("Download your invoices")
    assert page.evaluate("window.__sameDocument") is True  # swapped in, never submitted
    expect(page.locator("#search-hits mark").first).to_have_text("Invoices")
    assert "q=invoic" in page.url  # the address follows, so back and reload keep the search
    keep(page, "help-search-typing-phone")
    assert overflow(page) == 0
    page.click("#search-hits a:has-text('Download your invoices')")
    page.wait_for_url("**/help/en/download-your-invoices/")
    expect(page.locator("h1")).to_contain_text("Download your invoices")
    assert violations == []


def test_a_transcript_hit_opens_the_video_at_its_moment(browser, live_server, content):
    from playwright.sync_api import expect

    page, violations = open_page(browser, live_server.url + "/help/search/", DESKTOP)
    page.locator("#id_q").press_sequentially("rotating pins", delay=30)
    hit = page.locator("#search-hits .search-hit[data-kind=transcript]")
    expect(hit).to_contain_text("0:40")
    expect(hit.locator("mark").first).to_have_text("rotate")
    hit.locator("a").click()
    page.wait_for_url("**/help/videos/console-tour/?t=40")
    expect(page.locator("h1")).to_contain_text("Console tour")
    assert violations == []


def test_accents_and_italian_plurals_while_typing(browser, live_server, content):
    from playwright.sync_api import expect

    page, _ = open_page(browser, live_server.url + "/help/search/", PHONE, "it-IT")
    page.locator("#id_q").press_sequentially("caffe fattura", delay=30)
    expect(page.locator("#search-hits .search-hit")).to_have_count(1)
    expect(page.locator("#search-hits")).to_contain_text("Scaricare le fatture")


def test_without_javascript_the_form_submits_and_a_miss_is_counted(browser, live_server, content):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/help/search/")
    page.fill("#id_q", "invoices")
    page.click("#search-form button[type=submit]")
    page.wait_for_url("**/help/search/?q=invoices*")
    assert "Download your invoices" in page.locator("#search-hits").inner_text()
    page.fill("#id_q", "teleportation")
    page.click("#search-form button[type=submit]")
    page.wait_for_url("**q=teleportation*")
    assert page.locator("#search-empty").is_visible()
    assert SearchMiss.objects.get().query == "teleportation"
    assert overflow(page) == 0


def test_hostile_text_in_a_snippet_stays_text(browser, live_server, content):
    dialogs: list[str] = []
    page, violations = open_page(browser, live_server.url + "/help/search/?q=beware", PHONE)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    snippet = page.locator("#search-hits .search-snippet").first
    assert "<script>" in snippet.inner_text()
    assert page.locator("#search-hits img, #search-hits script").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert violations == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("locale", ["en-US", "it-IT"])
def test_results_fit_a_phone_without_serious_violations(
    browser, live_server, content, scheme, locale
):
    for query in ("invoices", "nothing-at-all"):
        page, violations = open_page(
            browser, live_server.url + f"/help/search/?q={query}", PHONE, locale, scheme
        )
        keep(page, f"help-search-{query}-{locale}-{scheme}")
        assert overflow(page) == 0
        assert serious_violations(page) == []
        assert violations == []
