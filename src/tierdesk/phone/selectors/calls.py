"""Reads of phone support: who is calling, the queues, estimates, the figures.

Every agent-facing read is scoped by `agent_lines` (the phone lines a role works) and, for
agents with a region, by their region; supervisors and staff admins see every queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet

from tierdesk.accounts.models import Account, SupportNumber, User, Viewer, region_display_name
from tierdesk.accounts.roles import Role
from tierdesk.tickets.selectors.cases import is_agent, sees_all_cases

from ..models import AgentPresence, CallLine, KnownCaller, QueueEntry
from ..queueing import (
    DEFAULT_HANDLE_SECONDS,
    Waiting,
    estimate_wait_seconds,
    position_of,
    queue_order,
)

# The phone lines each role answers (the case lines of tickets.selectors.cases.LINES_BY_ROLE).
PHONE_LINES_BY_ROLE: dict[str, tuple[str, ...]] = {
    Role.AGENT_L1: (CallLine.FIRST,),
    Role.AGENT_L2: (CallLine.FIRST, CallLine.SECOND),
    Role.SUPERVISOR: (CallLine.FIRST, CallLine.SECOND),
    Role.STAFF_ADMIN: (CallLine.FIRST, CallLine.SECOND),
}
# How many recent handled calls give the mean handle time.
HANDLE_SAMPLE = 50


@dataclass(frozen=True)
class Caller:
    """Who is calling: the account and, when the number is a person's, that person."""

    account: Account
    user: User | None


def dialled_number(number: str) -> SupportNumber | None:
    """The support number the caller dialled, if it is one of ours."""
    return SupportNumber.objects.select_related("region").filter(number=number).first()


def caller_by_number(number: str) -> Caller | None:
    """The account of a known caller number (a person's number names the person too)."""
    known = (
        KnownCaller.objects.select_related(
            "account__license_plan", "account__support_plan", "account__region", "user"
        )
        .filter(number=number)
        .first()
    )
    if known is None:
        return None
    user = known.user if known.user is not None and known.user.is_active else None
    return Caller(account=known.account, user=user)


def caller_by_pin(pin: str, from_number: str) -> Caller | None:
    """The account whose support PIN this is; the caller's own number may name the person."""
    if len(pin) != 6 or not pin.isdigit():
        return None
    accounts = list(
        Account.objects.select_related("license_plan", "support_plan", "region").filter(
            support_pin=pin
        )[:2]
    )
    if len(accounts) != 1:  # unknown, or (never by design) shared: nobody is identified
        return None
    account = accounts[0]
    known = KnownCaller.objects.filter(number=from_number, account=account).first()
    user = known.user if known is not None and known.user and known.user.is_active else None
    return Caller(account=account, user=user)


def account_requester(account: Account, user: User | None) -> User | None:
    """Who a phone case is for: the caller when known, else the account's first active admin."""
    if user is not None:
        return user
    people = User.objects.filter(account=account, is_active=True).order_by("-role", "pk")
    return people.filter(role=Role.ACCOUNT_ADMIN).first() or people.first()


def agent_lines(user: Viewer) -> tuple[str, ...]:
    """The phone lines this person answers (none for customers and visitors)."""
    if not is_agent(user):
        return ()
    return PHONE_LINES_BY_ROLE.get(user.role, ())


def agent_entries(user: User) -> QuerySet[QueueEntry]:
    """The queue entries this agent may see: their lines, in their region unless a supervisor."""
    lines = agent_lines(user)
    found = QueueEntry.objects.filter(line__in=lines)
    if not sees_all_cases(user) and user.region_id is not None:
        found = found.filter(region_id=user.region_id)
    return found


def _waiting(entry: QueueEntry) -> Waiting:
    return Waiting(entry.pk, entry.severity, entry.plan_weight, entry.entered_at)


def waiting_order(entries: QuerySet[QueueEntry]) -> list[QueueEntry]:
    """The waiting entries of `entries` in the order they are served (phone.queueing)."""
    rows = list(
        entries.filter(state=QueueEntry.State.WAITING).select_related(
            "call__account", "region", "callback"
        )
    )
    by_id = {row.pk: row for row in rows}
    return [by_id[w.id] for w in queue_order(_waiting(row) for row in rows)]


def mean_handle_seconds(*, region_id: int, line: str) -> float:
    """The mean handle time of the line's last handled calls (answer to wrap-up)."""
    recent = list(
        QueueEntry.objects.filter(
            region_id=region_id, line=line, wrapped_up_at__isnull=False, taken_at__isnull=False
        )
        .order_by("-wrapped_up_at")
        .values_list("taken_at", "wrapped_up_at")[:HANDLE_SAMPLE]
    )
    if not recent:
        return DEFAULT_HANDLE_SECONDS
    spans = [(end - start).total_seconds() for start, end in recent if start and end]
    return sum(spans) / len(spans) if spans else DEFAULT_HANDLE_SECONDS


def agents_on_line(*, region_id: int, line: str, now: datetime) -> tuple[int, int]:
    """(agents available on the line, how many of them are on a call) from console presence."""
    since = now - timedelta(seconds=settings.PHONE_PRESENCE_SECONDS)
    present = [
        p.agent_id
        for p in AgentPresence.objects.filter(seen_at__gte=since).filter(
            Q(region_id=region_id) | Q(region__isnull=True)
        )
        if line in p.lines
    ]
    busy = (
        QueueEntry.objects.filter(
            agent_id__in=present, state=QueueEntry.State.TAKEN, wrapped_up_at__isnull=True
        )
        .values("agent_id")
        .distinct()
        .count()
        if present
        else 0
    )
    return len(present), busy


def entry_estimate(entry: QueueEntry, *, now: datetime) -> tuple[int, int]:
    """(position, estimated wait in seconds) of a waiting entry in its queue."""
    same_queue = [
        _waiting(row)
        for row in QueueEntry.objects.filter(
            region_id=entry.region_id, line=entry.line, state=QueueEntry.State.WAITING
        ).only("pk", "severity", "plan_weight", "entered_at")
    ]
    position = position_of(_waiting(entry), same_queue)
    agents, busy = agents_on_line(region_id=entry.region_id, line=entry.line, now=now)
    wait = estimate_wait_seconds(
        position=position,
        agents=agents,
        busy=busy,
        mean_handle_seconds=mean_handle_seconds(region_id=entry.region_id, line=entry.line),
    )
    return position, wait


def open_calls_of(agent: User) -> list[QueueEntry]:
    """The calls this agent answered and has not wrapped up yet."""
    return list(
        QueueEntry.objects.filter(
            agent=agent, state=QueueEntry.State.TAKEN, wrapped_up_at__isnull=True
        ).select_related("call__account__license_plan", "call__caller", "region", "callback")
    )


@dataclass(frozen=True)
class FigureRow:
    """The figures of one region's line over a period."""

    region: str
    line: str
    offered: int
    handled: int
    abandoned: int
    callbacks: int
    waiting: int
    mean_wait_seconds: float | None
    max_wait_seconds: float | None


def phone_figures(*, since: datetime) -> list[FigureRow]:
    """Waiting time, abandoned calls, callbacks and handled calls per region and line."""
    wait = ExpressionWrapper(F("taken_at") - F("entered_at"), output_field=DurationField())
    rows = (
        QueueEntry.objects.filter(entered_at__gte=since)
        .exclude(state=QueueEntry.State.TRANSFERRED)
        .values("region__name", "line")
        .annotate(
            offered=Count("pk"),
            handled=Count("pk", filter=Q(taken_at__isnull=False)),
            abandoned=Count("pk", filter=Q(state=QueueEntry.State.ABANDONED)),
            callbacks=Count("pk", filter=Q(kind=QueueEntry.Kind.CALLBACK)),
            waiting=Count("pk", filter=Q(state=QueueEntry.State.WAITING)),
            mean_wait=Avg(wait, filter=Q(taken_at__isnull=False)),
        )
        .order_by("region__name", "line")
    )
    found = []
    labels = dict(CallLine.choices)
    for row in rows:
        mean = row["mean_wait"]
        found.append(
            FigureRow(
                region=region_display_name(row["region__name"] or ""),
                line=str(labels.get(row["line"], row["line"])),
                offered=row["offered"],
                handled=row["handled"],
                abandoned=row["abandoned"],
                callbacks=row["callbacks"],
                waiting=row["waiting"],
                mean_wait_seconds=mean.total_seconds() if mean is not None else None,
                max_wait_seconds=None,
            )
        )
    return found
