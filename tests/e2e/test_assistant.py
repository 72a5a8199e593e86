"""The assistant in a real browser: a visitor asks in Italian about an English entry and gets a
cited answer, at 390 and 1366 px, with the keyboard only (Escape closes, focus returns); the
conversation follows them to the next page; a paid customer is handed off to a case."""

from __future__ import annotations

import pytest

from tests.e2e.browsing import DESKTOP, PHONE, look, new_page
from tests.factories import (
    AccountFactory,
    LicensePlanFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
)
from tierdesk.accounts.models import SupportNumber
from tierdesk.assistant.models import FaqEntry
from tierdesk.tickets.choices import Channel
from tierdesk.tickets.models import Case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ALWAYS_OPEN = [(day, 0, 1440) for day in range(7)]


@pytest.fixture
def world(db, quiet_assistant):
    for question, phrasings, answer in (
        (
            "How many people can join a meeting?",
            "maximum number of meeting participants\nlarge meetings limit",
            "A meeting takes up to **300 participants**.",
        ),
        (
            "How do I reset my password?",
            "I forgot my password",
            "Choose **Forgot your password?** on the sign-in page.",
        ),
        (
            "Where can I find my invoices?",
            "download an invoice",
            "Under **Billing → Invoices**.",
        ),
    ):
        FaqEntry.objects.create(
            language="en", question=question, phrasings=phrasings, answer=answer
        )
    region = SupportRegionFactory(code="it", name="Italy", windows=ALWAYS_OPEN)
    SupportNumber.objects.create(region=region, line="first", number="+390200000101")
    account = AccountFactory(
        license_plan=LicensePlanFactory(code="pro"),
        support_plan=SupportPlanFactory(code="access"),
        region=region,
    )
    return {"customer": UserFactory(account=account, email="ada@acme.example")}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
def test_an_italian_question_gets_the_english_entry_cited(browser, live_server, world, viewport):
    from playwright.sync_api import expect

    page, violations = new_page(browser, viewport, locale="it-IT")
    page.goto(live_server.url + "/help/")
    toggle = page.locator("#assistant-panel summary")
    toggle.focus()
    page.keyboard.press("Enter")
    question = page.get_by_label("La tua domanda")
    expect(question).to_be_focused()
    question.fill("Quante persone possono partecipare a una riunione?")
    page.keyboard.press("Enter")
    turn = page.locator("#assistant-turns .assistant-turn").last
    expect(turn).to_contain_text("300 participants", timeout=20000)
    source = turn.get_by_role("link", name="How many people can join a meeting?")
    expect(source).to_be_visible()
    expect(question).to_have_value("")
    look(page, f"assistant-answer-{viewport['width']}")
    # Escape closes the panel and gives the focus back to its button.
    page.keyboard.press("Escape")
    expect(page.locator("#assistant-box")).to_be_hidden()
    expect(toggle).to_be_focused()
    # Opened again, it stays open on the next page with the conversation, without the focus;
    # on a phone it stays closed there until opened (it would cover the page).
    page.keyboard.press("Enter")
    expect(question).to_be_focused()
    page.goto(live_server.url + "/help/search/")
    if viewport == PHONE:
        expect(page.locator("#assistant-box")).to_be_hidden()
        toggle.click()
    else:
        expect(page.locator("#assistant-box")).to_be_visible()
        expect(question).not_to_be_focused()
    expect(page.locator("#assistant-turns")).to_contain_text("300 participants", timeout=10000)
    # The cited entry opens.
    page.locator("#assistant-turns").get_by_role("link", name="How many people").first.click()
    expect(page.locator("h1")).to_have_text("How many people can join a meeting?")
    assert violations == []
    page.context.close()


def test_a_paid_customer_is_handed_off_to_a_case(browser, live_server, world):
    from playwright.sync_api import expect

    page, violations = new_page(browser, DESKTOP, user=world["customer"], base_url=live_server.url)
    page.goto(live_server.url + "/cases/")
    page.locator("#assistant-panel summary").click()
    page.get_by_label("Your question").fill("I need to talk to a person")
    page.get_by_role("button", name="Ask").click()
    turn = page.locator("#assistant-turns .assistant-turn").last
    expect(turn).to_contain_text("+39 02 0000 0101", timeout=20000)  # as on the home page
    expect(turn).to_contain_text(world["customer"].account.support_pin)
    turn.get_by_role("button", name="open a case").click()
    link = page.locator("#assistant-turns").get_by_role("link", name="is open")
    expect(link).to_be_visible(timeout=10000)
    expect(link).to_be_focused()
    case = Case.objects.get()
    assert case.channel == Channel.ASSISTANT and case.requester == world["customer"]
    assert "I need to talk to a person" in case.description
    link.click()
    expect(page).to_have_url(f"{live_server.url}/cases/{case.pk}/")
    assert violations == []
    page.context.close()


def test_on_a_phone_the_panel_does_not_follow_onto_the_next_page(browser, live_server, world):
    """Opened on one page, it neither takes the focus (the keyboard) nor covers the next page's
    submit button at 390 px."""
    from playwright.sync_api import expect

    page, violations = new_page(browser, PHONE, user=world["customer"], base_url=live_server.url)
    page.goto(live_server.url + "/cases/")
    page.locator("#assistant-panel summary").click()
    expect(page.locator("#assistant-question")).to_be_focused()
    page.goto(live_server.url + "/cases/new/")
    page.wait_for_load_state("load")
    assert page.evaluate("document.activeElement && document.activeElement.id") != (
        "assistant-question"
    )
    expect(page.locator("#assistant-box")).to_be_hidden()
    submit = page.locator("main form button[type=submit]").last
    submit.scroll_into_view_if_needed()
    submit.click(trial=True, timeout=5000)  # fails when another element would get the click
    assert violations == []
    page.context.close()


def test_without_javascript_the_panel_posts_to_the_full_page(browser, live_server, world):
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/help/")
    page.locator("#assistant-panel summary").click()
    page.get_by_label("Your question").fill("I forgot my password")
    page.get_by_role("button", name="Ask").click()
    assert page.url.startswith(f"{live_server.url}/assistant/#turn-")
    expect(page.locator("#assistant-turns")).to_contain_text("Forgot your password?")
    context.close()
