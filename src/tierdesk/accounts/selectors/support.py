"""What a user's plan includes and how they reach support: one read for the home and account pages.

Every answer comes from the entitlement module (`accounts.entitlements`): which channels a plan
grants, which SLA targets apply. Nothing here restates a rule of the matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.db.models import Field
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..entitlements import (
    PUBLIC_CAPABILITIES,
    Capability,
    account_may,
    plan_allows,
    sla_target_table,
    user_may,
)
from ..models import CLOCK_CHOICES, Account, LicensePlan, SupportNumber, SupportPlan, Viewer

# The checklist of a plan, in the order of product.md's matrix.
SUMMARY_CAPABILITIES: Final = (
    Capability.HELP_CENTER,
    Capability.ASSISTANT,
    Capability.COMMUNITY_READ,
    Capability.COMMUNITY_POST,
    Capability.WEB_TICKETS,
    Capability.ASSISTANT_HANDOFF,
    Capability.PHONE_FIRST_LINE,
    Capability.PHONE_SECOND_LINE,
    Capability.ENGINEERING_ESCALATION,
    Capability.SELF_ESCALATION,
)
# What a support plan adds on top of the license (its flags, as the admin names them).
SUPPORT_PLAN_FEATURES: Final = (
    "direct_second_line_for_admins",
    "automated_escalation",
    "named_technical_account_manager",
)
# The phone line of each number, and the capability that lets a user call it.
PHONE_LINES: Final = (
    (SupportNumber.Line.FIRST, Capability.PHONE_FIRST_LINE),
    (SupportNumber.Line.SECOND, Capability.PHONE_SECOND_LINE),
)


@dataclass(frozen=True)
class Entitlement:
    """One line of a plan's checklist."""

    key: str
    label: str
    included: bool
    detail: str = ""


@dataclass(frozen=True)
class TargetRow:
    """The SLA targets of one severity: minutes (None: no such target) and how they count.

    Pages show the minutes with `|duration:"hours"`: hours, never days, since 24 business
    hours are about three working days.
    """

    severity: int
    first_response_minutes: int | None
    resolution_minutes: int | None
    clock: str


@dataclass(frozen=True)
class PlanSummary:
    """What a plan includes: the checklist and, for paid plans, the SLA targets by severity."""

    license_plan: LicensePlan | None
    support_plan: SupportPlan | None
    items: tuple[Entitlement, ...]
    targets: tuple[TargetRow, ...] = ()


@dataclass(frozen=True)
class PhoneLine:
    """A phone line the user may call and the region's numbers for it (maybe none yet)."""

    line: str
    label: str
    numbers: tuple[SupportNumber, ...]


@dataclass(frozen=True)
class SupportContacts:
    """How a user reaches support: the portal, the phone lines of their plan, the support PIN."""

    web_tickets: bool
    phone_lines: tuple[PhoneLine, ...]
    support_pin: str  # empty unless the plan includes a phone line

    @property
    def phone(self) -> bool:
        """Whether the plan includes any phone line."""
        return bool(self.phone_lines)

    @property
    def reachable(self) -> bool:
        """Whether the user may reach a person at all (portal or phone)."""
        return self.web_tickets or self.phone


NO_CONTACTS: Final = SupportContacts(web_tickets=False, phone_lines=(), support_pin="")


def _label(model: type[LicensePlan] | type[SupportPlan], name: str) -> str:
    """The field's name as the admin shows it: one wording for the matrix everywhere."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return str(capfirst(field.verbose_name))


def _capability_item(plan: LicensePlan, capability: Capability, included: bool) -> Entitlement:
    detail = ""
    if capability == Capability.SELF_ESCALATION and included:
        detail = _("after %(hours)d hours open") % {"hours": plan.self_escalation_after_hours}
    return Entitlement(
        key=capability.value,
        label=_label(LicensePlan, capability.value),
        included=included,
        detail=detail,
    )


def account_plan_summary(account: Account) -> PlanSummary:
    """The checklist of the account's plans and its SLA targets (targets: one query)."""
    license_plan, support_plan = account.license_plan, account.support_plan
    items = [
        _capability_item(license_plan, capability, account_may(account, capability))
        for capability in SUMMARY_CAPABILITIES
    ]
    items += [
        Entitlement(
            key=field,
            label=_label(SupportPlan, field),
            included=license_plan.is_paid and bool(getattr(support_plan, field)),
        )
        for field in SUPPORT_PLAN_FEATURES
    ]
    clocks = dict(CLOCK_CHOICES)
    targets = [
        TargetRow(
            severity=severity,
            first_response_minutes=target.first_response_minutes,
            resolution_minutes=target.resolution_minutes,
            clock=str(clocks.get(target.clock.value, target.clock.value)),
        )
        for severity, target in sorted(sla_target_table(account).items())
    ]
    return PlanSummary(license_plan, support_plan, tuple(items), tuple(targets))


def free_plan_summary() -> PlanSummary:
    """What a free account gets (for visitors): the included items of the free license plan.

    Without a free plan in the data, what anyone may use without an account.
    """
    plan = LicensePlan.objects.filter(is_paid=False).order_by("sort_order", "code").first()
    if plan is None:
        items = [
            Entitlement(key=c.value, label=_label(LicensePlan, c.value), included=True)
            for c in SUMMARY_CAPABILITIES
            if c in PUBLIC_CAPABILITIES
        ]
    else:
        items = [
            _capability_item(plan, capability, True)
            for capability in SUMMARY_CAPABILITIES
            if plan_allows(plan, capability)
        ]
    return PlanSummary(license_plan=plan, support_plan=None, items=tuple(items))


def support_contacts(user: Viewer) -> SupportContacts:
    """How this user may reach support, from their plan (visitors and vendor staff: nothing).

    The numbers of the account's region for the phone lines the plan includes, and the
    account's support PIN only when it includes at least one phone line.
    """
    if not user.is_authenticated or user.account_id is None or user.account is None:
        return NO_CONTACTS
    account = user.account
    lines = [line for line, capability in PHONE_LINES if user_may(user, capability)]
    numbers = (
        list(SupportNumber.objects.filter(region_id=account.region_id, line__in=lines))
        if lines
        else []
    )
    return SupportContacts(
        web_tickets=user_may(user, Capability.WEB_TICKETS),
        phone_lines=tuple(
            PhoneLine(
                line=line,
                label=str(capfirst(SupportNumber.Line(line).label)),
                numbers=tuple(n for n in numbers if n.line == line),
            )
            for line in lines
        ),
        support_pin=account.support_pin if lines else "",
    )
