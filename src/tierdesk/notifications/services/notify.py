"""The notification kinds the cases app sends: who gets what, under which unique key.

Every key names its cause (a message, an event, a timer, an escalation request) and the recipient,
so calling any of these twice for one cause writes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from tierdesk.accounts.models import Account, User

from .. import selectors
from ..kinds import Kind
from ..models import OutboxMessage
from ..protocols import CaseLike
from .outbox import outbox_enqueue

EXCERPT_MAX_CHARS = 600
TAM_SEVERITIES = frozenset({1, 2})


def case_url(case_id: int) -> str:
    """The absolute link to a case, from SITE_URL and NOTIFICATIONS_CASE_PATH."""
    path = settings.NOTIFICATIONS_CASE_PATH.format(case_id=case_id)
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _case_context(case: CaseLike) -> dict[str, object]:
    return {
        "case_id": case.id,
        "case_subject": case.subject,
        "case_url": case_url(case.id),
        "severity": case.severity,
        "account_id": case.account_id,
    }


def _excerpt(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    compact = "\n".join(line for line in lines if line)
    if len(compact) <= EXCERPT_MAX_CHARS:
        return compact
    return compact[: EXCERPT_MAX_CHARS - 1].rstrip() + "\u2026"


def _display_name(user: User | None) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def _unique(users: Iterable[User | None], *, skip: User | None = None) -> list[User]:
    chosen: dict[int, User] = {}
    for user in users:
        if user is None or (skip is not None and user.pk == skip.pk):
            continue
        chosen.setdefault(user.pk, user)
    return list(chosen.values())


def _enqueue_all(
    *, key_prefix: str, kind: Kind, recipients: Iterable[User], context: Mapping[str, object]
) -> list[OutboxMessage]:
    messages = []
    for user in recipients:
        message = outbox_enqueue(
            key=f"{key_prefix}:user:{user.pk}", recipient=user, template=kind, context=context
        )
        if message is not None:
            messages.append(message)
    return messages


def notify_public_reply(
    *,
    case: CaseLike,
    message_id: int,
    body: str,
    author: User | None,
    recipients: Iterable[User],
) -> list[OutboxMessage]:
    """Tell the requester and CCs (the caller's `recipients`) of a public reply; not its author."""
    context = {
        **_case_context(case),
        "message_id": message_id,
        "author_name": _display_name(author),
        "excerpt": _excerpt(body),
    }
    return _enqueue_all(
        key_prefix=f"case:{case.id}:reply:{message_id}",
        kind=Kind.CASE_PUBLIC_REPLY,
        recipients=_unique(recipients, skip=author),
        context=context,
    )


def notify_solved(
    *, case: CaseLike, event_id: int, recipients: Iterable[User]
) -> list[OutboxMessage]:
    """Tell the requester and CCs that the case is solved; `event_id` names this solve."""
    return _enqueue_all(
        key_prefix=f"case:{case.id}:solved:{event_id}",
        kind=Kind.CASE_SOLVED,
        recipients=_unique(recipients),
        context={**_case_context(case), "event_id": event_id},
    )


def notify_assigned(
    *, case: CaseLike, assignee: User, event_id: int, assigned_by: User | None = None
) -> list[OutboxMessage]:
    """Tell an agent a case was assigned to them (not when they took it themselves)."""
    context = {
        **_case_context(case),
        "event_id": event_id,
        "assigned_by_name": _display_name(assigned_by),
    }
    return _enqueue_all(
        key_prefix=f"case:{case.id}:assigned:{event_id}",
        kind=Kind.CASE_ASSIGNED,
        recipients=_unique([assignee], skip=assigned_by),
        context=context,
    )


def _timer_context(case: CaseLike, *, timer_id: int, target: str, due_at: datetime) -> dict:
    if timezone.is_naive(due_at):
        raise ValueError("due_at must be timezone-aware.")
    return {
        **_case_context(case),
        "timer_id": timer_id,
        "target": target,
        "due_at": due_at.isoformat(),
    }


def notify_sla_breach(
    *, case: CaseLike, timer_id: int, target: str, due_at: datetime
) -> list[OutboxMessage]:
    """Tell the assignee, the region's supervisors and (Premier+) the TAM of a breach."""
    return _enqueue_all(
        key_prefix=f"case:{case.id}:breach:{timer_id}",
        kind=Kind.SLA_BREACH,
        recipients=selectors.sla_alert_recipients(case=case, breach=True),
        context=_timer_context(case, timer_id=timer_id, target=target, due_at=due_at),
    )


def notify_sla_warning(
    *, case: CaseLike, timer_id: int, target: str, due_at: datetime
) -> list[OutboxMessage]:
    """Warn the assignee (if none, the region's supervisors) and the TAM of a near target."""
    return _enqueue_all(
        key_prefix=f"case:{case.id}:warning:{timer_id}",
        kind=Kind.SLA_WARNING,
        recipients=selectors.sla_alert_recipients(case=case, breach=False),
        context=_timer_context(case, timer_id=timer_id, target=target, due_at=due_at),
    )


def notify_case_created(
    *, case: CaseLike, recipients: Iterable[User], first_response_due_at: datetime | None
) -> list[OutboxMessage]:
    """Acknowledge a new case to the requester and CCs (the caller's `recipients`).

    With the case number, severity, link and, when the plan has one, the first-response due
    instant (shown in each recipient's time zone).
    """
    if first_response_due_at is not None and timezone.is_naive(first_response_due_at):
        raise ValueError("first_response_due_at must be timezone-aware.")
    return _enqueue_all(
        key_prefix=f"case:{case.id}:created",
        kind=Kind.CASE_CREATED,
        recipients=_unique(recipients),
        context={
            **_case_context(case),
            "first_response_due_at": (
                first_response_due_at.isoformat() if first_response_due_at else ""
            ),
        },
    )


def notify_tam_case(*, case: CaseLike, account: Account) -> list[OutboxMessage]:
    """Tell a Premier+ account's TAM of a severity 1 or 2 case (on open and severity change)."""
    if case.severity not in TAM_SEVERITIES:
        return []
    manager = selectors.technical_account_manager(account=account)
    if manager is None:
        return []
    # One e-mail per severity reached: a case raised from 2 to 1 is news, 1 to 2 to 1 is not.
    return _enqueue_all(
        key_prefix=f"case:{case.id}:tam:severity:{case.severity}",
        kind=Kind.CASE_CREATED_TAM,
        recipients=[manager],
        context={**_case_context(case), "account_name": account.name},
    )


def notify_self_escalation_requested(
    *,
    case: CaseLike,
    request_id: int,
    requested_by: User,
    reason: str,
    recipients: Iterable[User],
) -> list[OutboxMessage]:
    """Tell those who decide (the caller's `recipients`) that a customer asked to escalate."""
    context = {
        **_case_context(case),
        "request_id": request_id,
        "requested_by_name": _display_name(requested_by),
        "reason": _excerpt(reason),
    }
    return _enqueue_all(
        key_prefix=f"case:{case.id}:escalation:{request_id}:requested",
        kind=Kind.SELF_ESCALATION_REQUESTED,
        recipients=_unique(recipients, skip=requested_by),
        context=context,
    )


def notify_self_escalation_decided(
    *,
    case: CaseLike,
    request_id: int,
    approved: bool,
    note: str,
    recipients: Iterable[User],
) -> list[OutboxMessage]:
    """Tell the customer (the caller's `recipients`) whether their escalation was granted."""
    context = {
        **_case_context(case),
        "request_id": request_id,
        "approved": approved,
        "note": _excerpt(note),
    }
    return _enqueue_all(
        key_prefix=f"case:{case.id}:escalation:{request_id}:decided",
        kind=Kind.SELF_ESCALATION_DECIDED,
        recipients=_unique(recipients),
        context=context,
    )
