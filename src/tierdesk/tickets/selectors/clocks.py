"""A case's SLA clock inputs, read in one place; every clock, explanation and badge starts here.

A clock of a case is a pure function (`tierdesk.sla.clock.compute_clock`) of a few inputs, and
`case_clock_inputs` is the only code that reads them from a case:

- the targets: the table the case stored when it opened (`Case.sla_targets`, its contract:
  docs/plans.md), at the case's current severity. A severity change picks the stored target
  of the new severity and applies it from the start, as if it had been set from the beginning;
- the calendar: the region's business calendar, or 24x7 in the region's time zone when no
  target counts business time (then no calendar row is read);
- the start (`created_at`) and the stop instant of each target: the first public reply stops
  the first response, solving stops the resolution (until the case is reopened);
- the pauses: waiting on the customer and solved, open or closed, as stored.

The recomputation of the stored clock rows and timers (`services.clocks`), the API's
`/sla?explain=true`, the console's explanations and the badges all take their inputs from here,
and the clock and its explanation are computed from the same `ClockInputs`: an explanation
ends exactly at its clock's `due`. Pauses and the calendar are read on first use (a badge needs
neither), or taken from the caller when it already has them.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.db.models import QuerySet

from tierdesk.accounts.entitlements import sla_target_table
from tierdesk.accounts.models import SupportPlan
from tierdesk.accounts.selectors.regions import calendars_memo, region_business_calendar
from tierdesk.sla import BusinessCalendar
from tierdesk.sla.clock import ClockState, compute_clock
from tierdesk.sla.explain import Explanation, explain_due
from tierdesk.sla.policies import ClockKind, Target, TargetTable, target_table_from_json

from ..choices import Status, TargetKind
from ..models import Case, Pause

Pauses = list[tuple[datetime, datetime | None]]


def case_calendar(case: Case) -> BusinessCalendar:
    """The business calendar of the case's support region."""
    return region_business_calendar(case.region)


def case_pauses(case: Case) -> Pauses:
    """The periods the case's clocks did not run (waiting on the customer, solved)."""
    return list(case.pauses.order_by("started_at").values_list("started_at", "ended_at"))


def case_target_table(case: Case) -> dict[int, Target]:
    """The targets the case stored when it opened, by severity (empty: the case has none)."""
    return target_table_from_json(case.sla_targets)


def stopped_at(case: Case, target: str) -> datetime | None:
    """When the target was fulfilled: the first public reply, or solving (None: not yet)."""
    if target == TargetKind.FIRST_RESPONSE:
        return case.first_responded_at
    return case.solved_at if Status.is_resolved(case.status) else None


@dataclass(frozen=True)
class ClockTarget:
    """One target of a case: its minutes, how they are counted, and when it was fulfilled."""

    target: str  # a TargetKind value
    minutes: int
    kind: ClockKind
    stopped_at: datetime | None


@dataclass(frozen=True)
class ClockInputs:
    """Everything a case's clocks are computed from (see the module docstring)."""

    start: datetime
    severity: int
    # Whether the case's clocks run in its status (not waiting, solved or closed).
    running: bool
    targets: tuple[ClockTarget, ...]
    time_zone: str
    case: Case = field(repr=False, compare=False)
    given_pauses: tuple[tuple[datetime, datetime | None], ...] | None = field(
        default=None, repr=False
    )
    given_calendar: BusinessCalendar | None = field(default=None, repr=False, compare=False)

    @cached_property
    def pauses(self) -> tuple[tuple[datetime, datetime | None], ...]:
        """The case's pauses (read on first use unless the caller gave them)."""
        if self.given_pauses is not None:
            return self.given_pauses
        return tuple(case_pauses(self.case))

    @cached_property
    def calendar(self) -> BusinessCalendar:
        """The region's calendar; 24x7 in its time zone when no target needs business time."""
        if self.given_calendar is not None:
            return self.given_calendar
        if all(t.kind is ClockKind.TWENTY_FOUR_SEVEN for t in self.targets):
            return BusinessCalendar.always_open(self.time_zone)
        return case_calendar(self.case)

    def target(self, target: str) -> ClockTarget | None:
        """One target of the case, or None when the case has no such target."""
        return next((t for t in self.targets if t.target == target), None)

    def clock(self, target: ClockTarget, *, now: datetime) -> ClockState:
        """The target's clock evaluated at `now`."""
        return compute_clock(
            target_minutes=target.minutes,
            kind=target.kind,
            calendar=self.calendar,
            start=self.start,
            now=now,
            pauses=self.pauses,
            stopped_at=target.stopped_at,
            warn_fractions=settings.SLA_WARNING_FRACTIONS,
        )

    def clocks(self, *, now: datetime) -> dict[str, ClockState]:
        """Each target's clock evaluated at `now` (targets the case does not have are absent)."""
        return {t.target: self.clock(t, now=now) for t in self.targets}

    def explanation(self, target: ClockTarget, *, now: datetime) -> Explanation:
        """Why the target's due instant is what it is; it ends at `clock(target, now).due`."""
        return explain_due(
            self.calendar,
            self.start,
            target.minutes,
            self.pauses,
            target.kind,
            now=now,
            stopped_at=target.stopped_at,
        )


def case_clock_inputs(
    case: Case,
    *,
    pauses: Sequence[tuple[datetime, datetime | None]] | None = None,
    calendar: BusinessCalendar | None = None,
    table: TargetTable | None = None,
) -> ClockInputs:
    """The inputs of the case's clocks (the one place that reads them; module docstring).

    `pauses` and `calendar` save reading them when the caller has them. `table` replaces the
    case's stored targets: what its clocks would be under another table (an admin's preview).
    """
    targets_by_severity = case_target_table(case) if table is None else table
    found = targets_by_severity.get(case.severity)
    targets: list[ClockTarget] = []
    if found is not None:
        for target in TargetKind.values:
            minutes = found.minutes_for(target)
            if minutes is not None:
                targets.append(
                    ClockTarget(target, minutes, ClockKind(found.clock), stopped_at(case, target))
                )
    return ClockInputs(
        start=case.created_at,
        severity=case.severity,
        running=Status.clock_runs(case.status),
        targets=tuple(targets),
        time_zone=case.region.time_zone,
        case=case,
        given_pauses=None if pauses is None else tuple(pauses),
        given_calendar=calendar,
    )


def case_clock_states(
    case: Case, *, now: datetime, pauses: Pauses | None = None
) -> dict[str, ClockState]:
    """Each target's clock of the case evaluated at `now`."""
    return case_clock_inputs(case, pauses=pauses).clocks(now=now)


# Applying changed targets to open cases: what would move -----------------------------------


def support_plan_open_cases(support_plan: SupportPlan) -> QuerySet[Case]:
    """The active cases of the accounts on this support plan, oldest first (no access check:
    the admin's, whose permission Django's admin checks)."""
    return (
        Case.objects.filter(account__support_plan=support_plan, in_queue=True)
        .select_related("account__license_plan", "region")
        .order_by("pk")
    )


def plan_target_table(case: Case) -> dict[int, Target]:
    """The targets the case's account would get for a new case now (its plan's current ones)."""
    return sla_target_table(case.account)


def plan_table_key(case: Case) -> tuple[int, bool]:
    """What `plan_target_table` depends on: the support plan, and whether the license is paid."""
    return case.account.support_plan_id, case.account.license_plan.is_paid


@dataclass(frozen=True)
class TargetShift:
    """How the due instants of one target move over a plan's open cases (seconds, signed)."""

    target: str
    label: str
    moved: int
    added: int
    removed: int
    shift_min: timedelta | None
    shift_max: timedelta | None
    shift_median: timedelta | None


@dataclass(frozen=True)
class TargetChangePreview:
    """What applying a plan's current targets to its open cases would do."""

    support_plan: SupportPlan
    open_cases: int
    cases_changing: int  # whose stored targets differ from the plan's current ones
    cases_moving: int  # of those, whose due instants move
    shifts: tuple[TargetShift, ...]


def target_change_preview(support_plan: SupportPlan, *, now: datetime) -> TargetChangePreview:
    """How many open cases' due instants move, and by how much, if the plan's current targets
    applied to them (per target: how many move, gain or lose it; min, max and median shift)."""
    cases = list(support_plan_open_cases(support_plan))
    pauses_by_case: dict[int, Pauses] = defaultdict(list)
    for case_id, start, end in (
        Pause.objects.filter(case__in=support_plan_open_cases(support_plan).values("pk"))
        .order_by("started_at")
        .values_list("case_id", "started_at", "ended_at")
    ):
        pauses_by_case[case_id].append((start, end))
    shifts: dict[str, list[timedelta]] = {t: [] for t in TargetKind.values}
    added: dict[str, int] = dict.fromkeys(TargetKind.values, 0)
    removed: dict[str, int] = dict.fromkeys(TargetKind.values, 0)
    changing = moving = 0
    tables: dict[tuple[int, bool], dict[int, Target]] = {}  # at most two queries
    with calendars_memo():
        for case in cases:
            table = tables.get(plan_table_key(case))
            if table is None:
                table = tables[plan_table_key(case)] = plan_target_table(case)
            if table == case_target_table(case):
                continue
            changing += 1
            pauses = pauses_by_case.get(case.pk, [])
            old = case_clock_inputs(case, pauses=pauses).clocks(now=now)
            new = case_clock_inputs(case, pauses=pauses, table=table).clocks(now=now)
            moved = False
            for target in TargetKind.values:
                if target in old and target in new:
                    shift = new[target].due - old[target].due
                    if shift:
                        shifts[target].append(shift)
                        moved = True
                elif target in new:
                    added[target] += 1
                    moved = True
                elif target in old:
                    removed[target] += 1
                    moved = True
            moving += moved
    return TargetChangePreview(
        support_plan=support_plan,
        open_cases=len(cases),
        cases_changing=changing,
        cases_moving=moving,
        shifts=tuple(
            _shift(target, shifts[target], added[target], removed[target])
            for target in TargetKind.values
        ),
    )


def _shift(target: str, shifts: list[timedelta], added: int, removed: int) -> TargetShift:
    return TargetShift(
        target=target,
        label=str(TargetKind(target).label),
        moved=len(shifts),
        added=added,
        removed=removed,
        shift_min=min(shifts) if shifts else None,
        shift_max=max(shifts) if shifts else None,
        shift_median=_median(shifts),
    )


def _median(values: Iterable[timedelta]) -> timedelta | None:
    seconds = [v.total_seconds() for v in values]
    return timedelta(seconds=statistics.median(seconds)) if seconds else None
