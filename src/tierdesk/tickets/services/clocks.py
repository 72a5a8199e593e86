"""Keeping a case's SLA clocks and timers in step with the case, in the caller's transaction.

After any change that can move a due instant (creation, reply, status, severity, line), the
clocks are recomputed from the case's start with the targets of its current severity (as if it
had applied from the beginning), minus the time paused while waiting on the customer or solved.
Unfired timers are replaced; a warning or breach that already fired for the same due instant is
not armed again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.conf import settings

from tierdesk.accounts.entitlements import Targets, sla_targets
from tierdesk.accounts.selectors.regions import region_business_calendar
from tierdesk.sla import BusinessCalendar
from tierdesk.sla.clock import ClockState, ClockStatus, compute_clock

from ..choices import Status, TargetKind, TimerEvent
from ..models import Case, SlaClock, SlaTimer

Pauses = list[tuple[datetime, datetime | None]]


def case_calendar(case: Case) -> BusinessCalendar:
    """The business calendar of the case's support region."""
    return region_business_calendar(case.region)


def case_pauses(case: Case) -> Pauses:
    """The periods the case's clocks did not run (waiting on the customer, solved)."""
    return list(case.pauses.order_by("started_at").values_list("started_at", "ended_at"))


def _stopped_at(case: Case, target: str) -> datetime | None:
    if target == TargetKind.FIRST_RESPONSE:
        return case.first_responded_at
    return case.solved_at if Status.is_resolved(case.status) else None


def target_minutes(targets: Targets | None, target: str) -> int | None:
    """The minutes of one target, or None when the case has no such target."""
    if targets is None:
        return None
    if target == TargetKind.FIRST_RESPONSE:
        return targets.first_response_minutes
    return targets.resolution_minutes


def case_clock_states(
    case: Case,
    *,
    now: datetime,
    pauses: Pauses | None = None,
    targets: Targets | Literal["load"] | None = "load",
) -> dict[str, ClockState]:
    """Each target's clock evaluated at `now` (targets the plan does not have are absent)."""
    if targets == "load":
        targets = sla_targets(case.account, case.severity)
    if targets is None:
        return {}
    calendar = case_calendar(case)
    pauses = case_pauses(case) if pauses is None else pauses
    states = {}
    for target in TargetKind.values:
        minutes = target_minutes(targets, target)
        if minutes is None:
            continue
        states[target] = compute_clock(
            target_minutes=minutes,
            kind=targets.clock,
            calendar=calendar,
            start=case.created_at,
            now=now,
            pauses=pauses,
            stopped_at=_stopped_at(case, target),
            warn_fractions=settings.SLA_WARNING_FRACTIONS,
        )
    return states


def clocks_recompute(*, case: Case, now: datetime, new_case: bool = False) -> list[SlaClock]:
    """Bring the case's clock rows, timers and queue order up to date (caller's transaction).

    `new_case` says the case is created in this transaction: it has no clocks, timers or
    pauses yet, so nothing needs reading or deleting first. A new case not saved yet is inserted
    here, with its queue order (`next_due_at`) in the same INSERT. Returns the case's clock rows.
    """
    targets = sla_targets(case.account, case.severity)
    states = case_clock_states(case, now=now, targets=targets, pauses=[] if new_case else None)
    if new_case:
        existing: dict[str, SlaClock] = {}
        fired: set[tuple[str, str, float, datetime]] = set()
        generation = 1
    else:
        existing = {clock.target: clock for clock in SlaClock.objects.filter(case=case)}
        stale = [clock.pk for target, clock in existing.items() if target not in states]
        if stale:
            SlaClock.objects.filter(pk__in=stale).delete()
        SlaTimer.objects.filter(case=case, fired_at__isnull=True).delete()
        fired = set()
        generation = 1
        for target, event, fraction, due_at, gen, fired_at in SlaTimer.objects.filter(
            case=case
        ).values_list("target", "event", "fraction", "due_at", "generation", "fired_at"):
            generation = max(generation, gen + 1)
            if fired_at is not None:
                fired.add((target, event, fraction, due_at))
    running_case = Status.clock_runs(case.status)
    rows: list[SlaClock] = []
    new_clocks: list[SlaClock] = []
    new_timers: list[SlaTimer] = []
    dues: list[datetime] = []
    for target, state in states.items():
        minutes = target_minutes(targets, target)
        assert minutes is not None and targets is not None
        values = {
            "target_minutes": minutes,
            "clock": targets.clock.value,
            "due_at": state.due,
            "met_at": state.stopped_at if state.state is ClockStatus.MET else None,
            "breached_at": state.due if state.state is ClockStatus.BREACHED else None,
        }
        clock = existing.get(target)
        if clock is None:
            clock = SlaClock(case=case, target=target, **values)
            new_clocks.append(clock)
        elif any(getattr(clock, field) != value for field, value in values.items()):
            SlaClock.objects.filter(pk=clock.pk).update(**values)
            for field, value in values.items():
                setattr(clock, field, value)
        rows.append(clock)
        if not running_case or state.stopped_at is not None:
            continue
        dues.append(state.due)
        planned = [(TimerEvent.WARNING, w.fraction, w.at) for w in state.warnings]
        planned.append((TimerEvent.BREACH, 1.0, state.due))
        for event, fraction, fire_at in planned:
            if (target, event.value, fraction, state.due) in fired:
                continue
            new_timers.append(
                SlaTimer(
                    case=case,
                    target=target,
                    event=event,
                    fraction=fraction,
                    generation=generation,
                    fire_at=fire_at,
                    due_at=state.due,
                )
            )
    next_due_at = min(dues) if dues else None
    if case.pk is None:
        case.next_due_at = next_due_at
        case.save(force_insert=True)  # the clocks and timers below take its id
    elif new_case or next_due_at != case.next_due_at:
        case.next_due_at = next_due_at
        Case.objects.filter(pk=case.pk).update(next_due_at=next_due_at)
    SlaClock.objects.bulk_create(new_clocks)
    SlaTimer.objects.bulk_create(new_timers)
    return rows
