"""Reads of the home page's case figures, scoped to the asking user.

Built on the console's and the portal's reads (`selectors.console`, `selectors.portal`,
`selectors.escalations`) rather than beside them: a queue count here is the console's count, an
escalation request counted here is one the user may decide on the escalations page. Every
function costs a fixed number of queries, whatever the number of cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from tierdesk.accounts.models import SupportRegion, User, Viewer
from tierdesk.accounts.roles import Role

from ..choices import Line, Status
from ..models import Case, SelfEscalation, SlaClock
from .cases import CaseFilters, case_list, visible_cases
from .console import LINE_ORDER, console_lines, console_regions, queue_counts
from .escalations import decidable_self_escalations

HOME_CASES = 5


def home_region_id(user: User) -> int | None:
    """The region the home's figures are for: the console's default (the user's own region);
    staff admins see every region."""
    return None if user.role == Role.STAFF_ADMIN else user.region_id


def with_badge_data(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What a row with SLA badges needs, read in one prefetch (no query per case)."""
    return (
        cases.select_related("account", "region", "assignee")
        .prefetch_related(Prefetch("clocks", queryset=SlaClock.objects.order_by("target")))
        .defer("description")
    )


# Customers ------------------------------------------------------------------------------------


def customer_open_cases(user: Viewer, *, limit: int = HOME_CASES) -> tuple[list[Case], int]:
    """The customer's newest active cases (the portal's list, active only) and how many in all."""
    cases = case_list(user, CaseFilters(active_only=True))
    return list(with_badge_data(cases)[:limit]), cases.count()


# Agents -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFigure:
    """A line's queue on the home page: how many active cases wait in it."""

    line: str
    label: str
    count: int


def agent_queue_figures(user: User) -> list[QueueFigure]:
    """The console's counts of the user's lines, in the user's region (one query)."""
    counts = queue_counts(user, region_id=home_region_id(user))
    return [
        QueueFigure(line=line, label=str(Line(line).label), count=count)
        for line, count in counts.items()
    ]


def nearest_to_breach(user: User, *, limit: int = HOME_CASES) -> list[Case]:
    """The active cases of the user's queues whose next due instant comes first (the overdue
    ones first of all), with their clocks: the cases to work before they breach."""
    cases = visible_cases(user).filter(
        line__in=console_lines(user), in_queue=True, next_due_at__isnull=False
    )
    region_id = home_region_id(user)
    if region_id is not None:
        cases = cases.filter(region_id=region_id)
    return list(with_badge_data(cases).order_by("next_due_at", "pk")[:limit])


# Supervisors ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineFigures:
    """One line of a region: active cases, breached clocks, pending escalation requests."""

    line: str
    label: str
    open_cases: int
    breached_clocks: int
    pending_requests: int


@dataclass(frozen=True)
class RegionFigures:
    """A region's lines, in escalation order."""

    region: SupportRegion
    lines: tuple[LineFigures, ...]

    @property
    def totals(self) -> tuple[int, int, int]:
        """Open cases, breached clocks and pending requests over the region's lines."""
        return (
            sum(f.open_cases for f in self.lines),
            sum(f.breached_clocks for f in self.lines),
            sum(f.pending_requests for f in self.lines),
        )


def breached_clock_q(now: datetime) -> Q:
    """Clocks in breach at `now`: a recorded breach, or a running clock past its due instant
    whose breach the worker has not recorded yet (what the badges show as breached)."""
    running = [status for status in Status.active() if Status.clock_runs(status)]
    return Q(breached_at__isnull=False) | Q(
        met_at__isnull=True, due_at__lt=now, case__status__in=running
    )


def _by_region_and_line(rows: QuerySet) -> dict[tuple[int, str], int]:
    return {(region_id, line): int(n) for region_id, line, n in rows}


def supervisor_line_figures(user: User, *, now: datetime) -> list[RegionFigures]:
    """Each line's figures for the supervisor's region (staff admins and supervisors without a
    region: one block per region), in four queries whatever the number of cases."""
    region_id = home_region_id(user)
    regions = console_regions()
    if region_id is not None:
        regions = regions.filter(pk=region_id)
    active = visible_cases(user).filter(in_queue=True)
    if region_id is not None:
        active = active.filter(region_id=region_id)
    open_cases = _by_region_and_line(
        active.order_by().values_list("region_id", "line").annotate(n=Count("pk"))
    )
    breached = _by_region_and_line(
        SlaClock.objects.filter(breached_clock_q(now), case__in=active.values("pk"))
        .order_by()
        .values_list("case__region_id", "case__line")
        .annotate(n=Count("pk"))
    )
    # Exactly the requests the escalations page lists: the one scope rule of who decides what.
    pending = decidable_self_escalations(user).filter(decision=SelfEscalation.Decision.PENDING)
    requests = _by_region_and_line(
        pending.order_by().values_list("case__region_id", "case__line").annotate(n=Count("pk"))
    )
    return [
        RegionFigures(
            region=region,
            lines=tuple(
                LineFigures(
                    line=line,
                    label=str(Line(line).label),
                    open_cases=open_cases.get((region.pk, line), 0),
                    breached_clocks=breached.get((region.pk, line), 0),
                    pending_requests=requests.get((region.pk, line), 0),
                )
                for line in LINE_ORDER
            ),
        )
        for region in regions
    ]
