"""Solved cases close by themselves after CASE_AUTOCLOSE_DAYS; a customer reply before reopens."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tierdesk.tickets.choices import Status
from tierdesk.tickets.models import CaseEvent
from tierdesk.tickets.services.autoclose import cases_autoclose
from tierdesk.tickets.services.cases import case_create, case_reply

from .conftest import MONDAY_10

pytestmark = pytest.mark.django_db


def solved_case(customer, agent):
    case = case_create(
        actor=customer, subject="Audio", description="No audio", severity=3, now=MONDAY_10
    )
    case_reply(
        actor=agent,
        case=case,
        body="Update the driver",
        then_status=Status.SOLVED,
        now=MONDAY_10 + timedelta(hours=1),
    )
    case.refresh_from_db()
    return case


def test_solved_case_closes_after_the_quiet_period(customer, agent, settings):
    settings.CASE_AUTOCLOSE_DAYS = 4
    case = solved_case(customer, agent)
    assert cases_autoclose(now=case.solved_at + timedelta(days=3, hours=23)) == 0
    case.refresh_from_db()
    assert case.status == Status.SOLVED
    assert cases_autoclose(now=case.solved_at + timedelta(days=4)) == 1
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    event = CaseEvent.objects.get(case=case, kind="status", after=Status.CLOSED)
    assert event.actor is None
    # Running it again closes nothing more.
    assert cases_autoclose(now=case.solved_at + timedelta(days=5)) == 0


def test_customer_reply_before_closing_reopens(customer, agent, settings):
    settings.CASE_AUTOCLOSE_DAYS = 4
    case = solved_case(customer, agent)
    case_reply(
        actor=customer, case=case, body="Still no audio", now=case.solved_at + timedelta(days=2)
    )
    case.refresh_from_db()
    assert case.status == Status.OPEN
    assert cases_autoclose(now=MONDAY_10 + timedelta(days=10)) == 0
    case.refresh_from_db()
    assert case.status == Status.OPEN


def test_closed_case_takes_no_more_replies(customer, agent, settings):
    settings.CASE_AUTOCLOSE_DAYS = 1
    case = solved_case(customer, agent)
    cases_autoclose(now=case.solved_at + timedelta(days=2))
    with pytest.raises(PermissionDenied):
        case_reply(actor=customer, case=case, body="Hello?")
    with pytest.raises(ValidationError):
        case_reply(actor=agent, case=case, body="Late answer")
