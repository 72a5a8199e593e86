"""A customer opens a case in the portal, an agent answers it in the console, the target is met."""

from __future__ import annotations

import re

import pytest

from tests.factories import (
    DEFAULT_PASSWORD,
    AccountFactory,
    LicensePlanFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.roles import Role
from tierdesk.tickets.models import Case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Around the clock, so the first-response clock runs whatever the hour the test runs at.
ALWAYS_OPEN = [(day, 0, 1440) for day in range(7)]


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_customer_opens_a_case_an_agent_answers_and_the_first_response_is_met(
    browser, live_server, media
):
    from playwright.sync_api import expect

    region = SupportRegionFactory(code="it", time_zone="Europe/Rome", windows=ALWAYS_OPEN)
    account = AccountFactory(
        name="Acme",
        license_plan=LicensePlanFactory(code="business"),
        support_plan=SupportPlanFactory(code="premier"),
        region=region,
    )
    customer = UserFactory(account=account, email="ada@acme.example", time_zone="America/New_York")
    agent = VendorUserFactory(
        role=Role.AGENT_L1, region=region, email="l1@vendor.example", first_name="Lin"
    )
    base = live_server.url

    # The customer opens a severity 2 case, choosing it beside the seed's definitions.
    customer_page = browser.new_context(locale="en-US").new_page()
    sign_in(customer_page, base, customer.email)
    customer_page.goto(f"{base}/cases/new/")
    expect(customer_page.locator("#severity-1-notice")).to_contain_text("phone")
    customer_page.fill("input[name=subject]", "Calls drop after five minutes")
    customer_page.fill("textarea[name=description]", "Every call drops after **5 minutes**.")
    customer_page.check("input[name=severity][value='2']")
    customer_page.click("#case-submit")
    customer_page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get()
    assert (case.requester_id, case.severity, case.status) == (customer.pk, 2, "new")
    expect(customer_page.locator("#case-title")).to_contain_text("Calls drop after five minutes")
    first_response = customer_page.locator("#case-clocks .clock").filter(has_text="First response")
    expect(first_response).to_have_attribute("data-state", re.compile("running|due_soon"))
    # The countdown is live: the script fills it in and it counts.
    # The live countdown reads like every duration ("3 h 59 min left"), in whole minutes.
    expect(first_response.locator(".countdown")).to_have_text(
        re.compile(r"^(\d+ h )?\d+ min left$")
    )
    # It follows its due instant: moved to 90 s from now, the next tick says so.
    first_response.locator(".countdown").evaluate(
        "el => el.setAttribute('data-countdown', new Date(Date.now() + 90000).toISOString())"
    )
    expect(first_response.locator(".countdown")).to_have_text("1 min left")
    # Due time in the customer's zone (New York), Rome's time beside it.
    expect(first_response.locator(".clock-due")).to_contain_text(re.compile(r"E[SD]T"))
    expect(first_response.locator(".clock-due")).to_contain_text("region time")

    # The agent answers from the console's case page.
    agent_page = browser.new_context(locale="en-US").new_page()
    sign_in(agent_page, base, agent.email)
    agent_page.goto(f"{base}/cases/{case.pk}/")
    agent_page.fill("#reply-body", "Please update the client to 6.1; the fix is in it.")
    agent_page.click("#reply-submit")
    expect(agent_page.locator("#case-status")).to_contain_text("Open")
    expect(
        agent_page.locator("#case-clocks .clock").filter(has_text="First response")
    ).to_have_attribute("data-state", "met")

    # The customer sees the answer and the first-response target met.
    customer_page.reload()
    expect(customer_page.locator("#thread")).to_contain_text("update the client to 6.1")
    expect(first_response).to_have_attribute("data-state", "met")
    expect(first_response).to_contain_text("met")
    case.refresh_from_db()
    assert case.first_responded_at is not None
    assert case.clocks.get(target="first_response").met_at == case.first_responded_at

    customer_page.context.close()
    agent_page.context.close()
