"""Keeping a case's SLA clocks and timers in step with the case, in the caller's transaction.

After any change that can move a due instant (creation, reply, status, severity, line), the
clocks are recomputed from the case's start with the targets of its current severity (as if it
had applied from the beginning), minus the time paused while waiting on the customer or solved.
The inputs (targets, calendar, start, stop instants, pauses) come from one selector,
`selectors.clocks.case_clock_inputs`, the one the API, the console and the badges read too.
Unfired timers are replaced; a warning or breach that already fired for the same due instant is
not armed again.

Targets are a contract: a new case stores its support plan's current targets for all four
severities (`Case.sla_targets`), and later recomputations read only those. A target an admin
changes applies to new cases; `case_targets_apply` applies it to open cases on the admin's
explicit request, recording the change in each case's history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tierdesk.accounts.entitlements import sla_target_table
from tierdesk.accounts.models import SupportPlan
from tierdesk.accounts.selectors.regions import calendars_memo
from tierdesk.sla.clock import ClockStatus
from tierdesk.sla.policies import TargetTable, target_table_to_json

from ..choices import EventKind, Status, TimerEvent
from ..models import Case, SlaClock, SlaTimer
from ..selectors.clocks import (
    case_clock_inputs,
    case_target_table,
    plan_table_key,
    plan_target_table,
    support_plan_open_cases,
)
from .history import event_record


def clocks_recompute(*, case: Case, now: datetime, new_case: bool = False) -> list[SlaClock]:
    """Bring the case's clock rows, timers and queue order up to date (caller's transaction).

    `new_case` says the case is created in this transaction: it has no clocks, timers or
    pauses yet, so nothing needs reading or deleting first. A new case not saved yet is inserted
    here, with its queue order (`next_due_at`) in the same INSERT. Returns the case's clock rows.
    """
    if new_case:
        # The contract is made now: the plan's targets in force when the case opens.
        case.sla_targets = target_table_to_json(sla_target_table(case.account))
    inputs = case_clock_inputs(case, pauses=[] if new_case else None)
    states = inputs.clocks(now=now)
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
    for spec in inputs.targets:
        target, state = spec.target, states[spec.target]
        values = {
            "target_minutes": spec.minutes,
            "clock": spec.kind.value,
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
    elif new_case:
        case.next_due_at = next_due_at
        Case.objects.filter(pk=case.pk).update(
            next_due_at=next_due_at, sla_targets=case.sla_targets
        )
    elif next_due_at != case.next_due_at:
        case.next_due_at = next_due_at
        Case.objects.filter(pk=case.pk).update(next_due_at=next_due_at)
    SlaClock.objects.bulk_create(new_clocks)
    SlaTimer.objects.bulk_create(new_timers)
    return rows


def targets_shown(table: TargetTable) -> list[str]:
    """A target table as the history shows it: ``S1 60/240 min 24x7``, one item a severity
    (first response / resolution minutes, ``-`` for none, then the clock)."""
    return [
        f"S{severity} {target.first_response_minutes or '-'}/"
        f"{target.resolution_minutes or '-'} min {target.clock.value}"
        for severity, target in sorted(table.items())
    ]


def case_targets_apply(
    *, support_plans: Sequence[SupportPlan], actor: Any, now: datetime
) -> list[int]:
    """Apply the plans' current targets to their open cases (an admin's explicit decision).

    Each case whose stored targets differ takes the targets a new case of its account would get
    now, records the change in its history (before and after) and has its clocks and timers
    recomputed, all in the caller's transaction. Cases are locked in id order, one order for
    every writer. Returns the ids of the cases that changed.
    """
    changed: list[int] = []
    with calendars_memo():
        for plan in support_plans:
            ids = list(support_plan_open_cases(plan).values_list("pk", flat=True))
            cases = (
                Case.objects.select_for_update(of=("self",))
                .select_related("account__license_plan", "account__support_plan", "region")
                .filter(pk__in=ids, in_queue=True)
                .order_by("pk")
            )
            tables: dict[tuple[int, bool], dict[str, dict[str, object]]] = {}
            for case in cases:
                table = tables.get(plan_table_key(case))
                if table is None:
                    table = tables[plan_table_key(case)] = target_table_to_json(
                        plan_target_table(case)
                    )
                if target_table_to_json(case_target_table(case)) == table:
                    continue
                before = targets_shown(case_target_table(case))
                case.sla_targets = table
                Case.objects.filter(pk=case.pk).update(sla_targets=table)
                event_record(
                    case=case,
                    actor=actor,
                    at=now,
                    kind=EventKind.TARGETS,
                    before=before,
                    after=targets_shown(case_target_table(case)),
                    note=str(plan),
                )
                clocks_recompute(case=case, now=now)
                changed.append(case.pk)
    return changed
