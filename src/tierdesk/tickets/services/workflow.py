"""The steps every case write shares: taking the case's row lock and moving its status.

These run inside a service's transaction (they open none). Status moves keep pauses consistent
with the status: entering a pausing status opens one pause, leaving it closes that pause, so a
case never has two open pauses and clocks read paused time from the rows alone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..choices import EventKind, Status
from ..models import Case, CaseEvent, Pause
from .history import event_record


def case_lock(case: Case) -> Case:
    """Re-read the case under a row lock so concurrent writes serialise."""
    # Only the case's row: on PostgreSQL a plain FOR UPDATE would lock the account's row too.
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("account__support_plan")
        .get(pk=case.pk)
    )


def pause_start(case: Case, at: datetime) -> None:
    """Open a pause at `at` unless one is already open (the clocks stop)."""
    if not case.pauses.filter(ended_at__isnull=True).exists():
        Pause.objects.create(case=case, started_at=at)


def pause_end(case: Case, at: datetime) -> None:
    """Close the open pause at `at` (the clocks run again)."""
    case.pauses.filter(ended_at__isnull=True).update(ended_at=at)


def status_move(
    case: Case, status: str, *, actor: Any, at: datetime, note: str = ""
) -> CaseEvent | None:
    """Move to a status, keeping pauses consistent: waiting and solved stop the clocks."""
    before = case.status
    if before == status:
        return None
    paused_statuses = Status.pausing()
    if status in paused_statuses and before not in paused_statuses:
        pause_start(case, at)
    elif status not in paused_statuses and before in paused_statuses:
        pause_end(case, at)
    case.status = status
    if status == Status.SOLVED:
        case.solved_at = at
    elif before == Status.SOLVED and status != Status.CLOSED:
        case.solved_at = None
    if status == Status.CLOSED:
        case.closed_at = at
    return event_record(
        case=case, actor=actor, at=at, kind=EventKind.STATUS, before=before, after=status, note=note
    )
