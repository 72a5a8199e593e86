"""Which notifications a change to a case sends, through the notifications app's outbox.

The notifications app owns the keys, recipients' languages and templates; this module only maps
a case's events to its notification kinds and picks the customers and deciders involved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from tierdesk.accounts.models import User
from tierdesk.notifications import selectors as recipients
from tierdesk.notifications import services as notifications

from ..choices import TargetKind

if TYPE_CHECKING:
    from ..models import Case, Message, SelfEscalation, SlaClock, SlaTimer


def _customers(case: Case) -> list[User]:
    return [case.requester, *case.cc.all()]


def case_opened(*, case: Case, cc: Iterable[User], clocks: Iterable[SlaClock]) -> None:
    """The requester and CCs get an acknowledgement (number, severity, first-response due, link);
    a Premier+ account's TAM hears of a severity 1 or 2 case.

    `cc` and `clocks` are what opening the case just wrote, so nothing is read back; all the
    rows go to the outbox in one statement.
    """
    first_response = next(
        (clock.due_at for clock in clocks if clock.target == TargetKind.FIRST_RESPONSE), None
    )
    with notifications.outbox_batch():
        notifications.notify_case_created(
            case=case, recipients=[case.requester, *cc], first_response_due_at=first_response
        )
        notifications.notify_tam_case(case=case, account=case.account)


def severity_changed(*, case: Case) -> None:
    """A case raised to severity 1 or 2 reaches a Premier+ account's TAM too."""
    notifications.notify_tam_case(case=case, account=case.account)


def public_reply(*, case: Case, message: Message) -> None:
    """A public reply reaches the customers and the assignee, never its author."""
    notifications.notify_public_reply(
        case=case,
        message_id=message.pk,
        body=message.body,
        author=message.author,
        recipients=[*_customers(case), case.assignee] if case.assignee else _customers(case),
    )


def solved(*, case: Case, event_id: int) -> None:
    """The customers hear that their case is solved."""
    notifications.notify_solved(case=case, event_id=event_id, recipients=_customers(case))


def assigned(*, case: Case, assignee: User, event_id: int, by: User) -> None:
    """An agent hears that someone else assigned them a case."""
    notifications.notify_assigned(case=case, assignee=assignee, event_id=event_id, assigned_by=by)


def sla_breach(*, case: Case, timer: SlaTimer) -> None:
    """A breach reaches the assignee, the region's supervisors and, on Premier+, the TAM."""
    notifications.notify_sla_breach(
        case=case, timer_id=timer.pk, target=timer.target, due_at=timer.due_at
    )


def sla_warning(*, case: Case, timer: SlaTimer) -> None:
    """A warning reaches the assignee (nobody has the case: the region's supervisors) and, on
    Premier+, the TAM (`notifications.selectors.sla_alert_recipients`)."""
    notifications.notify_sla_warning(
        case=case, timer_id=timer.pk, target=timer.target, due_at=timer.due_at
    )


def self_escalation_requested(*, case: Case, request: SelfEscalation) -> None:
    """The region's supervisors hear of a customer's escalation request."""
    supervisors = recipients.region_supervisors(region_id=case.region_id)
    notifications.notify_self_escalation_requested(
        case=case,
        request_id=request.pk,
        requested_by=request.requested_by,
        reason=f"{request.get_reason_display()}\n{request.details}".strip(),
        recipients=supervisors,
    )


def self_escalation_decided(*, case: Case, request: SelfEscalation) -> None:
    """The customer who asked hears the supervisor's decision and its reason."""
    notifications.notify_self_escalation_decided(
        case=case,
        request_id=request.pk,
        approved=request.decision == request.Decision.ACCEPTED,
        note=request.decision_reason,
        recipients=[request.requested_by],
    )
