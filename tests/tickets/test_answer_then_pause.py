"""An agent answers a case and later sets it waiting or solved (issue 7, finding 1).

The first reply stops the first-response clock; a status change an hour later opens a pause
that begins after that stop. Every way in (service, API, console, a reply that solves) used to
answer 500. The case is opened and answered in the past, so that the request, made now, comes
later than the answer.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tierdesk.accounts.services.tokens import api_token_create
from tierdesk.tickets.choices import Status, TargetKind
from tierdesk.tickets.models import Case, SlaClock
from tierdesk.tickets.selectors.api import case_sla
from tierdesk.tickets.services.cases import case_create, case_reply, case_set_status

pytestmark = pytest.mark.django_db


def answered_case(customer, agent, *, hours_ago: float = 1) -> Case:
    """A severity-2 case opened two hours before its answer, answered `hours_ago` ago."""
    answered = timezone.now() - timedelta(hours=hours_ago)
    case = case_create(
        actor=customer,
        subject="Meetings drop after 5 minutes",
        description="Every meeting drops.",
        severity=2,
        now=answered - timedelta(hours=2),
    )
    case_reply(actor=agent, case=case, body="Try the new client.", now=answered)
    case.refresh_from_db()
    assert case.first_responded_at == answered
    return case


def first_response_due(case: Case):
    return SlaClock.objects.get(case=case, target=TargetKind.FIRST_RESPONSE).due_at


def bearer(user) -> dict[str, str]:
    _, secret = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("status", [Status.WAITING, Status.SOLVED])
def test_service_sets_waiting_or_solved_after_the_answer(customer, agent, status):
    case = answered_case(customer, agent)
    due = first_response_due(case)
    t0 = case.first_responded_at
    case_set_status(actor=agent, case=case, status=status, now=t0 + timedelta(hours=1))
    case.refresh_from_db()
    assert case.status == status
    # The pause began after the first response: it leaves that clock's due instant alone.
    assert first_response_due(case) == due
    states = {s.target: s for s in case_sla(case, now=t0 + timedelta(hours=2), explain=True)}
    assert states[TargetKind.FIRST_RESPONSE].state == "met"
    assert states[TargetKind.RESOLUTION].state == ("paused" if status == Status.WAITING else "met")


@pytest.mark.parametrize("status", [Status.WAITING, Status.SOLVED, Status.ON_HOLD])
def test_api_status_after_the_answer(client, customer, agent, status):
    case = answered_case(customer, agent)
    response = client.post(
        f"/api/v1/cases/{case.pk}/status",
        {"status": status},
        content_type="application/json",
        headers=bearer(agent),
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == status
    sla = client.get(f"/api/v1/cases/{case.pk}/sla?explain=true", headers=bearer(agent))
    assert sla.status_code == 200, sla.content


def test_api_reply_that_solves_after_the_answer(client, customer, agent):
    case = answered_case(customer, agent)
    response = client.post(
        f"/api/v1/cases/{case.pk}/messages",
        {"body": "This fixes it.", "status": "solved"},
        content_type="application/json",
        headers=bearer(agent),
    )
    assert response.status_code == 201, response.content
    case.refresh_from_db()
    assert case.status == Status.SOLVED
    assert client.get(f"/api/v1/cases/{case.pk}", headers=bearer(agent)).status_code == 200


@pytest.mark.parametrize("status", [Status.WAITING, Status.SOLVED])
def test_console_status_after_the_answer(client, customer, agent, status):
    case = answered_case(customer, agent)
    client.force_login(agent)
    response = client.post(
        reverse("tickets:console-status", args=[case.pk]), {"status": status, "note": ""}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == status
    page = client.get(reverse("case-detail", args=[case.pk]))
    assert page.status_code == 200
    for target in TargetKind.values:
        explain = client.get(reverse("tickets:console-explain", args=[case.pk, target]))
        assert explain.status_code == 200


@pytest.mark.parametrize("button", ["wait", "solve"])
def test_console_reply_and_then_after_the_answer(client, customer, agent, button):
    case = answered_case(customer, agent)
    client.force_login(agent)
    response = client.post(
        reverse("tickets:console-reply", args=[case.pk]), {"body": "Done?", "send": button}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == (Status.WAITING if button == "wait" else Status.SOLVED)


def test_waiting_then_the_customer_answers_then_solved(customer, agent):
    """The whole cycle after the answer: wait, the customer answers, solve, reopen."""
    case = answered_case(customer, agent, hours_ago=5)
    t0 = case.first_responded_at
    case_set_status(actor=agent, case=case, status=Status.WAITING, now=t0 + timedelta(hours=1))
    case_reply(actor=customer, case=case, body="Still broken.", now=t0 + timedelta(hours=2))
    case.refresh_from_db()
    assert case.status == Status.OPEN
    case_reply(
        actor=agent,
        case=case,
        body="Fixed.",
        then_status=Status.SOLVED,
        now=t0 + timedelta(hours=3),
    )
    case_reply(actor=customer, case=case, body="It is back.", now=t0 + timedelta(hours=4))
    case.refresh_from_db()
    assert case.status == Status.OPEN
    states = {s.target: s for s in case_sla(case, now=t0 + timedelta(hours=4), explain=True)}
    assert states[TargetKind.FIRST_RESPONSE].state == "met"
    assert states[TargetKind.RESOLUTION].state in ("running", "breached")
