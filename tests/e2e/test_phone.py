"""An agent takes the next call in the phone console and files the wrap-up; the queue is live."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_case_flow import sign_in
from tests.factories import (
    AccountFactory,
    LicensePlanFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.models import SupportNumber
from tierdesk.accounts.roles import Role
from tierdesk.phone.models import QueueEntry
from tierdesk.phone.simulator import Simulator, django_transport
from tierdesk.tickets.models import Case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ALWAYS_OPEN = [(day, 0, 1440) for day in range(7)]


@pytest.mark.parametrize("width", [1366, 390])
def test_an_agent_takes_the_next_call_and_files_the_wrap_up(browser, live_server, width):
    from playwright.sync_api import expect

    region = SupportRegionFactory(code="it", time_zone="Europe/Rome", windows=ALWAYS_OPEN)
    SupportNumber.objects.create(region=region, line="first", number="+390200000101")
    account = AccountFactory(
        name="Acme",
        license_plan=LicensePlanFactory(code="business"),
        support_plan=SupportPlanFactory(code="access"),
        region=region,
        support_pin="246810",
    )
    UserFactory(account=account, email="ada@acme.example")
    agent = VendorUserFactory(role=Role.AGENT_L1, region=region, email="l1@vendor.example")
    simulator = Simulator(django_transport())
    low = simulator.call(["1", "246810", "4"], from_number="+15550001")
    critical = simulator.call(["1", "246810", "1"], from_number="+15550002")
    assert low.outcome == critical.outcome == "queued"

    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in(page, live_server.url, agent.email)
    page.goto(f"{live_server.url}/console/phone/")
    rows = page.locator("[data-phone-queue] tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("S1")  # the formula: severity first
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # A third call arrives: the htmx poll shows it without a reload.
    simulator.call(["1", "246810", "3"], from_number="+15550003")
    expect(rows).to_have_count(3, timeout=10_000)

    # Without a number to ring, the take is refused; with it, the caller is connected there.
    page.click("#take-next")
    expect(page.locator("#take-form")).to_contain_text("before taking a call")
    assert not QueueEntry.objects.filter(state="taken").exists()
    page.fill("input[name=ring_number]", "+39 02 1234 5678")
    page.click("#take-next")
    card = page.locator("[data-open-call]")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Acme")
    expect(card).to_contain_text("S1")
    taken = QueueEntry.objects.get(state="taken")
    assert taken.call.call_sid == critical.call_sid and taken.agent == agent
    expect(rows).to_have_count(2)
    connected = simulator.wait(critical.call_sid, "+15550002")
    assert [turn.verbs for turn in connected] == [["Leave"], ["Say", "Dial"]]
    assert "+390212345678" in connected[1].twiml

    card.locator("textarea[name$=notes]").fill("Trunk down; restarted the SBC with the customer.")
    card.locator("input[name$=subject]").fill("Milan trunk down")
    card.locator("button[type=submit]").first.click()
    expect(page.locator(".toast, .alert").filter(has_text="logged on case")).to_have_count(1)
    expect(page.locator("[data-open-call]")).to_have_count(0)
    case = Case.objects.get()
    assert case.subject == "Milan trunk down" and case.channel == "phone"
    assert case.first_responded_at is not None
    assert re.search("restarted the SBC", case.messages.get(is_public=False).body)
