"""Deflection in a real browser: while a customer types a new case's subject, the help center's
matching articles appear (htmx) and one opens in a new tab through the counted click-through;
in the console, an agent searches the help center from the reply form and inserts a markdown
link to an article into the reply at the caret. No CSP violation on either page.
"""

from __future__ import annotations

import pytest

from tests.e2e.browsing import DESKTOP, PHONE, new_page
from tests.factories import (
    AccountFactory,
    LicensePlanFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.roles import Role
from tierdesk.knowledge.choices import Visibility
from tierdesk.knowledge.models import Category, Deflection
from tierdesk.knowledge.services.articles import article_create
from tierdesk.tickets.services.cases import case_assign, case_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ALWAYS_OPEN = [(day, 0, 1440) for day in range(7)]


@pytest.fixture
def world(db):
    region = SupportRegionFactory(code="it", name="Italy", windows=ALWAYS_OPEN)
    account = AccountFactory(
        license_plan=LicensePlanFactory(code="business"),
        support_plan=SupportPlanFactory(code="premier"),
        region=region,
    )
    customer = UserFactory(account=account, email="ada@acme.example", role=Role.ACCOUNT_ADMIN)
    agent = VendorUserFactory(role=Role.AGENT_L1, region=region, email="l1@vendor.example")
    category = Category.objects.create(slug="phones", name_en="Phones")
    article_create(
        category=category,
        language="en",
        title="Voicemail greeting is cut short",
        body="Record the greeting again, **slowly**.",
        publish=True,
    )
    article_create(
        category=category,
        language="en",
        title="Voicemail internals for staff",
        body="Only for us.",
        visibility=Visibility.AGENTS,
        publish=True,
    )
    case = case_create(
        actor=customer, subject="Greeting cut", description="It stops early.", severity=3
    )
    case_assign(actor=agent, case=case, assignee=agent)
    return {"customer": customer, "agent": agent, "case": case}


def signed_in_page(browser, live_server, user, viewport):
    return new_page(browser, viewport, user=user, base_url=live_server.url)


def test_the_case_form_suggests_articles_while_typing(browser, live_server, world):
    from playwright.sync_api import expect

    page, violations = signed_in_page(browser, live_server, world["customer"], PHONE)
    page.goto(live_server.url + "/cases/new/")
    page.locator("#id_subject").press_sequentially("voicemail greeting", delay=30)
    suggestions = page.locator("#case-suggestions-list")
    expect(suggestions).to_be_visible(timeout=5000)
    link = suggestions.get_by_role("link", name="Voicemail greeting is cut short")
    expect(link).to_be_visible()
    # Agents-only articles are never suggested to a customer.
    expect(suggestions).not_to_contain_text("internals")
    with page.context.expect_page() as opened:
        link.click()
    article = opened.value
    article.wait_for_load_state()
    assert article.url.endswith("/help/en/voicemail-greeting-is-cut-short/?from=case-form")
    visit = Deflection.objects.get()
    assert visit.opened is not None and visit.deflected
    assert violations == []
    page.context.close()


def test_an_agent_inserts_an_article_link_into_the_reply(browser, live_server, world):
    from playwright.sync_api import expect

    page, violations = signed_in_page(browser, live_server, world["agent"], DESKTOP)
    page.goto(f"{live_server.url}/cases/{world['case'].pk}/")
    reply = page.locator("#reply-body")
    reply.fill("Hello, see this:")
    page.locator("#article-picker summary").click()
    page.locator("#article-picker-q").press_sequentially("voicemail", delay=30)
    button = page.locator("#article-picker-list [data-insert-markdown]").first
    expect(button).to_be_visible(timeout=5000)
    # Enter in the picker does not send the reply.
    page.locator("#article-picker-q").press("Enter")
    assert page.url.endswith(f"/cases/{world['case'].pk}/")
    page.locator('[data-insert-markdown^="[Voicemail greeting"]').click()
    value = reply.input_value()
    assert value.startswith("Hello, see this: [")
    assert (
        f"[Voicemail greeting is cut short]({live_server.url}"
        "/help/en/voicemail-greeting-is-cut-short/)" in value
    )
    assert violations == []
    page.context.close()
