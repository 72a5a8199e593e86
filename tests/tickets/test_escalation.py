"""Escalation: agents move cases up a line; customers ask, supervisors decide (the seed's rules)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AccountAdminFactory,
    AccountFactory,
    LicensePlanFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.roles import Role
from tierdesk.notifications.models import OutboxMessage
from tierdesk.tickets.choices import Line, Status
from tierdesk.tickets.models import CaseEvent, SelfEscalation
from tierdesk.tickets.services.cases import case_create, case_set_status
from tierdesk.tickets.services.escalations import (
    case_escalate,
    next_line,
    self_escalation_decide,
    self_escalation_request,
)

from .conftest import MONDAY_10
from .test_api import bearer

pytestmark = pytest.mark.django_db

DAY_LATER = MONDAY_10 + timedelta(hours=24)


def account_on(region, license_code, support_code="access"):
    return AccountFactory(
        license_plan=LicensePlanFactory(code=license_code),
        support_plan=SupportPlanFactory(code=support_code),
        region=region,
    )


def open_case(requester, severity=3, now=MONDAY_10):
    return case_create(
        actor=requester,
        subject="Recording fails",
        description="Cloud recordings stop at 10 minutes.",
        severity=severity,
        now=now,
    )


@pytest.fixture
def enterprise_admin(region):
    return AccountAdminFactory(account=account_on(region, "enterprise"))


def ask(actor, case, reason="delayed_responses", now=DAY_LATER, **kwargs):
    return self_escalation_request(actor=actor, case=case, reason=reason, now=now, **kwargs)


# --- who may ask ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("license_code", "allowed"),
    [
        ("pro", False),
        ("business", False),
        ("business_plus", True),
        ("enterprise", True),
        ("education", True),
    ],
)
def test_only_plans_with_the_entitlement_may_self_escalate(region, license_code, allowed):
    customer = AccountAdminFactory(account=account_on(region, license_code))
    case = open_case(customer)
    if allowed:
        request = ask(customer, case)
        assert request.decision == SelfEscalation.Decision.PENDING
    else:
        with pytest.raises(PermissionDenied):
            ask(customer, case)
        assert not SelfEscalation.objects.exists()


def test_only_after_24_hours_open(enterprise_admin):
    case = open_case(enterprise_admin)
    with pytest.raises(PermissionDenied):
        ask(enterprise_admin, case, now=DAY_LATER - timedelta(minutes=1))
    assert not SelfEscalation.objects.exists()
    assert ask(enterprise_admin, case, now=DAY_LATER).pk


def test_only_one_pending_request_at_a_time(enterprise_admin, supervisor):
    case = open_case(enterprise_admin)
    first = ask(enterprise_admin, case)
    with pytest.raises(ValidationError) as error:
        ask(enterprise_admin, case, reason="critical_failure")
    assert "reason" in error.value.message_dict
    assert SelfEscalation.objects.count() == 1
    self_escalation_decide(actor=supervisor, request=first, accept=False, reason="Working on it")
    second = ask(enterprise_admin, case, reason="critical_failure")
    assert second.pk != first.pk


def test_only_customers_of_the_account(enterprise_admin, other_customer, agent, region):
    case = open_case(enterprise_admin)
    colleague = UserFactory(account=enterprise_admin.account)
    stranger = AccountAdminFactory(account=account_on(region, "enterprise"))
    for outsider in (other_customer, stranger, agent):
        with pytest.raises(PermissionDenied):
            ask(outsider, case)
    assert not SelfEscalation.objects.exists()
    assert ask(colleague, case).requested_by == colleague


@pytest.mark.parametrize("reason", ["", "impatience", "CRITICAL_FAILURE", None])
def test_reasons_are_validated(enterprise_admin, reason):
    case = open_case(enterprise_admin)
    with pytest.raises(ValidationError) as error:
        ask(enterprise_admin, case, reason=reason)
    assert "reason" in error.value.message_dict
    assert not SelfEscalation.objects.exists()


@pytest.mark.parametrize(
    "reason", ["critical_failure", "delayed_responses", "time_zone_difference"]
)
def test_the_seeds_three_reasons_are_accepted(enterprise_admin, reason):
    assert ask(enterprise_admin, open_case(enterprise_admin), reason=reason).reason == reason


def test_a_solved_case_cannot_be_escalated(enterprise_admin, agent):
    case = open_case(enterprise_admin)
    case_set_status(
        actor=agent, case=case, status=Status.SOLVED, now=MONDAY_10 + timedelta(hours=1)
    )
    with pytest.raises(ValidationError):
        ask(enterprise_admin, case)
    assert not SelfEscalation.objects.exists()


def test_a_request_reaches_the_regions_supervisors(enterprise_admin, supervisor, agent):
    request = ask(enterprise_admin, open_case(enterprise_admin), details="Blocked since Monday")
    recipients = set(
        OutboxMessage.objects.filter(
            key__contains=f":escalation:{request.pk}:requested"
        ).values_list("recipient_id", flat=True)
    )
    assert recipients == {supervisor.pk}


# --- deciding ---------------------------------------------------------------------------------


def test_supervisor_accepts_and_the_case_moves_up_one_line_at_a_time(enterprise_admin, supervisor):
    case = open_case(enterprise_admin)
    self_escalation_decide(
        actor=supervisor,
        request=ask(enterprise_admin, case),
        accept=True,
        reason="Fair",
        now=DAY_LATER,
    )
    case.refresh_from_db()
    assert case.line == Line.L2
    later = DAY_LATER + timedelta(hours=1)
    self_escalation_decide(
        actor=supervisor,
        request=ask(enterprise_admin, case, now=later),
        accept=True,
        reason="Needs engineering",
        now=later,
    )
    case.refresh_from_db()
    assert case.line == Line.ENGINEERING
    assert next_line(case) is None
    assert list(
        CaseEvent.objects.filter(case=case, kind="escalated").values_list("before", "after")
    ) == [("l1", "l2"), ("l2", "engineering")]


def test_accepting_on_l2_stays_on_l2_without_technical_intervention(region, supervisor):
    plan = LicensePlanFactory(code="business_plus")
    plan.engineering_escalation = False  # an admin edited the plan
    plan.save()
    customer = AccountAdminFactory(account=account_on(region, "business_plus"))
    case = open_case(customer)
    self_escalation_decide(actor=supervisor, request=ask(customer, case), accept=True, reason="ok")
    case.refresh_from_db()
    assert case.line == Line.L2
    assert next_line(case) is None
    later = DAY_LATER + timedelta(hours=1)
    request = ask(customer, case, now=later)
    self_escalation_decide(actor=supervisor, request=request, accept=True, reason="ok", now=later)
    case.refresh_from_db()
    assert case.line == Line.L2
    assert SelfEscalation.objects.get(pk=request.pk).decision == SelfEscalation.Decision.ACCEPTED


def test_supervisor_rejects_with_a_reason_and_the_customer_hears_it(enterprise_admin, supervisor):
    case = open_case(enterprise_admin)
    request = ask(enterprise_admin, case)
    decided = self_escalation_decide(
        actor=supervisor, request=request, accept=False, reason="A fix ships tomorrow"
    )
    assert decided.decision == SelfEscalation.Decision.REJECTED
    assert decided.decision_reason == "A fix ships tomorrow"
    assert decided.decided_by == supervisor
    case.refresh_from_db()
    assert case.line == Line.L1
    told = OutboxMessage.objects.filter(key__contains=f":escalation:{request.pk}:")
    assert enterprise_admin.pk in set(told.values_list("recipient_id", flat=True))


@pytest.mark.parametrize("role", [Role.AGENT_L1, Role.AGENT_L2, Role.ENGINEER, "customer"])
def test_non_supervisors_cannot_decide(enterprise_admin, region, role):
    case = open_case(enterprise_admin)
    request = ask(enterprise_admin, case)
    actor = enterprise_admin if role == "customer" else VendorUserFactory(role=role, region=region)
    with pytest.raises(PermissionDenied):
        self_escalation_decide(actor=actor, request=request, accept=True, reason="ok")
    request.refresh_from_db()
    assert request.decision == SelfEscalation.Decision.PENDING
    case.refresh_from_db()
    assert case.line == Line.L1


def test_a_decision_needs_a_reason_and_happens_once(enterprise_admin, supervisor):
    case = open_case(enterprise_admin)
    request = ask(enterprise_admin, case)
    with pytest.raises(ValidationError):
        self_escalation_decide(actor=supervisor, request=request, accept=True, reason="  ")
    request.refresh_from_db()
    assert request.decision == SelfEscalation.Decision.PENDING
    self_escalation_decide(actor=supervisor, request=request, accept=True, reason="ok")
    with pytest.raises(ValidationError):
        self_escalation_decide(actor=supervisor, request=request, accept=False, reason="changed")
    request.refresh_from_db()
    assert request.decision == SelfEscalation.Decision.ACCEPTED
    case.refresh_from_db()
    assert case.line == Line.L2


# --- agents escalating ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("license_code", "allowed"),
    [("pro", False), ("business", False), ("business_plus", True), ("enterprise", True)],
)
def test_engineering_needs_technical_intervention(region, agent_l2, license_code, allowed):
    customer = AccountAdminFactory(account=account_on(region, license_code))
    case = open_case(customer)
    case_escalate(actor=agent_l2, case=case, line=Line.L2, reason="Needs a closer look")
    if allowed:
        case_escalate(actor=agent_l2, case=case, line=Line.ENGINEERING, reason="A bug")
        case.refresh_from_db()
        assert case.line == Line.ENGINEERING
    else:
        with pytest.raises(ValidationError) as error:
            case_escalate(actor=agent_l2, case=case, line=Line.ENGINEERING, reason="A bug")
        assert "line" in error.value.message_dict
        case.refresh_from_db()
        assert case.line == Line.L2


def test_escalation_needs_a_reason_and_goes_only_up(customer, agent, agent_l2):
    case = open_case(customer)
    with pytest.raises(ValidationError):
        case_escalate(actor=agent, case=case, line=Line.L2, reason=" ")
    case_escalate(actor=agent_l2, case=case, line=Line.L2, reason="logs")
    with pytest.raises(PermissionDenied):
        case_escalate(actor=agent_l2, case=case, line=Line.L1, reason="back down")
    case.refresh_from_db()
    assert case.line == Line.L2


def test_escalating_releases_the_assignee(customer, agent):
    from tierdesk.tickets.services.cases import case_assign

    case = open_case(customer)
    case_assign(actor=agent, case=case, assignee=agent)
    case_escalate(actor=agent, case=case, line=Line.L2, reason="logs")
    case.refresh_from_db()
    assert (case.line, case.assignee) == (Line.L2, None)


def test_customers_cannot_escalate_directly(customer):
    case = open_case(customer)
    with pytest.raises(PermissionDenied):
        case_escalate(actor=customer, case=case, line=Line.L2, reason="now")
    case.refresh_from_db()
    assert case.line == Line.L1


# --- one rule for who decides, on the console and in the API ----------------------------------


@pytest.fixture
def us_request(db):
    """A United States customer's pending request (US region), opened more than 24 hours ago."""
    us = SupportRegionFactory(code="us", name="United States", time_zone="America/New_York")
    admin = AccountAdminFactory(account=account_on(us, "enterprise"))
    case = open_case(admin, now=timezone.now() - timedelta(hours=30))
    return self_escalation_request(actor=admin, case=case, reason="critical_failure")


def _decide_in_api(client, user, item):
    return client.post(
        f"/api/v1/self-escalations/{item.pk}/decision",
        {"decision": "accepted", "reason": "Agreed"},
        content_type="application/json",
        headers=bearer(user),
    )


def _decide_on_console(user, item):
    browser = Client()
    browser.force_login(user)
    prefix = f"r{item.pk}"
    return browser.post(
        reverse("tickets:escalation-decide", args=[item.pk]),
        {f"{prefix}-decision": "accept", f"{prefix}-reason": "Agreed"},
    )


@pytest.mark.parametrize("surface", ["api", "console"])
def test_another_regions_supervisor_gets_404_and_changes_nothing(
    client, supervisor, us_request, surface
):
    # `supervisor` is the Italian region's.
    if surface == "api":
        response = _decide_in_api(client, supervisor, us_request)
    else:
        response = _decide_on_console(supervisor, us_request)
    assert response.status_code == 404
    us_request.refresh_from_db()
    assert us_request.decision == SelfEscalation.Decision.PENDING
    assert us_request.case.line == Line.L1
    assert not CaseEvent.objects.filter(kind="self_escalation_decided").exists()


@pytest.mark.parametrize(("surface", "status"), [("api", 200), ("console", 302)])
def test_the_regions_own_supervisor_decides(client, us_request, surface, status):
    us_supervisor = VendorUserFactory(role=Role.SUPERVISOR, region=us_request.case.region)
    if surface == "api":
        response = _decide_in_api(client, us_supervisor, us_request)
    else:
        response = _decide_on_console(us_supervisor, us_request)
    assert response.status_code == status
    us_request.refresh_from_db()
    assert us_request.decision == SelfEscalation.Decision.ACCEPTED
    assert us_request.case.line == Line.L2


def test_the_desk_and_the_api_use_one_scope(supervisor, us_request):
    from tierdesk.tickets.selectors import escalations

    us_supervisor = VendorUserFactory(role=Role.SUPERVISOR, region=us_request.case.region)
    assert list(escalations.pending_self_escalations(supervisor)) == []
    assert list(escalations.pending_self_escalations(us_supervisor)) == [us_request]
    assert escalations.access_self_escalation(us_supervisor, us_request.pk) == us_request
    for module in ("api", "console", "portal"):
        reads = __import__(f"tierdesk.tickets.selectors.{module}", fromlist=["x"])
        assert not hasattr(reads, "access_self_escalation"), module
        assert not hasattr(reads, "case_self_escalations"), module


def test_the_case_page_offers_deciding_only_to_the_regions_supervisors(supervisor, us_request):
    link = reverse("tickets:escalations")
    page = reverse("case-detail", args=[us_request.case_id])
    browser = Client()
    browser.force_login(supervisor)  # Italy's: sees the case, does not decide its request
    html = browser.get(page).content.decode()
    assert f'href="{link}"' not in html.split("<main", 1)[1]
    browser.force_login(VendorUserFactory(role=Role.SUPERVISOR, region=us_request.case.region))
    assert f'href="{link}"' in browser.get(page).content.decode().split("<main", 1)[1]
