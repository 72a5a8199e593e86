"""The case history: one row per change, with who, when, before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..choices import EventKind
from ..models import Case, CaseEvent


def event_new(
    *,
    case: Case,
    actor: Any,
    at: datetime,
    kind: EventKind | str,
    before: object = None,
    after: object = None,
    note: str = "",
) -> CaseEvent:
    """An unsaved history entry (actor None, or not signed in: the system); for bulk writes.

    `kind` must be one of `EventKind`: a kind outside the vocabulary would show as a raw key in
    the history, so it is refused here, where every entry is made.
    """
    return CaseEvent(
        case=case,
        actor=actor if actor is not None and actor.is_authenticated else None,
        at=at,
        kind=EventKind(kind).value,
        before=before,
        after=after,
        note=note,
    )


def event_record(
    *,
    case: Case,
    actor: Any,
    at: datetime,
    kind: EventKind | str,
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
