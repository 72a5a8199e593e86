"""Firing SLA timers exactly once, whatever the number of workers and however they die.

A worker claims due timers with a lease (a conditional UPDATE, so two workers never hold one
claim) and then fires each in its own transaction. Firing starts with
`UPDATE ... SET fired_at = now WHERE id = ? AND fired_at IS NULL`: only the transaction that
changes that row goes on, and its effects (history, breach, escalation, outbox rows) commit
with it or not at all. A worker that dies after claiming leaves a lease that expires; one that
dies while firing leaves nothing, since its transaction rolls back. The claim only avoids
wasted work; the guarded update is what makes a timer act once.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tierdesk.accounts.models import ClockKind
from tierdesk.accounts.roles import Role
from tierdesk.notifications.selectors import recipients_memo

from ..choices import ACTIVE_STATUSES, Line, Status, TimerEvent
from ..models import Case, SlaClock, SlaTimer
from . import notify
from .clocks import case_calendar, clocks_recompute
from .history import event_record

logger = logging.getLogger(__name__)


def worker_name() -> str:
    """A name for this worker process, unique enough to tell claims apart."""
    return f"w-{uuid.uuid4().hex[:12]}"


def timers_claim_due(*, worker: str, now: datetime, limit: int = 500) -> list[int]:
    """Claim up to `limit` due timers (free, or whose lease expired) for `worker`."""
    lease_until = now + timedelta(seconds=settings.SLA_TIMER_LEASE_SECONDS)
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    candidates = list(
        SlaTimer.objects.filter(Q(fired_at__isnull=True, fire_at__lte=now) & free)
        .order_by("fire_at")
        .values_list("pk", flat=True)[:limit]
    )
    if not candidates:
        return []
    # The same filter again in the UPDATE: a timer claimed by someone else meanwhile is skipped.
    SlaTimer.objects.filter(Q(pk__in=candidates, fired_at__isnull=True) & free).update(
        claimed_by=worker, claimed_until=lease_until
    )
    return list(
        SlaTimer.objects.filter(pk__in=candidates, claimed_by=worker, fired_at__isnull=True)
        .order_by("fire_at")
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class FireResult:
    """What firing one timer did."""

    timer_id: int
    outcome: str


@transaction.atomic
def timer_fire(*, timer_id: int, worker: str, now: datetime | None = None) -> FireResult:
    """Fire one timer if it is still due and unfired; re-check the case before acting."""
    return _fire(timer_id, worker, now or timezone.now())


def _fire(timer_id: int, worker: str, now: datetime) -> FireResult:
    """Fire one timer inside the caller's transaction (see the module docstring)."""
    won = (
        SlaTimer.objects.filter(pk=timer_id, fired_at__isnull=True)
        .filter(Q(claimed_by=worker) | Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(fired_at=now, claimed_by=worker)
    )
    if not won:
        return FireResult(timer_id, "not-ours")
    timer = SlaTimer.objects.get(pk=timer_id)
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("account__support_plan", "account__license_plan", "assignee", "region")
        .get(pk=timer.case_id)
    )
    clock = SlaClock.objects.filter(case=case, target=timer.target).first()
    outcome = _act(timer, case, clock, now)
    SlaTimer.objects.filter(pk=timer_id).update(outcome=outcome)
    return FireResult(timer_id, outcome)


def _act(timer: SlaTimer, case: Case, clock: SlaClock | None, now: datetime) -> str:
    # Re-check: the case may have moved on since the timer was written.
    if case.status not in ACTIVE_STATUSES or case.status == Status.WAITING:
        return "skipped:case-not-running"
    if clock is None or clock.met_at is not None:
        return "skipped:clock-met"
    if timer.event == TimerEvent.BREACH:
        if clock.due_at > now:
            return "skipped:not-due"
        if clock.breached_at is None:
            clock.breached_at = clock.due_at
            clock.save(update_fields=["breached_at"])
        event_record(
            case=case,
            actor=None,
            at=now,
            kind="sla_breach",
            after={"target": timer.target, "due_at": clock.due_at.isoformat()},
        )
        notify.sla_breach(case=case, timer=timer)
        return "breach"
    if clock.clock == ClockKind.BUSINESS_HOURS:
        # Nobody is warned in the middle of a closed business day: a warning found late (the
        # worker was down) waits for the region's next opening.
        calendar = case_calendar(case)
        if not calendar.is_open(now):
            opening = calendar.next_opening(now)
            if opening is not None:
                SlaTimer.objects.filter(pk=timer.pk).update(
                    fired_at=None, fire_at=opening, claimed_by="", claimed_until=None
                )
                return "deferred:closed"
    event_record(
        case=case,
        actor=None,
        at=now,
        kind="sla_warning",
        after={
            "target": timer.target,
            "fraction": timer.fraction,
            "due_at": clock.due_at.isoformat(),
        },
    )
    notify.sla_warning(case=case, timer=timer)
    if case.account.support_plan.automated_escalation and case.line == Line.L1:
        # Premier+: breach risk moves the case to second line before it breaches.
        event_record(
            case=case,
            actor=None,
            at=now,
            kind="escalated",
            before=case.line,
            after=Line.L2,
            note="automatic: breach risk on Premier+",
        )
        case.line = Line.L2
        if case.assignee is not None and case.assignee.role == Role.AGENT_L1:
            case.assignee = None
        case.save()
        clocks_recompute(case=case, now=now)
        return "warning+escalated"
    return "warning"


def timers_sweep(
    *, now: datetime | None = None, worker: str | None = None, limit: int = 500, chunk: int = 50
) -> list[FireResult]:
    """Claim and fire every due timer (the periodic job); returns what each did.

    Timers fire in transactions of up to `chunk` timers, each in its own savepoint: a timer whose
    firing fails rolls back alone (it stays unfired and is tried again once its claim expires),
    and a worker that dies mid-chunk loses the whole chunk's effects, never doubles them.
    """
    now = now or timezone.now()
    worker = worker or worker_name()
    ids = timers_claim_due(worker=worker, now=now, limit=limit)
    results: list[FireResult] = []
    with recipients_memo():
        for start in range(0, len(ids), chunk):
            results.extend(_fire_chunk(ids[start : start + chunk], worker=worker, now=now))
    return results


@transaction.atomic
def _fire_chunk(ids: list[int], *, worker: str, now: datetime) -> list[FireResult]:
    results = []
    for timer_id in ids:
        try:
            with transaction.atomic():
                results.append(_fire(timer_id, worker, now))
        except Exception:
            logger.exception("SLA timer %s failed to fire; it will be retried", timer_id)
            results.append(FireResult(timer_id, "error"))
    return results
