"""Firing SLA timers exactly once, whatever the number of workers and however they die.

A worker claims due timers with a lease (a conditional UPDATE, so two workers never hold one
claim) and then fires them in chunks, each chunk one transaction. Firing starts with
`UPDATE ... SET fired_at = now WHERE id IN (...) AND fired_at IS NULL`: only the transaction
that changes a row goes on with that timer, and its effects (history, breach, escalation,
outbox rows) commit with it or not at all. A worker that dies after claiming leaves a lease
that expires; one that dies while firing leaves nothing, since its transaction rolls back.
The claim only avoids wasted work; the guarded update is what makes a timer act once.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from tierdesk.accounts.roles import Role
from tierdesk.accounts.selectors.regions import calendars_memo
from tierdesk.notifications.selectors import prime_recipients, recipients_memo
from tierdesk.notifications.services import outbox_batch
from tierdesk.sla.policies import ClockKind

from ..choices import EventKind, Line, Status, TimerEvent
from ..models import Case, CaseEvent, SlaClock, SlaTimer
from ..selectors.clocks import case_calendar
from . import notices
from .clocks import clocks_recompute
from .history import event_new

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


@dataclass(frozen=True)
class _Outcome:
    """What `_act` decided: the outcome, and the opening a warning found late waits for."""

    name: str
    defer_to: datetime | None = None


@dataclass
class _Writes:
    """Rows the firing of timers writes, collected to be written together."""

    events: list[CaseEvent] = field(default_factory=list)
    breached_clock_ids: list[int] = field(default_factory=list)

    def event(self, case: Case, now: datetime, kind: str, **values: Any) -> None:
        """A history entry by the system."""
        self.events.append(event_new(case=case, actor=None, at=now, kind=kind, **values))

    def flush(self) -> None:
        """Write what was collected (two statements at most)."""
        CaseEvent.objects.bulk_create(self.events)
        if self.breached_clock_ids:
            # A recompute in the same batch may have recorded the breach already.
            SlaClock.objects.filter(
                pk__in=self.breached_clock_ids, breached_at__isnull=True
            ).update(breached_at=F("due_at"))
        self.events, self.breached_clock_ids = [], []


@transaction.atomic
def timer_fire(*, timer_id: int, worker: str, now: datetime | None = None) -> FireResult:
    """Fire one timer if it is still due and unfired; re-check the case before acting."""
    return _fire_batch([timer_id], worker=worker, now=now or timezone.now(), isolate=False)[0]


def _take(ids: list[int], worker: str, now: datetime) -> dict[int, SlaTimer]:
    """Mark the timers of `ids` that are still ours to fire as fired; return those.

    Only the transaction whose UPDATE changes a row goes on with it: a concurrent one blocks on
    the row and then finds `fired_at` set. Rows are read before (unfired ones) and after (fired
    now by this worker, whose name no other worker shares) to know which ones changed.
    """
    ours = Q(claimed_by=worker) | Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    unfired = list(
        SlaTimer.objects.filter(Q(pk__in=ids, fired_at__isnull=True) & ours).values_list(
            "pk", flat=True
        )
    )
    if not unfired:
        return {}
    SlaTimer.objects.filter(Q(pk__in=unfired, fired_at__isnull=True) & ours).update(
        fired_at=now, claimed_by=worker
    )
    return SlaTimer.objects.filter(pk__in=unfired, fired_at=now, claimed_by=worker).in_bulk()


def _lock_cases(case_ids: set[int]) -> dict[int, Case]:
    """The timers' cases, locked for the transaction, with what `_act` reads (one query)."""
    cases = (
        Case.objects.select_for_update(of=("self",))
        .select_related(
            "account__support_plan",
            "account__license_plan",
            "account__technical_account_manager",
            "assignee",
            "region",
        )
        .filter(pk__in=case_ids)
        .order_by("pk")  # one lock order for every worker: no deadlock between two sweeps
    )
    return {case.pk: case for case in cases}


def _clocks_of(case_ids: set[int]) -> dict[tuple[int, str], SlaClock]:
    """The cases' clocks by (case, target) (one query)."""
    return {(c.case_id, c.target): c for c in SlaClock.objects.filter(case_id__in=case_ids)}


def _fire_batch(ids: list[int], *, worker: str, now: datetime, isolate: bool) -> list[FireResult]:
    """Fire the timers of `ids` inside the caller's transaction (see the module docstring).

    With `isolate`, each timer acts in its own savepoint: one that fails rolls back alone and is
    left unfired, to be tried again once its claim expires. Without it, a failure propagates.
    """
    won = _take(ids, worker, now)
    case_ids = {timer.case_id for timer in won.values()}
    cases = _lock_cases(case_ids)
    clocks = _clocks_of(case_ids)
    prime_recipients(
        accounts=[case.account for case in cases.values()],
        users=[case.assignee for case in cases.values()],
    )
    results: list[FireResult] = []
    finished: dict[str, list[int]] = defaultdict(list)
    deferred: dict[datetime, list[int]] = defaultdict(list)
    writes = _Writes()
    for timer_id in ids:
        timer = won.get(timer_id)
        if timer is None:
            results.append(FireResult(timer_id, "not-ours"))
            continue
        case = cases.get(timer.case_id)
        if case is None:  # deleted by someone else since the claim; its timers go with it
            results.append(FireResult(timer_id, "skipped:case-gone"))
            continue
        try:
            if isolate:
                with transaction.atomic():
                    outcome = _act(timer, case, clocks.get((case.pk, timer.target)), now, writes)
                    writes.flush()
            else:
                outcome = _act(timer, case, clocks.get((case.pk, timer.target)), now, writes)
        except Exception:
            if not isolate:
                raise
            logger.exception("SLA timer %s failed to fire; it will be retried", timer_id)
            writes = _Writes()
            SlaTimer.objects.filter(pk=timer_id).update(fired_at=None)
            # The failed attempt may have changed the objects in memory: read them again.
            cases.update(_lock_cases({case.pk}))
            clocks.update(_clocks_of({case.pk}))
            results.append(FireResult(timer_id, "error"))
            continue
        if outcome.name == "warning+escalated":
            clocks.update(_clocks_of({case.pk}))  # the escalation recomputed them
        if outcome.defer_to is not None:
            deferred[outcome.defer_to].append(timer_id)
        else:
            finished[outcome.name].append(timer_id)
        results.append(FireResult(timer_id, outcome.name))
    writes.flush()
    for name, timer_ids in finished.items():
        SlaTimer.objects.filter(pk__in=timer_ids).update(outcome=name)
    for opening, timer_ids in deferred.items():
        SlaTimer.objects.filter(pk__in=timer_ids).update(
            fired_at=None, fire_at=opening, claimed_by="", claimed_until=None
        )
    return results


def _act(
    timer: SlaTimer, case: Case, clock: SlaClock | None, now: datetime, writes: _Writes
) -> _Outcome:
    # Re-check: the case may have moved on since the timer was written.
    if not Status.clock_runs(case.status):
        return _Outcome("skipped:case-not-running")
    if clock is None or clock.met_at is not None:
        return _Outcome("skipped:clock-met")
    if timer.event == TimerEvent.BREACH:
        if clock.due_at > now:
            return _Outcome("skipped:not-due")
        if clock.breached_at is None:
            clock.breached_at = clock.due_at
            writes.breached_clock_ids.append(clock.pk)
        writes.event(
            case,
            now,
            EventKind.SLA_BREACH,
            after={"target": timer.target, "due_at": clock.due_at.isoformat()},
        )
        notices.sla_breach(case=case, timer=timer)
        return _Outcome("breach")
    if clock.clock == ClockKind.BUSINESS:
        # Nobody is warned in the middle of a closed business day: a warning found late (the
        # worker was down) waits for the region's next opening.
        calendar = case_calendar(case)
        if not calendar.is_open(now):
            opening = calendar.next_opening(now)
            if opening is not None:
                return _Outcome("deferred:closed", defer_to=opening)
    writes.event(
        case,
        now,
        EventKind.SLA_WARNING,
        after={
            "target": timer.target,
            "fraction": timer.fraction,
            "due_at": clock.due_at.isoformat(),
        },
    )
    notices.sla_warning(case=case, timer=timer)
    if case.account.support_plan.automated_escalation and case.line == Line.L1:
        # Premier+: breach risk moves the case to second line before it breaches.
        writes.event(
            case,
            now,
            EventKind.ESCALATED,
            before=case.line,
            after=Line.L2,
            note="automatic: breach risk on Premier+",
        )
        case.line = Line.L2
        if case.assignee is not None and case.assignee.role == Role.AGENT_L1:
            case.assignee = None
        case.save()
        clocks_recompute(case=case, now=now)
        return _Outcome("warning+escalated")
    return _Outcome("warning")


def timers_sweep(
    *, now: datetime | None = None, worker: str | None = None, limit: int = 500, chunk: int = 50
) -> list[FireResult]:
    """Claim and fire every due timer (the periodic job); returns what each did.

    Timers fire in transactions of up to `chunk` timers. A chunk is first fired in one go; if any
    of its timers fails, that attempt rolls back and the chunk is fired again with each timer in
    its own savepoint, so the failing one rolls back alone (it stays unfired and is tried again
    once its claim expires). A worker that dies mid-chunk loses the chunk's effects, never
    doubles them.
    """
    now = now or timezone.now()
    worker = worker or worker_name()
    ids = timers_claim_due(worker=worker, now=now, limit=limit)
    results: list[FireResult] = []
    with recipients_memo(), calendars_memo():
        for start in range(0, len(ids), chunk):
            results.extend(_fire_chunk(ids[start : start + chunk], worker=worker, now=now))
    return results


def _fire_chunk(ids: list[int], *, worker: str, now: datetime) -> list[FireResult]:
    try:
        with transaction.atomic(), outbox_batch():
            return _fire_batch(ids, worker=worker, now=now, isolate=False)
    except Exception:
        logger.warning("A timer of %s failed; firing them one savepoint each", ids, exc_info=True)
    with transaction.atomic():
        return _fire_batch(ids, worker=worker, now=now, isolate=True)
