"""The help center's article pages in a real browser: hostile markdown stays inert, the pages fit
a 390 px phone under the CSP with no serious accessibility violation, "was this helpful?" works
with htmx and without JavaScript, and the staff's history page restores a version.

Set TIERDESK_SCREENSHOTS=/some/dir to keep a screenshot of each page looked at.
"""

from __future__ import annotations

import pytest

from tests.factories import DEFAULT_PASSWORD, StaffAdminFactory
from tierdesk.knowledge.models import ArticleFeedback, Category
from tierdesk.knowledge.services.articles import (
    article_create,
    translation_publish,
    translation_save,
)

from .browsing import PHONE, WIDTHS, keep, open_page, overflow, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HOSTILE = """Read this carefully.

<script>window.__pwned = 'script'</script>

<img src="x" onerror="window.__pwned = 'onerror'">

<a href="#" onclick="window.__pwned = 'onclick'">a raw link</a>

[a javascript link](javascript:window.__pwned='href')

[a shouting link](JAVASCRIPT:window.__pwned='HREF')

[a data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

![an image](javascript:window.__pwned='img')

<javascript:window.__pwned='autolink'>

<svg onload="window.__pwned = 'svg'"></svg>

<iframe src="javascript:window.__pwned='iframe'"></iframe>

Done.
"""

LONG = """A very long word: Donaudampfschifffahrtsgesellschaftskapitänskajütenschlüsselanhänger
and a URL https://example.com/a/really/long/path/that/goes/on/and/on/without/any/break/at/all

| Plan | Web tickets | Phone first line | Phone second line | Engineering | Queue weight |
|------|-------------|------------------|-------------------|-------------|--------------|
| Basic | no | no | no | no | none |
| Enterprise | yes | yes | yes | yes | 4 |

```
tierdesk kb export /var/lib/tierdesk/help-center-export-with-a-long-directory-name --verbose
```
"""


@pytest.fixture
def articles(db):
    category = Category.objects.create(slug="billing", name_en="Billing", name_it="Fatturazione")
    hostile = article_create(
        category=category, language="en", title="Hostile", body=HOSTILE, publish=True
    )
    long = article_create(
        category=category,
        language="en",
        title="Plans compared",
        summary="Which plan includes what.",
        body=LONG,
        publish=True,
    )
    italian = translation_save(
        article=long, language="it", title="Piani a confronto", body=LONG, summary="I piani."
    )
    translation_publish(translation=italian)
    return {"hostile": hostile, "long": long}


def test_hostile_markdown_stays_inert(browser, live_server, articles):
    dialogs: list[str] = []
    page, violations = open_page(browser, live_server.url + "/help/en/hostile/", PHONE)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    body = page.locator(".article-body")
    assert "Read this carefully." in body.inner_text()
    inert = page.evaluate(
        """() => {
          const body = document.querySelector('.article-body');
          const all = [...body.querySelectorAll('*')];
          return {
            scripts: body.querySelectorAll('script, iframe, svg, object, embed').length,
            handlers: all.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
            badLinks: [...body.querySelectorAll('[href], [src]')]
              .map(e => e.getAttribute('href') || e.getAttribute('src'))
              .filter(u => !/^(https?:|mailto:|#|\\/)/i.test(u.trim())),
          };
        }"""
    )
    assert inert == {"scripts": 0, "handlers": 0, "badLinks": []}
    for link in body.locator("a").all():
        link.click(no_wait_after=True)
    page.goto(live_server.url + "/help/en/hostile/")
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    keep(page, "help-hostile-phone")
    assert violations == []


@pytest.mark.parametrize("locale", ["en-US", "it-IT"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_article_and_its_category_fit_the_window(browser, live_server, articles, width, locale):
    for path in ("/help/en/plans-compared/", "/help/it/piani-a-confronto/", "/help/c/billing/"):
        page, violations = open_page(browser, live_server.url + path, WIDTHS[width], locale)
        keep(page, f"help{path.replace('/', '-')}{width}-{locale}")
        assert overflow(page) == 0, path
        assert violations == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_article_page_has_no_serious_accessibility_violations(
    browser, live_server, articles, scheme
):
    page, _ = open_page(
        browser, live_server.url + "/help/en/plans-compared/", PHONE, "it-IT", scheme
    )
    assert serious_violations(page) == []


def test_feedback_with_htmx_then_the_language_switch(browser, live_server, articles):
    from playwright.sync_api import expect

    page, violations = open_page(browser, live_server.url + "/help/en/plans-compared/", PHONE)
    page.fill("#id_comment", "Clear, thanks.")
    page.click("#feedback button[value=yes]")
    expect(page.locator("#feedback [role=status]")).to_be_visible()
    assert page.url.endswith("/help/en/plans-compared/")  # swapped in place, no reload
    row = ArticleFeedback.objects.get()
    assert row.helpful and row.comment == "Clear, thanks."
    page.click(".knowledge-languages a[hreflang=it]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#article-title")).to_have_text("Piani a confronto")
    assert overflow(page) == 0
    assert violations == []


def test_feedback_without_javascript(browser, live_server, articles):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/help/en/plans-compared/")
    page.click("#feedback button[value=no]")
    page.wait_for_load_state()
    assert page.url.endswith("/help/en/plans-compared/#feedback")
    assert "Thank you for your feedback." in page.locator(".messages").inner_text()
    assert ArticleFeedback.objects.get().helpful is False
    assert overflow(page) == 0


def test_staff_history_restores_a_version_on_a_phone(browser, live_server, articles):
    from playwright.sync_api import expect

    admin = StaffAdminFactory(email="writer@vendor.example")
    long = articles["long"]
    translation_save(article=long, language="en", title="Plans compared", body="Short now.")
    page, violations = open_page(browser, live_server.url + "/accounts/login/", PHONE)
    page.fill("input[name=username]", admin.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(live_server.url + "/help/en/plans-compared/history/")
    expect(page.locator("#diff .diff-add").first).to_be_visible()
    keep(page, "help-history-phone")
    assert overflow(page) == 0
    assert serious_violations(page) == []
    page.click("tr[data-version='1'] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Version 1 restored as version 3.")
    assert overflow(page) == 0
    page.goto(live_server.url + "/help/en/plans-compared/")
    expect(page.locator("#staff-tools")).to_be_visible()
    assert overflow(page) == 0
    page.goto(live_server.url + "/help/review/")
    keep(page, "help-reviews-phone")
    assert overflow(page) == 0
    assert serious_violations(page) == []
    assert violations == []
