"""The assistant learns from what it could not answer, in a real browser, with time passing.

A Basic customer asks the assistant something it knows nothing about: it says it is not sure
and offers the help center's search and the community. Half an hour later a visitor asks the
same thing in other words. That afternoon an agent opens the unanswered questions, finds both
wordings in one group, turns the group into an FAQ entry (the form prefilled with them), writes
the answer and saves. The next day the customer asks again: the assistant answers with the new
entry and cites it; the customer says it helped, and the agent sees that in the conversation log
(one conversation in three deflected).

Runs at 1366 px in English and at 390 px in Italian (each person's saved language). The clock is
moved with time-machine (it patches the live server's thread too), forward from now.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.e2e.browsing import new_page
from tests.e2e.test_case_core_walk import Walk
from tests.factories import AccountFactory, LicensePlanFactory, UserFactory, VendorUserFactory
from tierdesk.accounts.roles import Role
from tierdesk.assistant.models import FaqEntry, Turn

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

QUESTION = {
    "en": "How do I export my contacts to a CSV file?",
    "it": "Come esporto i miei contatti in un file CSV?",
}
OTHER_WORDS = {"en": "export contacts as csv", "it": "esportare i contatti in csv"}
UNSURE = "I am not sure I can answer that correctly. These may help:"
ANSWER = "Open **Contacts**, choose *Export* and pick CSV."


def _ask(page, question: str):
    from playwright.sync_api import expect

    if not page.locator("#assistant-box").is_visible():
        page.locator("#assistant-panel summary").click()
    before = page.locator("#assistant-turns .assistant-turn").count()
    page.locator("#assistant-question").fill(question)
    page.locator("#assistant-question").press("Enter")
    turns = page.locator("#assistant-turns .assistant-turn")
    expect(turns).to_have_count(before + 1, timeout=20000)
    return turns.last


@pytest.mark.parametrize(("width", "lang"), [("desktop", "en"), ("phone", "it")])
def test_an_unanswered_question_becomes_an_faq_entry_that_answers_the_next_day(
    browser, live_server, quiet_assistant, width, lang
):
    from playwright.sync_api import expect

    account = AccountFactory(name="Acme", license_plan=LicensePlanFactory(code="basic"))
    customer = UserFactory(account=account, email="ada@acme.example", language=lang)
    agent = VendorUserFactory(role=Role.AGENT_L1, email="l1@vendor.example", language=lang)
    walk = Walk(browser, live_server.url, width, lang)
    base = live_server.url
    start = timezone.now().replace(microsecond=0)

    with time_machine.travel(start, tick=True) as clock_hand:
        # 1. The customer asks; nothing is known yet: unsure, with the search and the community.
        page, violations = new_page(browser, walk.viewport, user=customer, base_url=base)
        page.goto(f"{base}/help/")
        walk.in_language(page)
        turn = _ask(page, QUESTION[lang])
        expect(turn).to_contain_text(walk.t(UNSURE))
        expect(turn.get_by_role("link", name=walk.t("Ask the community"))).to_be_visible()
        walk.fits(page, "1-unsure")
        page.context.close()

        # 2. Half an hour later a visitor asks the same in other words.
        clock_hand.move_to(start + timedelta(minutes=30))
        visitor, visitor_violations = new_page(
            browser, walk.viewport, locale={"en": "en-US", "it": "it-IT"}[lang], base_url=base
        )
        visitor.goto(f"{base}/help/")
        turn = _ask(visitor, OTHER_WORDS[lang])
        expect(turn).to_contain_text(walk.t(UNSURE))
        visitor.context.close()

        # 3. That afternoon an agent turns the group of both wordings into an FAQ entry.
        clock_hand.move_to(start + timedelta(hours=4))
        console, console_violations = new_page(browser, walk.viewport, user=agent, base_url=base)
        console.goto(f"{base}/assistant/staff/unanswered/")
        walk.in_language(console)
        rows = console.locator("#unanswered tbody tr")
        expect(rows).to_have_count(1)  # one meaning, two wordings
        expect(rows.first).to_contain_text("2")
        walk.fits(console, "3-unanswered")
        rows.first.get_by_role("link", name=walk.t("Turn this into an FAQ entry")).click()
        console.wait_for_url("**/assistant/staff/faq/new/**")
        assert console.locator("#id_question").input_value() in (QUESTION[lang], OTHER_WORDS[lang])
        wordings = console.locator("#id_phrasings").input_value()
        assert QUESTION[lang] in wordings or OTHER_WORDS[lang] in wordings
        assert console.locator("#id_language").input_value() == lang
        console.locator("#id_answer").fill(ANSWER)
        walk.fits(console, "3-faq-form")
        console.locator("#faq-form button[type=submit]").click()
        console.wait_for_url(f"{base}/assistant/staff/faq/")
        entry = FaqEntry.objects.get()
        assert entry.published and entry.language == lang

        # 4. The next day the customer asks again: answered with the entry, which is cited.
        clock_hand.move_to(start + timedelta(days=1, hours=2))
        page, later_violations = new_page(browser, walk.viewport, user=customer, base_url=base)
        page.goto(f"{base}/help/")
        turn = _ask(page, QUESTION[lang])
        expect(turn).to_contain_text("choose Export and pick CSV")
        expect(turn.get_by_role("link", name=entry.question)).to_be_visible()
        turn.get_by_role("button", name=walk.t("Yes")).click()
        expect(turn).to_contain_text(walk.t("Thank you: glad it helped."))
        walk.fits(page, "4-answered")
        answered = Turn.objects.filter(conversation__user=customer).latest("pk")
        assert answered.helpful is True and answered.created_at >= start + timedelta(days=1)
        page.context.close()

        # 5. The agent sees it in the conversation log: one conversation of three deflected,
        # the newest answered and found helpful; opened, it shows the question.
        console.goto(f"{base}/assistant/staff/")
        expect(console.locator("#deflection")).to_contain_text("33%")
        newest = console.locator("main table tbody tr").first
        cells = [text.strip() for text in newest.locator("td").all_inner_texts()]
        assert "(Acme)" in cells[1] and cells[2:4] == ["1", "1"], cells
        assert cells[4].split()[:2] == ["1", "0"] and cells[5] == "—", cells
        walk.fits(console, "5-log")
        newest.locator("a").first.click()
        expect(console.locator("main")).to_contain_text(QUESTION[lang])
        console.context.close()
    assert violations == [] and visitor_violations == []
    assert console_violations == [] and later_violations == []
