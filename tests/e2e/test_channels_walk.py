"""One customer's question across the channels, in a real browser, with time passing between steps.

A Business customer on Premier support asks the assistant for a person; the hand-off shows the
region's first-line number with the account's PIN and opens a case with the conversation (channel
"assistant"). Twenty minutes later, with no answer yet, the customer calls: the simulator drives
the signed webhooks with the PIN and severity 2, and the call waits in the queue. Five minutes
later an L1 agent of the region takes the next call in the phone console and files the wrap-up on
the assistant's case: the agent's answer is the case's first response, met. An hour later the
customer finds the case in the portal, answered, its first-response clock met. At the end of the
day a supervisor reads the phone figures: one call handled after five minutes' wait.

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
from tierdesk.phone.services.agents import ring_number_set
from tierdesk.phone.simulator import Simulator, django_transport
from tierdesk.tickets.choices import Channel, TargetKind
from tierdesk.tickets.models import Case, SlaClock

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ALWAYS_OPEN = [(day, 0, 1440) for day in range(7)]
PIN = "481516"
ASK_FOR_A_PERSON = {"en": "I need to talk to a person", "it": "Vorrei parlare con una persona"}


@pytest.mark.parametrize(("width", "lang"), [("desktop", "en"), ("phone", "it")])
def test_a_question_goes_from_the_assistant_to_a_case_a_call_and_a_met_first_response(
    browser, live_server, quiet_assistant, width, lang
):
    from playwright.sync_api import expect

    region = SupportRegionFactory(
        code="it", name="Italia", time_zone="Europe/Rome", windows=ALWAYS_OPEN
    )
    SupportNumber.objects.create(region=region, line="first", number="+390200000101")
    account = AccountFactory(
        name="Acme",
        license_plan=LicensePlanFactory(code="business"),
        support_plan=SupportPlanFactory(code="premier"),
        region=region,
        support_pin=PIN,
    )
    customer = UserFactory(
        account=account, email="ada@acme.example", first_name="Ada", language=lang
    )
    agent = VendorUserFactory(
        role=Role.AGENT_L1, region=region, email="l1@vendor.example", language=lang
    )
    ring_number_set(agent=agent, number="+390212345678")
    walk = Walk(browser, live_server.url, width, lang)
    base = live_server.url
    start = timezone.now().replace(microsecond=0)

    with time_machine.travel(start, tick=True) as clock_hand:
        # 1. The customer asks the assistant for a person, from the portal's case list.
        page, violations = new_page(browser, walk.viewport, user=customer, base_url=base)
        page.goto(f"{base}/cases/")
        assert page.locator("html").get_attribute("lang") == lang
        page.locator("#assistant-panel summary").click()
        page.locator("#assistant-question").fill(ASK_FOR_A_PERSON[lang])
        page.locator("#assistant-question").press("Enter")
        turn = page.locator("#assistant-turns .assistant-turn").last
        expect(turn).to_contain_text("+39 02 0000 0101", timeout=20000)
        expect(turn).to_contain_text(PIN)
        turn.get_by_role("button", name=walk.t("Ask a person: open a case")).click()
        opened = page.locator("#assistant-turns a[href^='/cases/']")
        expect(opened).to_be_visible(timeout=10000)
        case = Case.objects.get()
        assert (case.channel, case.requester, case.first_responded_at) == (
            Channel.ASSISTANT,
            customer,
            None,
        )
        assert ASK_FOR_A_PERSON[lang] in case.description
        walk.fits(page, "1-assistant-handoff")

        # 2. Twenty minutes later, no answer yet: the customer calls the number with the PIN.
        clock_hand.move_to(start + timedelta(minutes=20))
        simulator = Simulator(django_transport())
        language_digit = "1" if lang == "en" else "2"
        call = simulator.call([language_digit, PIN, "2"], from_number="+393331234567")
        assert call.outcome == "queued"
        entry = QueueEntry.objects.get()
        assert entry.severity == 2 and entry.call.account == account

        # 3. Five minutes later an agent takes the call and files the wrap-up on that case.
        clock_hand.move_to(start + timedelta(minutes=25))
        console, console_violations = new_page(browser, walk.viewport, user=agent, base_url=base)
        console.goto(f"{base}/console/phone/")
        assert console.locator("html").get_attribute("lang") == lang
        expect(console.locator("[data-phone-queue] tbody tr")).to_have_count(1)
        console.click("#take-next")
        card = console.locator("[data-open-call]")
        expect(card).to_contain_text("Acme")
        walk.fits(console, "3-phone-console")
        connected = simulator.wait(call.call_sid, "+393331234567")
        assert [turn.verbs for turn in connected] == [["Leave"], ["Say", "Dial"]]
        card.locator("textarea[name$=notes]").fill(
            "Called back: the SIP session timer was 300 s; set it to 1800 s with the customer."
        )
        card.locator("input[name$=case]").fill(str(case.pk))
        card.locator("button[type=submit]").first.click()
        expect(console.locator("[data-open-call]")).to_have_count(0)
        taken_at = start + timedelta(minutes=25)
        case.refresh_from_db()
        assert case.channel == Channel.ASSISTANT  # the call is logged on it, not a new case
        assert Case.objects.count() == 1
        assert case.first_responded_at is not None
        assert taken_at <= case.first_responded_at < taken_at + timedelta(minutes=2)
        clock = SlaClock.objects.get(case=case, target=TargetKind.FIRST_RESPONSE)
        assert clock.met_at is not None and clock.breached_at is None
        assert "SIP session timer" in case.messages.get(is_public=False).body

        # 4. An hour later the customer finds the case answered, the first response met.
        clock_hand.move_to(start + timedelta(hours=1, minutes=25))
        page.goto(f"{base}/cases/{case.pk}/")
        first_response = page.locator("#case-clocks .clock").filter(
            has_text=walk.label(TargetKind.FIRST_RESPONSE)
        )
        expect(first_response).to_have_attribute("data-state", "met")
        walk.fits(page, "4-portal-case")

        # 5. At the end of the day a supervisor reads the phone figures: one call, handled after
        # about five minutes in the queue, none abandoned.
        clock_hand.move_to(start + timedelta(hours=8))
        supervisor = VendorUserFactory(
            role=Role.SUPERVISOR, email="lead@vendor.example", language=lang
        )
        figures, figures_violations = new_page(
            browser, walk.viewport, user=supervisor, base_url=base
        )
        figures.goto(f"{base}/console/phone/figures/")
        assert figures.locator("html").get_attribute("lang") == lang
        row = figures.locator("[data-phone-figures] tbody tr")
        expect(row).to_have_count(1)
        cells = [text.strip() for text in row.locator("td").all_inner_texts()]
        assert cells[0] == "Italia" and cells[2:6] == ["1", "1", "0", "0"], cells
        assert cells[7].startswith("5 min"), cells  # queued at +20 min, taken at +25 min
        walk.fits(figures, "5-phone-figures")
        assert violations == [] and console_violations == [] and figures_violations == []
        page.context.close()
        console.context.close()
        figures.context.close()
