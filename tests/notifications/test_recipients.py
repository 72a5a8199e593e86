"""One rule for who hears of SLA warnings and breaches; the customer's acknowledgement of a case."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.factories import AccountFactory, SupportPlanFactory, UserFactory, VendorUserFactory
from tierdesk.accounts.roles import Role
from tierdesk.notifications.kinds import Kind
from tierdesk.notifications.models import OutboxMessage
from tierdesk.notifications.services import (
    notify_case_created,
    notify_sla_breach,
    notify_sla_warning,
)

from .helpers import FakeCase

pytestmark = pytest.mark.django_db

DUE = datetime(2025, 1, 6, 14, 30, tzinfo=UTC)  # a Monday; 15:30 in Rome


def case_of(account, **fields):
    values = {
        "id": 42,
        "subject": "Payroll down",
        "severity": 1,
        "account_id": account.pk,
        "region_id": account.region_id,
        "assignee_id": None,
    }
    values.update(fields)
    return FakeCase(**values)


def addresses(messages):
    return sorted(message.to_email for message in messages)


@pytest.fixture
def premier():
    """A Premier account (no named TAM) with its region's supervisors, and others."""
    account = AccountFactory(support_plan=SupportPlanFactory(code="premier"))
    VendorUserFactory(role=Role.SUPERVISOR, region=account.region, email="sup@vendor.example")
    VendorUserFactory(
        role=Role.SUPERVISOR, region=account.region, email="gone@vendor.example", is_active=False
    )
    VendorUserFactory(role=Role.SUPERVISOR, email="elsewhere@vendor.example")
    VendorUserFactory(role=Role.AGENT_L1, region=account.region, email="agent@vendor.example")
    return account


def test_a_warning_of_an_unclaimed_case_goes_to_the_regions_supervisors(premier):
    messages = notify_sla_warning(
        case=case_of(premier), timer_id=1, target="first_response", due_at=DUE
    )
    assert addresses(messages) == ["sup@vendor.example"]
    assert "first-response target" in messages[0].body_text


def test_a_warning_of_a_claimed_case_goes_to_its_assignee_only(premier):
    assignee = VendorUserFactory(email="assignee@vendor.example", region=premier.region)
    messages = notify_sla_warning(
        case=case_of(premier, assignee_id=assignee.pk), timer_id=1, target="resolution", due_at=DUE
    )
    assert addresses(messages) == ["assignee@vendor.example"]


def test_a_case_whose_assignee_left_warns_the_supervisors(premier):
    gone = VendorUserFactory(email="left@vendor.example", is_active=False)
    messages = notify_sla_warning(
        case=case_of(premier, assignee_id=gone.pk), timer_id=1, target="resolution", due_at=DUE
    )
    assert addresses(messages) == ["sup@vendor.example"]


def test_an_unclaimed_premier_plus_warning_reaches_supervisors_and_the_tam():
    tam = VendorUserFactory(role=Role.AGENT_L2, email="tam@vendor.example")
    account = AccountFactory(
        support_plan=SupportPlanFactory(code="premier_plus"), technical_account_manager=tam
    )
    VendorUserFactory(role=Role.SUPERVISOR, region=account.region, email="sup@vendor.example")
    messages = notify_sla_warning(
        case=case_of(account), timer_id=1, target="resolution", due_at=DUE
    )
    assert addresses(messages) == ["sup@vendor.example", "tam@vendor.example"]


def test_a_breach_reaches_assignee_and_supervisors_claimed_or_not(premier):
    assignee = VendorUserFactory(email="assignee@vendor.example")
    claimed = notify_sla_breach(
        case=case_of(premier, assignee_id=assignee.pk), timer_id=1, target="resolution", due_at=DUE
    )
    assert addresses(claimed) == ["assignee@vendor.example", "sup@vendor.example"]
    unclaimed = notify_sla_breach(
        case=case_of(premier, id=43), timer_id=2, target="resolution", due_at=DUE
    )
    assert addresses(unclaimed) == ["sup@vendor.example"]


# --- the acknowledgement of a new case -------------------------------------------------------


def test_the_requester_and_ccs_get_an_acknowledgement_once(settings):
    settings.SITE_URL = "https://desk.example"
    account = AccountFactory()
    requester = UserFactory(account=account, email="req@example.com", time_zone="Europe/Rome")
    cc = UserFactory(account=account, email="cc@example.com", language="it")
    case = case_of(account, severity=2)
    messages = notify_case_created(
        case=case, recipients=[requester, cc, requester], first_response_due_at=DUE
    )
    assert addresses(messages) == ["cc@example.com", "req@example.com"]
    to_requester = next(m for m in messages if m.to_email == "req@example.com")
    assert to_requester.template == Kind.CASE_CREATED
    assert to_requester.subject == "[Case #42] Received (severity 2): Payroll down"
    assert "case #42" in to_requester.body_text
    assert "severity 2" in to_requester.body_text
    assert "Mon 6 Jan 2025, 15:30 CET" in to_requester.body_text  # in the requester's zone
    assert "https://desk.example/cases/42/" in to_requester.body_text
    to_cc = next(m for m in messages if m.to_email == "cc@example.com")
    assert "Abbiamo ricevuto il caso #42" in to_cc.body_text
    # Opening is one event: asking again writes nothing.
    notify_case_created(case=case, recipients=[requester, cc], first_response_due_at=DUE)
    assert OutboxMessage.objects.count() == 2


def test_without_a_first_response_target_the_acknowledgement_promises_no_time():
    account = AccountFactory()
    requester = UserFactory(account=account)
    (message,) = notify_case_created(
        case=case_of(account, severity=4), recipients=[requester], first_response_due_at=None
    )
    assert "first answer" not in message.body_text
    assert "severity 4" in message.body_text


def test_a_naive_first_response_time_is_refused():
    account = AccountFactory()
    with pytest.raises(ValueError, match="timezone-aware"):
        notify_case_created(
            case=case_of(account),
            recipients=[UserFactory(account=account)],
            first_response_due_at=DUE.replace(tzinfo=None),
        )
    assert not OutboxMessage.objects.exists()
