"""The one place that answers what a user or account may use, from the plans' data.

Every other part of tierdesk asks here: may this user use channel X, what queue weight does an
account get, which SLA targets apply, may a case be self-escalated.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from tierdesk.sla.policies import ClockKind, Target

from .models import Account, LicensePlan, SlaTarget, Viewer
from .roles import Role


class Capability(enum.StrEnum):
    """A channel or right that the entitlement matrix grants per license plan."""

    HELP_CENTER = "help_center"
    ASSISTANT = "assistant"
    COMMUNITY_READ = "community_read"
    COMMUNITY_POST = "community_post"
    WEB_TICKETS = "web_tickets"
    ASSISTANT_HANDOFF = "assistant_handoff"
    PHONE_FIRST_LINE = "phone_first_line"
    PHONE_SECOND_LINE = "phone_second_line"
    ENGINEERING_ESCALATION = "engineering_escalation"
    SELF_ESCALATION = "self_escalation"


# What anyone may use without signing in.
PUBLIC_CAPABILITIES = frozenset(
    {Capability.HELP_CENTER, Capability.ASSISTANT, Capability.COMMUNITY_READ}
)


def plan_allows(plan: LicensePlan, capability: Capability) -> bool:
    """Whether a license plan's entitlement row grants the capability."""
    return bool(getattr(plan, capability.value))


def account_may(account: Account, capability: Capability) -> bool:
    """Whether the account's plans grant the capability to its users."""
    return plan_allows(account.license_plan, capability)


def user_may(user: Viewer | None, capability: Capability) -> bool:
    """Whether this user (or an anonymous visitor) may use the capability."""
    if user is None or not user.is_authenticated:
        return capability in PUBLIC_CAPABILITIES
    if not user.is_active:
        return False
    if user.account_id is None or user.account is None:
        # Vendor staff read and post everywhere public; customer channels are not theirs.
        return capability in PUBLIC_CAPABILITIES or capability == Capability.COMMUNITY_POST
    return account_may(user.account, capability)


def may_reach_second_line_directly(user: Viewer | None) -> bool:
    """Premier and Premier+ give account admins direct access to second-line support."""
    if user is None or not user.is_authenticated or user.account is None:
        return False
    return (
        user.role == Role.ACCOUNT_ADMIN and user.account.support_plan.direct_second_line_for_admins
    )


def queue_weight(account: Account) -> int:
    """The account's queue priority weight: the license's weight plus the support plan's boost.

    0 means the account has no place in the support queues (a free plan).
    """
    base = account.license_plan.queue_weight
    if not base:
        return 0
    return base + account.support_plan.priority_boost


def sla_target_table(account: Account) -> dict[int, Target]:
    """The SLA targets in force for the account's new cases, by severity (one query).

    Empty when none apply (a free license). A case stores this table when it opens: it is the
    contract of that case (docs/plans.md), whatever an admin changes later.
    """
    if not account.license_plan.is_paid:
        return {}
    rows = SlaTarget.objects.filter(support_plan_id=account.support_plan_id).values_list(
        "severity", "first_response_minutes", "resolution_minutes", "clock"
    )
    return {
        severity: Target(first, resolution, ClockKind(clock))
        for severity, first, resolution, clock in rows
    }


def sla_targets(account: Account, severity: int) -> Target | None:
    """The targets a new case of this severity on this account would get, or None."""
    if not 1 <= severity <= 4:
        raise ValueError(f"severity must be 1 to 4, got {severity}")
    return sla_target_table(account).get(severity)


def may_self_escalate(user: Viewer, *, opened_at: datetime, now: datetime) -> bool:
    """Whether a customer may escalate a case opened at `opened_at` themselves, at `now`."""
    if not user.is_authenticated or user.account is None:
        return False
    if not user_may(user, Capability.SELF_ESCALATION):
        return False
    hours = user.account.license_plan.self_escalation_after_hours
    return now - opened_at >= timedelta(hours=hours)
