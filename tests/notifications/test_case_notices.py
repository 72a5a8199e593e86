"""What the cases app sends through the outbox: the acknowledgement of a new case, and SLA
warnings of a case nobody has claimed (they reach the region's supervisors)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import translation

from tests.factories import (
    AccountFactory,
    LicensePlanFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.roles import Role
from tierdesk.notifications.kinds import Kind
from tierdesk.notifications.models import OutboxMessage
from tierdesk.notifications.services import outbox_send_due
from tierdesk.tickets.choices import TargetKind, TimerEvent
from tierdesk.tickets.models import SlaClock, SlaTimer
from tierdesk.tickets.services.cases import case_assign, case_open
from tierdesk.tickets.services.timers import timers_sweep
from tierdesk.web.formats import format_when

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")
MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=ROME)  # a working day without holidays


@pytest.fixture
def region():
    windows = [(day, start, end) for day in range(5) for start, end in ((540, 780), (840, 1080))]
    return SupportRegionFactory(code="it", name="Italy", time_zone="Europe/Rome", windows=windows)


@pytest.fixture
def premier(region):
    return AccountFactory(
        name="Premier Co",
        license_plan=LicensePlanFactory(code="business"),
        support_plan=SupportPlanFactory(code="premier"),
        region=region,
    )


@pytest.fixture
def customer(premier):
    return UserFactory(account=premier, email="member@premier.example", time_zone="Europe/Rome")


@pytest.fixture
def supervisors(region):
    here = VendorUserFactory(role=Role.SUPERVISOR, region=region, email="sup@vendor.example")
    VendorUserFactory(role=Role.SUPERVISOR, email="elsewhere@vendor.example")
    return [here]


def open_case(actor, severity=1, **fields):
    return case_open(
        actor=actor,
        subject="Payroll is down",
        description="Nobody gets paid.",
        severity=severity,
        now=MONDAY_10,
        **fields,
    ).case


def rows(kind, case):
    return OutboxMessage.objects.filter(template=kind, key__startswith=f"case:{case.pk}:")


# --- the acknowledgement ----------------------------------------------------------------------


def test_opening_a_case_acknowledges_it_to_the_requester_and_the_ccs(customer, premier):
    colleague = UserFactory(account=premier, email="colleague@premier.example", language="it")
    case = open_case(customer, severity=2, cc=[colleague])
    acks = rows(Kind.CASE_CREATED, case)
    assert sorted(acks.values_list("to_email", flat=True)) == [
        "colleague@premier.example",
        "member@premier.example",
    ]
    clock = SlaClock.objects.get(case=case, target=TargetKind.FIRST_RESPONSE)
    to_requester = acks.get(to_email="member@premier.example")
    assert to_requester.context["first_response_due_at"] == clock.due_at.isoformat()
    assert f"#{case.pk}" in to_requester.subject
    assert "severity 2" in to_requester.body_text
    with translation.override("en"):  # the due time in the requester's zone, the one format
        assert format_when(clock.due_at, "Europe/Rome") in to_requester.body_text
    assert f"/cases/{case.pk}/" in to_requester.body_text
    assert "Abbiamo ricevuto" in acks.get(to_email="colleague@premier.example").body_text
    outbox_send_due()
    assert {message.to[0] for message in mail.outbox} >= {
        "member@premier.example",
        "colleague@premier.example",
    }


def test_a_phone_case_logged_by_an_agent_is_acknowledged_to_the_customer(customer, region):
    agent = VendorUserFactory(role=Role.AGENT_L1, region=region)
    case = open_case(agent, severity=3, channel="phone", requester=customer)
    assert list(rows(Kind.CASE_CREATED, case).values_list("to_email", flat=True)) == [
        "member@premier.example"
    ]


def test_a_replayed_open_acknowledges_once(customer):
    first = case_open(
        actor=customer,
        subject="S",
        description="D",
        severity=3,
        idempotency_key="k-1",
        now=MONDAY_10,
    )
    again = case_open(
        actor=customer,
        subject="S",
        description="D",
        severity=3,
        idempotency_key="k-1",
        now=MONDAY_10,
    )
    assert again.case.pk == first.case.pk and not again.created
    assert rows(Kind.CASE_CREATED, first.case).count() == 1


# --- SLA warnings of a case nobody has --------------------------------------------------------


def _warning(case):
    return SlaTimer.objects.get(
        case=case, target=TargetKind.FIRST_RESPONSE, event=TimerEvent.WARNING, fired_at__isnull=True
    )


def test_an_unclaimed_severity_1_premier_case_warns_the_regions_supervisors(customer, supervisors):
    case = open_case(customer, severity=1)
    warning = _warning(case)
    timers_sweep(now=warning.fire_at, worker="a")
    warned = rows(Kind.SLA_WARNING, case)
    assert sorted(warned.values_list("to_email", flat=True)) == ["sup@vendor.example"]


def test_a_claimed_case_warns_its_assignee_and_not_the_supervisors(customer, supervisors, region):
    agent = VendorUserFactory(role=Role.AGENT_L1, region=region, email="l1@vendor.example")
    case = open_case(customer, severity=1)
    case_assign(actor=agent, case=case, assignee=agent, now=MONDAY_10)
    warning = _warning(case)
    timers_sweep(now=warning.fire_at, worker="a")
    assert list(rows(Kind.SLA_WARNING, case).values_list("to_email", flat=True)) == [
        "l1@vendor.example"
    ]
