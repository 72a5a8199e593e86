"""The pages: the portal's phone numbers by plan; the console and figures, who may open them."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory, VendorUserFactory
from tierdesk.accounts.roles import Role
from tierdesk.phone.models import QueueEntry
from tierdesk.phone.services import agents

from .conftest import FIRST_NUMBER, SECOND_NUMBER, make_account, phone_agent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("license_code", "first", "second"),
    [("pro", True, False), ("business", True, True), ("enterprise", True, True)],
)
def test_the_portal_shows_the_numbers_of_the_plans_lines_with_the_pin(
    open_region, license_code, first, second
):
    account = make_account(open_region, license_code, pin="135790")
    client = Client()
    client.force_login(UserFactory(account=account))
    page = client.get("/cases/").content.decode()
    assert 'id="portal-phone"' in page
    assert "135790" in page
    assert (f"tel:{FIRST_NUMBER}" in page) is first
    assert (f"tel:{SECOND_NUMBER}" in page) is second


def test_a_plan_without_phone_shows_no_number_nor_pin(open_region):
    account = make_account(open_region, "basic", pin="864200")
    client = Client()
    client.force_login(UserFactory(account=account))
    page = client.get("/").content.decode()
    assert "864200" not in page and f"tel:{FIRST_NUMBER}" not in page


def _queue(open_region, simulator, n: int, pin: str = "111222") -> None:
    make_account(open_region, "business", pin=pin)
    for i in range(n):
        simulator.call(["1", pin, str(1 + i % 4)], from_number=f"+1555{pin}{i:04d}")


def test_customers_may_not_open_the_console_or_the_figures(open_region):
    account = make_account(open_region, "business")
    client = Client()
    client.force_login(UserFactory(account=account))
    assert client.get("/console/phone/").status_code == 403
    assert client.get("/console/phone/figures/").status_code == 403
    assert client.post("/console/phone/take/").status_code == 403


def test_the_console_lists_the_queue_in_order_with_few_queries(
    open_region, simulator, django_assert_max_num_queries
):
    _queue(open_region, simulator, 3)
    agent = phone_agent(role=Role.AGENT_L1, region=open_region)
    client = Client()
    client.force_login(agent)
    with django_assert_max_num_queries(14):
        page = client.get("/console/phone/").content.decode()
    assert page.count("data-entry-id=") == 3
    _queue(open_region, simulator, 30, pin="333444")
    with django_assert_max_num_queries(14):
        page = client.get("/console/phone/").content.decode()
    assert page.count("data-entry-id=") == 33
    fragment = client.get("/console/phone/queue/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'hx-trigger="every 5s"' in fragment


def test_take_wrap_up_and_transfer_through_the_pages(open_region, simulator):
    _queue(open_region, simulator, 2)
    agent = phone_agent(role=Role.AGENT_L1, region=open_region)
    other = phone_agent(role=Role.AGENT_L1, region=open_region)
    client = Client()
    client.force_login(agent)
    assert client.post("/console/phone/take/").status_code == 302
    entry = QueueEntry.objects.get(state="taken")
    assert entry.severity == 1
    # Another agent cannot wrap up or transfer it (404: not theirs).
    intruder = Client()
    intruder.force_login(other)
    url = f"/console/phone/calls/{entry.pk}/wrap-up/"
    assert intruder.post(url, {f"c{entry.pk}-notes": "x"}).status_code == 404
    assert intruder.post(f"/console/phone/calls/{entry.pk}/transfer/").status_code == 404
    # An empty wrap-up is refused with the form's error.
    assert client.post(url, {f"c{entry.pk}-notes": ""}).status_code == 400
    response = client.post(url, {f"c{entry.pk}-notes": "Solved on the call."}, follow=True)
    assert response.redirect_chain[-1][1] == 302
    entry.refresh_from_db()
    assert entry.state == "done" and entry.call.case is not None
    # The confirmation links the case.
    case_id = entry.call.case_id
    assert f'The call is logged on case <a href="/cases/{case_id}/">#{case_id}</a>.' in (
        response.content.decode()
    )
    assert client.post("/console/phone/take/").status_code == 302
    second = QueueEntry.objects.get(state="taken")
    assert client.post(f"/console/phone/calls/{second.pk}/transfer/").status_code == 302
    assert QueueEntry.objects.get(state="waiting").line == "second"


def test_an_agent_logs_a_phone_case_for_a_customer(open_region):
    account = make_account(open_region, "pro")
    customer = UserFactory(account=account, email="grace@example.com")
    agent = phone_agent(role=Role.AGENT_L1, region=open_region)
    client = Client()
    client.force_login(agent)
    response = client.post(
        "/console/phone/log/",
        {"customer": "grace@example.com", "subject": "Login loop", "severity": "3", "notes": "x"},
    )
    assert response.status_code == 302
    case = customer.requested_cases.get()
    assert case.channel == "phone" and case.first_responded_at is not None
    bad = client.post(
        "/console/phone/log/",
        {"customer": "nobody@example.com", "subject": "S", "severity": "3", "notes": "x"},
    )
    assert bad.status_code == 400


def test_supervisors_see_the_figures(open_region, simulator):
    _queue(open_region, simulator, 3)
    agent = phone_agent(role=Role.AGENT_L1, region=open_region)
    entry = agents.call_take_next(agent=agent)
    assert entry is not None
    agents.call_wrap_up(agent=agent, entry=entry, notes="Done.")
    client = Client()
    client.force_login(VendorUserFactory(role=Role.SUPERVISOR))
    page = client.get("/console/phone/figures/?days=1").content.decode()
    assert "data-phone-figures" in page and "Italy" in page
    # A period outside 1, 7, 30 is refused with the form's error, not replaced silently.
    for bad in ("abc", "999"):
        response = client.get(f"/console/phone/figures/?days={bad}")
        assert response.status_code == 400
        html = response.content.decode()
        assert 'id="figures-errors"' in html and "data-phone-figures" not in html
    assert client.get("/console/phone/figures/?days=30").status_code == 200
    assert client.get("/console/phone/figures/").status_code == 200
    client.force_login(agent)
    assert client.get("/console/phone/figures/").status_code == 403


def test_a_taken_callback_shows_the_number_to_call(open_region, simulator, settings):
    settings.PHONE_CALLBACK_AFTER_SECONDS = 0
    make_account(open_region, "business", pin="919191")
    result = simulator.call(["1", "919191", "2", "1"], from_number="+15550919")
    assert result.outcome == "hangup"
    agent = phone_agent(role=Role.AGENT_L1, region=open_region)
    client = Client()
    client.force_login(agent)
    client.post("/console/phone/take/")
    page = client.get("/console/phone/").content.decode()
    assert "tel:+15550919" in page and "Call the customer back at" in page


def test_region_names_are_translated_on_italian_pages(open_region, simulator):
    """The region's stored name ("Italy") in the reader's language: agent home, console, figures."""
    _queue(open_region, simulator, 1)
    agent = phone_agent(role=Role.AGENT_L1, region=open_region, language="it")
    agents.call_take_next(agent=agent)
    _queue(open_region, simulator, 1, pin="333444")
    client = Client()
    client.force_login(agent)
    for url in ("/", "/console/phone/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="it").content.decode()
        assert "Italia" in page and ">Italy<" not in page and "· Italy" not in page, url
    supervisor = VendorUserFactory(role=Role.SUPERVISOR, language="it")
    client.force_login(supervisor)
    page = client.get("/console/phone/figures/?days=1", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert ">Italia<" in page and ">Italy<" not in page
    supervisor.language = "en"
    supervisor.save()
    english = client.get("/console/phone/figures/?days=1", HTTP_ACCEPT_LANGUAGE="en")
    assert ">Italy<" in english.content.decode()


NOTES = "INTERNAL: caller sounded annoyed; firewall SIP timer 300 s."


def test_the_wrap_ups_notes_stay_internal_and_the_customer_reads_the_callers_language(
    open_region, simulator
):
    make_account(open_region, "business", pin="246810")
    simulator.call(["2", "246810", "2"], from_number="+393330000001")  # Italian, severity 2
    agent = phone_agent(role=Role.AGENT_L1, region=open_region, language="en")
    entry = agents.call_take_next(agent=agent)
    case = agents.call_wrap_up(agent=agent, entry=entry, notes=NOTES)
    assert NOTES not in case.description and case.assignee == agent
    assert case.subject == "Chiamata da +393330000001"
    assert list(case.messages.filter(body=NOTES).values_list("is_public", flat=True)) == [False]
    public = case.messages.get(is_public=True)
    assert public.body.startswith(
        "Risposta telefonica di"
    )  # the caller's language, not the agent's
    portal = Client()
    portal.force_login(case.requester)
    page = portal.get(f"/cases/{case.pk}/").content.decode()
    assert "annoyed" not in page and "Questo caso è stato aperto durante una telefonata" in page


def test_a_logged_phone_cases_notes_stay_internal(open_region):
    account = make_account(open_region, "pro")
    customer = UserFactory(account=account, email="grace@example.com", language="en")
    agent = phone_agent(role=Role.AGENT_L1, region=open_region)
    client = Client()
    client.force_login(agent)
    client.post(
        "/console/phone/log/",
        {"customer": "grace@example.com", "subject": "Login loop", "severity": "3", "notes": NOTES},
    )
    case = customer.requested_cases.get()
    assert NOTES not in case.description and case.assignee == agent
    portal = Client()
    portal.force_login(customer)
    page = portal.get(f"/cases/{case.pk}/").content.decode()
    assert "annoyed" not in page and "opened during a phone call" in page
