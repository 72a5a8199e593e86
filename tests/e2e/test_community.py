"""The forum in a real browser: hostile markdown runs nothing; a member asks, another answers
hours later and the asker, mailed, accepts the solution the next day, in English at 1366 px and
in Italian at 390 px (the clock moved with time-machine, which patches the live server's thread
too)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.translation import gettext

from tests.e2e.browsing import DESKTOP, PHONE, look, new_page, overflow
from tests.factories import AccountFactory, LicensePlanFactory, UserFactory, VendorUserFactory
from tierdesk.accounts.roles import Role
from tierdesk.community.models import ForumCategory, Thread
from tierdesk.community.selectors.forum_similar import cache_clear
from tierdesk.community.services.forum_posts import reply_create, thread_create
from tierdesk.notifications.models import OutboxMessage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONG_AGO = timezone.now() - timedelta(days=90)
HOSTILE = """Hello <script>window.__pwned = 1; alert(1)</script>

<img src=x onerror="window.__pwned = 2">
<svg onload="window.__pwned = 3"></svg>
<a href="javascript:window.__pwned=4">html link</a>
<iframe src="javascript:alert(5)"></iframe>
<style>body { display: none }</style>

[markdown link](javascript:window.__pwned=6) [data](data:text/html,<script>alert(7)</script>)
![image](javascript:alert(8))

```html
<script>alert("in a code block, shown as text")</script>
```
"""


@pytest.fixture
def forum(db) -> dict[str, Any]:
    cache_clear()
    account = AccountFactory(
        name="Hidden Account Ltd", license_plan=LicensePlanFactory(code="basic")
    )
    people = {
        "asker": UserFactory(
            account=account,
            email="asker@hidden.example",
            first_name="Ada",
            last_name="Lovelace",
            date_joined=LONG_AGO,
        ),
        "helper": UserFactory(
            account=account,
            email="helper@hidden.example",
            first_name="Grace",
            last_name="Hopper",
            date_joined=LONG_AGO,
        ),
        "agent": VendorUserFactory(role=Role.AGENT_L1, email="agent@vendor.example"),
    }
    categories = {
        "en": ForumCategory.objects.create(
            slug="calls", name="Calls and phones", product_area="phone", language="en"
        ),
        "it": ForumCategory.objects.create(
            slug="chiamate", name="Chiamate e telefoni", product_area="phone", language="it"
        ),
    }
    earlier = thread_create(
        actor=people["helper"],
        category=categories["en"],
        title="Calls drop after five minutes",
        body="Every call drops at 5:00.",
    )
    reply_create(actor=people["asker"], thread=earlier, body="Same here.")
    return {**people, **categories, "earlier": earlier}


def test_hostile_markdown_runs_no_script(browser, live_server, forum):
    thread = thread_create(
        actor=forum["asker"],
        category=forum["en"],
        title='<script>alert("title")</script> Hostile title',
        body=HOSTILE,
    )
    reply_create(actor=forum["helper"], thread=thread, body=HOSTILE)
    for who in (None, forum["agent"]):
        page, _violations = new_page(browser, DESKTOP, user=who, base_url=live_server.url)
        dialogs: list[str] = []

        def on_dialog(dialog: Any, seen: list[str] = dialogs) -> None:
            seen.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(f"{live_server.url}/community/t/{thread.pk}/")
        assert page.evaluate("window.__pwned") is None
        assert dialogs == []
        assert (
            page.locator(
                ".post-body script, .post-body img, .post-body svg, "
                ".post-body iframe, .post-body style"
            ).count()
            == 0
        )
        hrefs = page.eval_on_selector_all(
            ".post-body a", "els => els.map(e => e.getAttribute('href'))"
        )
        assert all(not (h or "").lower().startswith(("javascript:", "data:")) for h in hrefs)
        handlers = page.evaluate(
            "[...document.querySelectorAll('.post-body *')].flatMap(e => [...e.attributes]"
            ".map(a => a.name)).filter(n => n.startsWith('on'))"
        )
        assert handlers == []
        assert page.locator("h1").inner_text().startswith('<script>alert("title")</script>')
        assert (
            'alert("in a code block, shown as text")'
            in page.locator(".post-body pre").first.inner_text()
        )
        assert page.locator("body").is_visible()
        page.context.close()


TEXTS = {
    "en": {
        "title": "Calls drop after five minutes on our trunk",
        "body": "Since Monday every call drops at **5:00**.",
        "answer": "Raise the SIP session timer on the firewall to 1800 s.",
        "solved": "Solved",
        "accepted": "Accepted solution",
    },
    "it": {
        "title": "Le chiamate cadono dopo cinque minuti sul nostro trunk",
        "body": "Da lunedì ogni chiamata cade a **5:00**.",
        "answer": "Alza il timer di sessione SIP del firewall a 1800 s.",
        "solved": "Risolto",
        "accepted": "Soluzione accettata",
    },
}


@pytest.mark.parametrize(("language", "viewport"), [("en", DESKTOP), ("it", PHONE)])
def test_ask_answer_and_accept_a_solution(browser, live_server, forum, language, viewport):
    """The order people act in, with time passing: a member asks (from the assistant's hand-off);
    two hours later another finds it under "no replies" and answers; the asker, mailed in their
    language, comes back the next day by the e-mail's link, votes the answer up and accepts it;
    a visitor then finds the thread under "solved", the solution first."""
    texts = TEXTS[language]
    for person in ("asker", "helper"):
        forum[person].language = language
        forum[person].save(update_fields=["language"])
    locale = {"en": "en-US", "it": "it-IT"}[language]
    base = live_server.url
    start = timezone.now().replace(microsecond=0)

    with time_machine.travel(start, tick=True) as clock_hand:
        # 1. The asker comes from the assistant's hand-off with the question filled in.
        page, _violations = new_page(
            browser, viewport, locale=locale, user=forum["asker"], base_url=base
        )
        page.goto(f"{base}/community/new/?title=calls")
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("#similar-threads").count() == 1  # the hand-off's title, looked up
        # A fresh form shows nothing similar until the title is typed.
        page.goto(f"{base}/community/new/")
        assert page.locator("#similar-threads").count() == 0
        page.select_option("#id_category", str(forum[language].pk))
        page.locator("#id_title").press_sequentially(texts["title"][:40], delay=5)
        # Similar threads appear while typing (htmx, debounced): the earlier English one.
        page.locator("#similar-threads").get_by_text("Calls drop after five minutes").wait_for()
        page.fill("#id_title", texts["title"])
        page.fill("#id_body", texts["body"])
        assert overflow(page) == 0
        page.locator("#thread-form button[type=submit]").click()
        page.wait_for_url(f"{base}/community/t/*/")
        thread = Thread.objects.get(title=texts["title"])
        assert page.locator("h1").inner_text() == texts["title"]
        page.context.close()

        # 2. Two hours later another member looks for questions nobody has answered yet.
        clock_hand.move_to(start + timedelta(hours=2))
        helper, _violations = new_page(
            browser, viewport, locale=locale, user=forum["helper"], base_url=base
        )
        helper.goto(f"{base}/community/c/{forum[language].slug}/?state=unanswered")
        helper.get_by_role("link", name=texts["title"]).click()
        helper.wait_for_url(f"{base}/community/t/{thread.pk}/")
        helper.fill("#reply-form textarea[name=body]", texts["answer"])
        helper.locator("#reply-form button[type=submit]").click()
        helper.wait_for_url(f"{base}/community/t/{thread.pk}/*")
        assert texts["answer"] in helper.locator("#replies").inner_text()
        assert overflow(helper) == 0
        helper.context.close()
        helper_post = thread.posts.get(author=forum["helper"])
        assert helper_post.created_at >= start + timedelta(hours=2)

        # The asker follows their own thread: one e-mail, in their language, names no address.
        mail = OutboxMessage.objects.get(recipient=forum["asker"], template="community_post")
        assert mail.language == language and "/community/unsubscribe/" in mail.body_text
        assert "hidden.example" not in mail.body_text + mail.subject
        link = re.search(r"/community/t/\d+/\S*", mail.body_text)
        assert link is not None and link.group(0).startswith(f"/community/t/{thread.pk}/")

        # 3. The next day the asker follows the e-mail's link, votes the answer up, accepts it.
        clock_hand.move_to(start + timedelta(days=1, hours=1))
        asker, _violations = new_page(
            browser, viewport, locale=locale, user=forum["asker"], base_url=base
        )
        asker.goto(base + link.group(0))
        asker.locator(f"form[action$='/p/{helper_post.pk}/vote/'] button").first.click()
        asker.wait_for_url(f"{base}/community/t/{thread.pk}/*")
        assert asker.locator(f"#post-{helper_post.pk} .score").inner_text() == "1"
        asker.locator("#replies button.accept").first.click()
        asker.wait_for_url(f"{base}/community/t/{thread.pk}/")
        assert (
            texts["solved"]
            in asker.locator("h1 + .badge, .badge.text-bg-success").first.inner_text()
        )
        first_card = asker.locator("article").nth(1)
        assert (
            texts["accepted"] in first_card.inner_text()
            and texts["answer"] in first_card.inner_text()
        )
        with translation.override(language):
            reputation = gettext("%(n)s reputation") % {"n": 10 + 15}  # an up-vote, a solution
        assert reputation in first_card.inner_text()
        html = asker.content()
        assert "hidden.example" not in html and "Hidden Account Ltd" not in html
        look(asker, f"community-thread-solved-{language}")
        asker.context.close()

        # 4. Later a visitor, signed out, finds it among the solved threads.
        clock_hand.move_to(start + timedelta(days=2))
        visitor, _violations = new_page(browser, viewport, locale=locale, base_url=base)
        visitor.goto(f"{base}/community/c/{forum[language].slug}/?state=solved")
        visitor.get_by_role("link", name=texts["title"]).click()
        visitor.wait_for_url(f"{base}/community/t/{thread.pk}/")
        assert texts["accepted"] in visitor.locator("article").nth(1).inner_text()
        visitor.goto(f"{base}/community/c/{forum[language].slug}/?state=unanswered")
        assert visitor.get_by_role("link", name=texts["title"]).count() == 0
        visitor.context.close()
    thread.refresh_from_db()
    assert thread.accepted_post == helper_post
