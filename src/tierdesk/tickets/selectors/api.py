"""Reads the cases API needs beyond `selectors`: people chosen by id, requests, SLA state now.

Every lookup by id is scoped before it is made, so an id from another tenant reads exactly like
an id that does not exist: a person outside the case's account is "no such person" (422).
Escalation requests are read through `selectors.escalations`, like the console's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tierdesk.accounts.models import Account, User, Viewer
from tierdesk.sla.clock import ClockStatus

from ..models import Case, Message, SlaClock
from .cases import CaseFilters, case_list, is_agent, visible_messages
from .clocks import case_clock_inputs, case_pauses


@dataclass(frozen=True)
class ApiCaseFilters:
    """The API's list filters: the shared ones plus line and account (meant for agents)."""

    base: CaseFilters
    line: str | None = None
    account_id: int | None = None


def api_case_list(user: Viewer, filters: ApiCaseFilters) -> QuerySet[Case]:
    """The user's visible cases with the API's filters, newest first."""
    cases = case_list(user, filters.base)
    if filters.line:
        cases = cases.filter(line=filters.line)
    if filters.account_id is not None:
        cases = cases.filter(account_id=filters.account_id)
    return cases


def with_plans(user: User) -> User:
    """The user again with their account's plans, which opening a case reads."""
    if user.account_id is None:
        return user
    account = user.account if User.account.is_cached(user) else None
    if account is not None and all(
        field.is_cached(account) for field in (Account.license_plan, Account.support_plan)
    ):
        return user  # loaded with its plans already (API token authentication)
    return User.objects.select_related("account__license_plan", "account__support_plan").get(
        pk=user.pk
    )


def requester_for(actor: Any, requester_id: int | None) -> User | None:
    """Whom a new case is for: customers themselves; agents name an active customer by id."""
    if not is_agent(actor):
        if requester_id is not None and requester_id != actor.pk:
            raise ValidationError({"requester_id": _("Customers open cases for themselves.")})
        return None
    if requester_id is None:
        return None
    requester = (
        User.objects.filter(pk=requester_id, is_active=True, account__isnull=False)
        .select_related("account__license_plan", "account__support_plan", "account__region")
        .first()
    )
    if requester is None:
        raise ValidationError({"requester_id": _("No such customer.")})
    return requester


def cc_people(account_id: int | None, ids: Sequence[int], *, field: str = "cc") -> list[User]:
    """The active users of one account with these ids; any other id is refused."""
    wanted = set(ids)
    if not wanted:
        return []
    people = (
        list(User.objects.filter(pk__in=wanted, account_id=account_id, is_active=True))
        if account_id is not None
        else []
    )
    if len(people) != len(wanted):
        raise ValidationError({field: _("CC'd people must be active users of the same account.")})
    return people


def vendor_person(user_id: int | None, *, field: str = "assignee_id") -> User | None:
    """An active member of the vendor's staff by id (None stays None)."""
    if user_id is None:
        return None
    person = User.objects.filter(pk=user_id, is_active=True, account__isnull=True).first()
    if person is None:
        raise ValidationError({field: _("No such agent.")})
    return person


def case_message(user: Viewer, case: Case, message_id: int | None) -> Message | None:
    """A message of this case that the user may read (None stays None)."""
    if message_id is None:
        return None
    message = visible_messages(user, case).filter(pk=message_id).first()
    if message is None:
        raise ValidationError({"message_id": _("No such message on this case.")})
    return message


@dataclass(frozen=True)
class SlaState:
    """One target's clock of a case at `now`; durations count the clock's own time."""

    target: str
    clock: str
    target_minutes: int
    due_at: datetime
    met_at: datetime | None
    breached_at: datetime | None
    state: str
    paused: bool
    elapsed_seconds: int
    remaining_seconds: int
    paused_seconds: int
    fraction: float
    warnings: list[tuple[float, datetime]]
    explanation: list[str] | None


def case_sla(
    case: Case,
    *,
    now: datetime,
    explain: bool = False,
    clocks: Sequence[SlaClock] | None = None,
    pauses: list[tuple[datetime, datetime | None]] | None = None,
) -> list[SlaState]:
    """The case's clocks evaluated now, from its stored clock rows (the targets its timers use).

    Durations count the clock's own time: business time on a business-hours clock. `clocks`
    and `pauses`, when the caller has them (a case it just opened), save reading them again.
    """
    rows = sorted(
        SlaClock.objects.filter(case=case) if clocks is None else clocks, key=lambda c: c.target
    )
    if not rows:
        return []
    pauses = case_pauses(case) if pauses is None else pauses
    # The inputs of the clocks and of their explanations, from the one selector: an
    # explanation ends at its clock's due instant. The rows add the breaches already recorded.
    inputs = case_clock_inputs(case, pauses=pauses)
    recorded = {row.target: row.breached_at for row in rows}
    out = []
    for target in inputs.targets:
        state = inputs.clock(target, now=now)
        breached_at = recorded.get(target.target)
        if breached_at is None and state.state is ClockStatus.BREACHED:
            breached_at = state.due
        explanation = inputs.explanation(target, now=now).lines() if explain else None
        out.append(
            SlaState(
                target=target.target,
                clock=target.kind.value,
                target_minutes=target.minutes,
                due_at=state.due,
                met_at=state.stopped_at if state.state is ClockStatus.MET else None,
                breached_at=breached_at,
                state=state.state.value,
                paused=state.state is ClockStatus.PAUSED,
                elapsed_seconds=int(state.elapsed.total_seconds()),
                remaining_seconds=int(state.remaining.total_seconds()),
                paused_seconds=int(state.paused.total_seconds()),
                fraction=round(state.fraction, 4),
                warnings=[(w.fraction, w.at) for w in state.warnings],
                explanation=explanation,
            )
        )
    return out
