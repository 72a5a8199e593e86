"""The case history: one row per change, with who, when, before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models import Case, CaseEvent


def event_new(
    *,
    case: Case,
    actor: Any,
    at: datetime,
    kind: str,
    before: object = None,
    after: object = None,
    note: str = "",
) -> CaseEvent:
    """An unsaved history entry (actor None, or not signed in: the system); for bulk writes."""
    return CaseEvent(
        case=case,
        actor=actor if actor is not None and actor.is_authenticated else None,
        at=at,
        kind=kind,
        before=before,
        after=after,
        note=note,
    )


def event_record(
    *,
    case: Case,
    actor: Any,
    at: datetime,
    kind: str,
    before: object = None,
    after: object = None,
    note: str = "",
) -> CaseEvent:
    """Append an entry to the case's history (actor None: the system)."""
    event = event_new(
        case=case, actor=actor, at=at, kind=kind, before=before, after=after, note=note
    )
    event.save(force_insert=True)
    return event
