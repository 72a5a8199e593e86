"""The default entitlement matrix, queue weights and SLA targets of product.md, cell by cell."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import AccountFactory, UserFactory, VendorUserFactory
from tierdesk.accounts.entitlements import (
    PUBLIC_CAPABILITIES,
    Capability,
    may_reach_second_line_directly,
    may_self_escalate,
    queue_weight,
    sla_targets,
    user_may,
)
from tierdesk.accounts.models import LicensePlan, SlaTarget, SupportPlan
from tierdesk.accounts.roles import Role
from tierdesk.sla.policies import DEFAULT_POLICIES, ClockKind, Target

pytestmark = pytest.mark.django_db

PLANS = ["basic", "pro", "business", "business_plus", "enterprise", "education"]
PAID_PLANS = PLANS[1:]
C = Capability

# product.md, "Plans and entitlements": capability -> (Basic, Pro, Business, Business Plus,
# Enterprise, Education). Enterprise and Education share a column in product.md.
MATRIX: dict[Capability, tuple[bool, bool, bool, bool, bool, bool]] = {
    C.HELP_CENTER: (True, True, True, True, True, True),
    C.ASSISTANT: (True, True, True, True, True, True),
    C.COMMUNITY_READ: (True, True, True, True, True, True),
    C.COMMUNITY_POST: (True, True, True, True, True, True),
    C.WEB_TICKETS: (False, True, True, True, True, True),
    C.ASSISTANT_HANDOFF: (False, True, True, True, True, True),
    C.PHONE_FIRST_LINE: (False, True, True, True, True, True),
    C.PHONE_SECOND_LINE: (False, False, True, True, True, True),
    C.ENGINEERING_ESCALATION: (False, False, False, True, True, True),
    C.SELF_ESCALATION: (False, False, False, True, True, True),
}
LICENSE_WEIGHT = {
    "basic": 0,
    "pro": 1,
    "business": 2,
    "business_plus": 3,
    "enterprise": 4,
    "education": 4,
}
# Decision (docs/plans.md): the support plan adds a boost to the license's weight.
BOOST = {"access": 0, "premier": 2, "premier_plus": 3}

H = 60
BUSINESS = ClockKind.BUSINESS
AROUND = ClockKind.TWENTY_FOUR_SEVEN
# product.md, "Default targets": (support plan, severity) -> (first response, resolution, clock)
TARGETS = {
    **{
        (plan, sev): target
        for plan in ("premier", "premier_plus")
        for sev, target in {
            1: (1 * H, 4 * H, AROUND),
            2: (4 * H, 24 * H, BUSINESS),
            3: (8 * H, 24 * H, BUSINESS),
            4: (8 * H, 24 * H, BUSINESS),
        }.items()
    },
    ("access", 1): (4 * H, None, AROUND),
    ("access", 2): (8 * H, None, BUSINESS),
    ("access", 3): (16 * H, None, BUSINESS),
    ("access", 4): (16 * H, None, BUSINESS),
}


def license_plan(code: str) -> LicensePlan:
    return LicensePlan.objects.get(code=code)


def support_plan(code: str) -> SupportPlan:
    return SupportPlan.objects.get(code=code)


def member_on(plan: str, support: str = "access", role: Role = Role.MEMBER):
    account = AccountFactory(license_plan=license_plan(plan), support_plan=support_plan(support))
    return UserFactory(account=account, role=role)


def test_the_matrix_covers_every_capability():
    assert set(MATRIX) == set(Capability)


@pytest.mark.parametrize(
    ("plan", "capability", "expected"),
    [
        pytest.param(plan, cap, row[i], id=f"{plan}-{cap.value}")
        for cap, row in MATRIX.items()
        for i, plan in enumerate(PLANS)
    ],
)
def test_every_cell_of_the_default_matrix(plan, capability, expected):
    member = member_on(plan)
    admin = UserFactory(account=member.account, role=Role.ACCOUNT_ADMIN)
    assert user_may(member, capability) is expected
    assert user_may(admin, capability) is expected


@pytest.mark.parametrize(
    ("plan", "support"),
    # Premier and Premier+ need a paid license, so Basic only comes with Access.
    [
        (plan, support)
        for plan in PLANS
        for support in BOOST
        if plan != "basic" or support == "access"
    ],
)
def test_queue_weight_is_the_license_weight_plus_the_support_boost(plan, support):
    account = AccountFactory(license_plan=license_plan(plan), support_plan=support_plan(support))
    expected = 0 if plan == "basic" else LICENSE_WEIGHT[plan] + BOOST[support]
    assert queue_weight(account) == expected


def test_basic_has_no_queue_weight_in_the_data():
    assert license_plan("basic").queue_weight is None


@pytest.mark.parametrize(("support", "severity"), sorted(TARGETS))
@pytest.mark.parametrize("plan", PAID_PLANS)
def test_sla_targets_per_support_plan_and_severity(plan, support, severity):
    account = AccountFactory(license_plan=license_plan(plan), support_plan=support_plan(support))
    targets = sla_targets(account, severity)
    assert targets is not None
    first, resolution, clock = TARGETS[(support, severity)]
    assert targets.first_response_minutes == first
    assert targets.resolution_minutes == resolution
    assert targets.clock == clock


@pytest.mark.parametrize("severity", [1, 2, 3, 4])
def test_basic_gets_no_targets(severity):
    account = AccountFactory(
        license_plan=license_plan("basic"), support_plan=support_plan("access")
    )
    assert sla_targets(account, severity) is None


@pytest.mark.parametrize("severity", [0, 5, -1])
def test_a_severity_outside_1_to_4_is_refused(severity):
    account = AccountFactory()
    with pytest.raises(ValueError, match="severity"):
        sla_targets(account, severity)


def test_targets_follow_the_data_when_an_admin_edits_them():
    account = AccountFactory(support_plan=support_plan("premier"))
    support_plan("premier").targets.filter(severity=2).update(first_response_minutes=90)
    targets = sla_targets(account, 2)
    assert targets is not None
    assert targets.first_response_minutes == 90


def test_the_matrix_follows_the_data_when_an_admin_edits_it():
    member = member_on("pro")
    assert not user_may(member, C.PHONE_SECOND_LINE)
    LicensePlan.objects.filter(code="pro").update(phone_second_line=True)
    member.account.license_plan.refresh_from_db()
    assert user_may(member, C.PHONE_SECOND_LINE)


@pytest.mark.parametrize("capability", list(Capability))
def test_anonymous_visitor_reads_only_the_public_resources(capability):
    expected = capability in {C.HELP_CENTER, C.ASSISTANT, C.COMMUNITY_READ}
    assert user_may(AnonymousUser(), capability) is expected
    assert user_may(None, capability) is expected


def test_public_capabilities_are_the_visitor_row_of_product_md():
    assert {C.HELP_CENTER, C.ASSISTANT, C.COMMUNITY_READ} == PUBLIC_CAPABILITIES


@pytest.mark.parametrize(
    "role", [Role.AGENT_L1, Role.AGENT_L2, Role.ENGINEER, Role.SUPERVISOR, Role.STAFF_ADMIN]
)
@pytest.mark.parametrize("capability", list(Capability))
def test_vendor_staff_use_the_public_resources_and_post_but_no_customer_channel(role, capability):
    staff = VendorUserFactory(role=role)
    expected = capability in {C.HELP_CENTER, C.ASSISTANT, C.COMMUNITY_READ, C.COMMUNITY_POST}
    assert user_may(staff, capability) is expected


@pytest.mark.parametrize("capability", list(Capability))
def test_an_inactive_user_may_use_nothing(capability):
    member = member_on("enterprise")
    member.is_active = False
    assert user_may(member, capability) is False


@pytest.mark.parametrize(
    ("support", "role", "expected"),
    [
        ("access", Role.ACCOUNT_ADMIN, False),
        ("access", Role.MEMBER, False),
        ("premier", Role.ACCOUNT_ADMIN, True),
        ("premier", Role.MEMBER, False),
        ("premier_plus", Role.ACCOUNT_ADMIN, True),
        ("premier_plus", Role.MEMBER, False),
    ],
)
def test_direct_second_line_for_premier_account_admins(support, role, expected):
    user = member_on("pro", support, role)
    assert may_reach_second_line_directly(user) is expected


def test_no_direct_second_line_for_visitors_or_staff():
    assert may_reach_second_line_directly(AnonymousUser()) is False
    assert may_reach_second_line_directly(None) is False
    assert may_reach_second_line_directly(VendorUserFactory(role=Role.AGENT_L2)) is False


OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("plan", "allowed"),
    [(plan, MATRIX[C.SELF_ESCALATION][i]) for i, plan in enumerate(PLANS)],
)
def test_self_escalation_after_24_hours_open(plan, allowed):
    user = member_on(plan)
    just_before = OPENED + timedelta(hours=24) - timedelta(seconds=1)
    assert may_self_escalate(user, opened_at=OPENED, now=just_before) is False
    at_24_hours = OPENED + timedelta(hours=24)
    assert may_self_escalate(user, opened_at=OPENED, now=at_24_hours) is allowed
    much_later = OPENED + timedelta(days=30)
    assert may_self_escalate(user, opened_at=OPENED, now=much_later) is allowed


def test_self_escalation_delay_is_data():
    user = member_on("business_plus")
    LicensePlan.objects.filter(code="business_plus").update(self_escalation_after_hours=48)
    user.account.license_plan.refresh_from_db()
    assert may_self_escalate(user, opened_at=OPENED, now=OPENED + timedelta(hours=24)) is False
    assert may_self_escalate(user, opened_at=OPENED, now=OPENED + timedelta(hours=48)) is True


def test_no_self_escalation_for_visitors_or_staff():
    later = OPENED + timedelta(days=3)
    assert may_self_escalate(AnonymousUser(), opened_at=OPENED, now=later) is False
    assert may_self_escalate(VendorUserFactory(), opened_at=OPENED, now=later) is False


def test_the_seeded_targets_are_the_pure_default_table():
    """One source: migration 0002 seeds the SlaTarget rows from tierdesk.sla.policies."""
    seeded = {
        (plan, severity): Target(first, resolution, ClockKind(clock))
        for plan, severity, first, resolution, clock in SlaTarget.objects.values_list(
            "support_plan__code",
            "severity",
            "first_response_minutes",
            "resolution_minutes",
            "clock",
        )
    }
    assert seeded == dict(DEFAULT_POLICIES)
    assert {
        (plan, sev): (t.first_response_minutes, t.resolution_minutes, t.clock)
        for (plan, sev), t in DEFAULT_POLICIES.items()
    } == TARGETS
