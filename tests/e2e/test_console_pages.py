"""The agent console as its people see it: the queue, the case page (with a conversation, notes,
history, files, an explanation opened), the explanation page and the escalation requests, at 1366
and 390 px in the light and dark themes: each fits the window and has no serious or critical axe
violation. The keyboard shortcuts still work (the help is a Bootstrap modal now).

Set TIERDESK_SCREENSHOTS=/some/dir to keep a screenshot of each page, width and theme.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.e2e.browsing import DESKTOP, PHONE, look, new_page
from tests.factories import (
    AccountFactory,
    LicensePlanFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.roles import Role
from tierdesk.tickets.choices import Status
from tierdesk.tickets.models import Case
from tierdesk.tickets.services.attachments import attachment_add
from tierdesk.tickets.services.cases import case_assign, case_create, case_reply, case_set_status
from tierdesk.tickets.services.escalations import self_escalation_decide, self_escalation_request

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ALWAYS_OPEN = [(day, 0, 1440) for day in range(7)]
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture
def world(db, media):
    region = SupportRegionFactory(
        code="it", name="Italy", time_zone="Europe/Rome", windows=ALWAYS_OPEN
    )
    account = AccountFactory(
        name="Acme Telecom",
        license_plan=LicensePlanFactory(code="enterprise"),
        support_plan=SupportPlanFactory(code="premier_plus"),
        region=region,
    )
    customer = UserFactory(
        account=account,
        email="ada@acme.example",
        first_name="Ada",
        last_name="Lovelace",
        role=Role.ACCOUNT_ADMIN,
    )
    agent = VendorUserFactory(
        role=Role.AGENT_L1,
        region=region,
        email="l1@vendor.example",
        first_name="Lin",
        last_name="Wu",
    )
    supervisor = VendorUserFactory(
        role=Role.SUPERVISOR, region=region, email="sup@vendor.example", first_name="Sara"
    )
    case = case_create(
        actor=customer,
        subject="Calls drop after five minutes on the Milan trunk",
        description="Every call drops after **5 minutes**; the log says `BYE` from the trunk "
        "https://pbx.acme.example/logs/trunk-milan-2026-12-05-very-long-file-name.txt",
        severity=2,
    )
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(days=2))
    case_assign(actor=agent, case=case, assignee=agent)
    case_reply(actor=agent, case=case, body="Which client version do you run?")
    case_reply(actor=agent, case=case, body="Trunk logs show a SIP timer at 300 s.", public=False)
    case_set_status(actor=agent, case=case, status=Status.WAITING, note="Asked for the version")
    case_reply(actor=customer, case=case, body="Version 8.4.2 on every desk.")
    attachment_add(
        actor=customer,
        case=case,
        upload=SimpleUploadedFile("sip-trace.txt", b"INVITE sip:trunk", "text/plain"),
    )
    for subject, severity in (
        ("Voicemail greetings are cut short", 1),
        ("The call-queue wallboard shows yesterday's figures", 3),
    ):
        case_create(actor=customer, subject=subject, description="See subject.", severity=severity)
    other = case_create(
        actor=customer, subject="Fax to e-mail stopped", description="Since Monday.", severity=3
    )
    Case.objects.filter(pk=other.pk).update(created_at=timezone.now() - timedelta(days=3))
    other.refresh_from_db()
    asked = self_escalation_request(
        actor=customer,
        case=other,
        reason="delayed_responses",
        details="Nobody has answered for three days.",
    )
    decided = case_create(
        actor=customer, subject="Hold music too loud", description="Ouch.", severity=4
    )
    Case.objects.filter(pk=decided.pk).update(created_at=timezone.now() - timedelta(days=3))
    decided.refresh_from_db()
    request = self_escalation_request(actor=customer, case=decided, reason="delayed_responses")
    self_escalation_decide(
        actor=supervisor, request=request, accept=False, reason="Answered this morning."
    )
    return {"agent": agent, "supervisor": supervisor, "case": case, "request": asked}


def open_as(browser, live_server, user, path, viewport, scheme):
    page, _ = new_page(browser, viewport, color_scheme=scheme, user=user, base_url=live_server.url)
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200, path
    return page


PAGES = [
    ("queue", "agent", "/console/"),
    ("queue-empty", "agent", "/console/"),
    ("case", "agent", "/cases/{case}/"),
    ("explain", "agent", "/console/cases/{case}/explain/resolution/"),
    ("escalations", "supervisor", "/console/escalations/"),
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize(("name", "who", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_the_console_page_fits_and_passes_axe(
    browser, live_server, world, name, who, path, width, scheme
):
    if name == "queue-empty":
        Case.objects.update(status=Status.SOLVED)
    url = path.format(case=world["case"].pk)
    page = open_as(browser, live_server, world[who], url, WIDTHS[width], scheme)
    if name == "case":
        # The explanation of the first due time, opened in the SLA panel (htmx).
        page.locator("[data-shortcut=x]").click()
        page.locator("#explanation .explain-table").wait_for()
    look(page, f"console-{name}-{width}-{scheme}")
    page.context.close()


def test_the_keyboard_shortcuts_still_work(browser, live_server, world):
    from playwright.sync_api import expect

    page = open_as(browser, live_server, world["agent"], "/console/", DESKTOP, "light")
    page.keyboard.press("?")
    expect(page.locator("#shortcut-help")).to_be_visible()
    look(page, "shortcuts-desktop-light")
    page.keyboard.press("Escape")
    expect(page.locator("#shortcut-help")).to_be_hidden()
    page.keyboard.press("j")
    first = page.locator("[data-queue-row]").first
    expect(first).to_have_class(re.compile(r"\bselected\b"))
    case_id = first.get_attribute("data-case-id")
    page.keyboard.press("o")
    page.wait_for_url(f"{live_server.url}/cases/{case_id}/")
    page.keyboard.press("r")
    expect(page.locator("#reply-body")).to_be_focused()
    page.keyboard.type("On it.")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".messages")).to_contain_text("Reply sent.")
    page.keyboard.press("u")
    page.wait_for_url(re.compile(r"/console/\?line="))
    page.context.close()
