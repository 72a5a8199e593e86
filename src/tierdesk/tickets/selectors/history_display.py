"""A case's history as pages show it: words, not raw keys and ISO stamps.

One formatter for the console and the portal. Each entry's kind is shown by its `EventKind`
label; its values by the labels of their vocabularies (statuses, lines, targets, decisions,
reasons, channels), severities as "S1"..."S4", cases as "#12", instants in the viewer's
time zone (the active one, set from the signed-in user's profile) and the people an assignment
names (stored as e-mails, the one stable key) by their names: full name, else e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _

from tierdesk.accounts.models import User
from tierdesk.web.formats import format_when

from ..choices import Channel, EscalationReason, EventKind, Line, Status, TargetKind
from ..models import CaseEvent, SelfEscalation

# The vocabulary a plain value of each kind belongs to.
_VALUE_CHOICES: dict[str, type[TextChoices]] = {
    EventKind.STATUS: Status,
    EventKind.ESCALATED: Line,
    EventKind.SELF_ESCALATION_REQUESTED: EscalationReason,
    EventKind.SELF_ESCALATION_DECIDED: SelfEscalation.Decision,
}
# The vocabulary of a value under a key of a dict value (created, sla_warning, sla_breach).
_KEY_CHOICES: dict[str, type[TextChoices]] = {
    "target": TargetKind,
    "channel": Channel,
    "status": Status,
    "line": Line,
}


@dataclass(frozen=True)
class HistoryRow:
    """One entry of a case's history, ready to show."""

    at: datetime
    actor: Any
    kind: str
    label: str
    before: str
    after: str
    note: str

    @property
    def text(self) -> str:
        """The entry as one line: "Status: Open → Solved", "Opened: S2, Web"."""
        if self.before and self.after:
            return f"{self.label}: {self.before} → {self.after}"
        if self.after or self.before:
            return f"{self.label}: {self.after or self.before}"
        return self.label


def _label(choices: type[TextChoices], value: object) -> str:
    if not isinstance(value, str):
        return str(value)
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _instant(value: str) -> str | None:
    """An ISO 8601 instant in the viewer's zone, or None when the text is not one."""
    if len(value) < 19 or value[10:11] != "T":
        return None
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_naive(instant):
        return None
    return format_when(instant)


def _severity(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"S{value}"
    return str(value)


def _keyed(key: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if key == "severity":
        return _severity(value)
    if key == "fraction" and isinstance(value, int | float):
        return f"{round(value * 100)} %"
    if key in _KEY_CHOICES:
        return _label(_KEY_CHOICES[key], value)
    if key.endswith("_at") and isinstance(value, str):
        shown = _instant(value)
        if shown is not None:
            return _("due %(when)s") % {"when": shown} if key == "due_at" else shown
    return _plain(value)


def _plain(value: object) -> str:
    if isinstance(value, str):
        shown = _instant(value)
        return shown if shown is not None else value
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def history_value(kind: str, value: object) -> str:
    """One before or after value of a history entry, as text."""
    if value is None:
        return ""
    if isinstance(value, dict):
        # A case's subject is shown above its history: repeating it here adds nothing.
        parts = (_keyed(k, v) for k, v in value.items() if k != "subject")
        return ", ".join(part for part in parts if part)
    if kind == EventKind.SEVERITY:
        return _severity(value)
    if kind in (EventKind.MERGED_IN, EventKind.MERGED_INTO) and isinstance(value, int):
        return f"#{value}"
    if kind in _VALUE_CHOICES:
        return _label(_VALUE_CHOICES[kind], value)
    return _plain(value)


def _people_names(events: list[CaseEvent]) -> dict[str, str]:
    """The name to show for each e-mail an assignment entry names: one query for all of them."""
    emails = {
        value
        for event in events
        if event.kind == EventKind.ASSIGNEE
        for value in (event.before, event.after)
        if isinstance(value, str) and value
    }
    if not emails:
        return {}
    people = User.objects.filter(email__in=emails).only("email", "first_name", "last_name")
    return {person.email: person.get_full_name() or person.email for person in people}


def _value(event: CaseEvent, value: object, names: dict[str, str]) -> str:
    if event.kind == EventKind.ASSIGNEE and isinstance(value, str):
        # Someone no longer in the database keeps the e-mail the entry stored.
        return names.get(value, value)
    return history_value(event.kind, value)


def history_rows(events: Iterable[CaseEvent]) -> list[HistoryRow]:
    """The entries as rows to show, in the order given."""
    events = list(events)
    names = _people_names(events)
    return [
        HistoryRow(
            at=event.at,
            actor=event.actor,
            kind=event.kind,
            label=_label(EventKind, event.kind),
            before=_value(event, event.before, names),
            after=_value(event, event.after, names),
            note=event.note,
        )
        for event in events
    ]
