"""API of phone support for agents: the queue in its order, taking the next call, one's calls.

Thin: the same selectors and services as the console (`phone.selectors`, `phone.services.agents`);
customers and visitors get 403.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from tierdesk.accounts.models import User
from tierdesk.config.api_types import (
    READ_ERRORS,
    WRITE_ERRORS,
    BodyId,
    PathId,
    Text,
)
from tierdesk.tickets.selectors.cases import access_case

from .models import QueueEntry
from .selectors import calls as reads
from .services import agents

PREFIX = "/phone"
router = Router(tags=["phone"])


class QueueEntryOut(Schema):
    """A place in a queue: a caller on hold or a callback."""

    id: int
    kind: str
    region: str
    line: str
    severity: int
    plan_weight: int
    entered_at: datetime
    state: str
    from_number: str
    account_id: int | None
    account_name: str
    estimated_wait_seconds: int
    taken_at: datetime | None


class WrapUpIn(Schema):
    """The call's notes, on a new phone case (optional subject) or on a case of the caller's."""

    notes: Text
    subject: Text = ""
    case_id: BodyId | None = None


class WrapUpOut(Schema):
    """The case the call is logged on."""

    case_id: int


class RingNumberIn(Schema):
    """Where the agent is connected to the calls they take: E.164, or "" to clear it."""

    ring_number: Text


class RingNumberOut(Schema):
    """The agent's "ring me at" number as kept (E.164), "" when none is set."""

    ring_number: str


class TakeOut(Schema):
    """The call taken, or none when nothing waits."""

    entry: QueueEntryOut | None


def _agent(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User) or not reads.agent_lines(user):
        raise PermissionDenied(_("The phone console is for agents who answer a phone line."))
    return user


def _out(entry: QueueEntry) -> QueueEntryOut:
    account = entry.call.account
    return QueueEntryOut(
        id=entry.pk,
        kind=entry.kind,
        region=entry.region.code,
        line=entry.line,
        severity=entry.severity,
        plan_weight=entry.plan_weight,
        entered_at=entry.entered_at,
        state=entry.state,
        from_number=entry.call.from_number,
        account_id=account.pk if account else None,
        account_name=account.name if account else "",
        estimated_wait_seconds=entry.estimated_wait_seconds,
        taken_at=entry.taken_at,
    )


@router.get("/queue", response={200: list[QueueEntryOut], **READ_ERRORS})
def phone_queue(request: HttpRequest) -> list[QueueEntryOut]:
    """The waiting entries of the agent's lines (and region), in the order they are served.

    Like the console's poll, reading the queue marks the agent available for the estimates.
    """
    agent = _agent(request)
    agents.presence_touch(agent=agent)
    return [_out(entry) for entry in reads.waiting_order(reads.agent_entries(agent))]


@router.get("/ring-number", response={200: RingNumberOut, **READ_ERRORS})
def phone_ring_number(request: HttpRequest) -> RingNumberOut:
    """The number the agent's taken calls are connected to ("" when none is set)."""
    return RingNumberOut(ring_number=agents.ring_number_of(_agent(request)))


@router.put("/ring-number", response={200: RingNumberOut, **WRITE_ERRORS})
def phone_ring_number_set(request: HttpRequest, payload: RingNumberIn) -> RingNumberOut:
    """Set the "ring me at" number (422 when it is not a valid E.164 number; "" clears it)."""
    number = agents.ring_number_set(agent=_agent(request), number=payload.ring_number)
    return RingNumberOut(ring_number=number)


@router.post("/queue/take", response={200: TakeOut, **WRITE_ERRORS})
def phone_take(request: HttpRequest) -> TakeOut:
    """Take the next call by the queue's order; `entry` is null when nothing waits.

    400 while the agent has no "ring me at" number (set on the phone console or with PUT
    /ring-number): the caller is connected to that number (see docs/phone.md).
    """
    try:
        entry = agents.call_take_next(agent=_agent(request))
    except agents.NoRingNumber as error:
        raise HttpError(400, " ".join(error.messages)) from None
    if entry is None:
        return TakeOut(entry=None)
    entry = QueueEntry.objects.select_related("call__account", "region").get(pk=entry.pk)
    return TakeOut(entry=_out(entry))


@router.get("/calls/mine", response={200: list[QueueEntryOut], **READ_ERRORS})
def phone_my_calls(request: HttpRequest) -> list[QueueEntryOut]:
    """The calls the agent took and has not wrapped up yet."""
    return [_out(entry) for entry in reads.open_calls_of(_agent(request))]


def _own_entry(agent: User, entry_id: int) -> QueueEntry:
    entry = (
        QueueEntry.objects.select_related("call__account", "region")
        .filter(pk=entry_id, agent=agent)
        .first()
    )
    if entry is None:
        raise Http404(_("No such call of yours."))
    return entry


@router.post("/calls/{entry_id}/wrap-up", response={200: WrapUpOut, **WRITE_ERRORS})
def phone_wrap_up(request: HttpRequest, entry_id: PathId, payload: WrapUpIn) -> WrapUpOut:
    """Log the call: notes on a new phone case or on a case of the caller's account.

    The agent's answer becomes the case's first response (see docs/phone.md).
    """
    agent = _agent(request)
    entry = _own_entry(agent, entry_id)
    case = access_case(agent, payload.case_id) if payload.case_id else None
    case = agents.call_wrap_up(
        agent=agent, entry=entry, notes=payload.notes, subject=payload.subject, case=case
    )
    return WrapUpOut(case_id=case.pk)


@router.post("/calls/{entry_id}/transfer", response={200: QueueEntryOut, **WRITE_ERRORS})
def phone_transfer(request: HttpRequest, entry_id: PathId) -> QueueEntryOut:
    """Send the caller to the second line's queue (422 when the plan does not include it)."""
    agent = _agent(request)
    moved = agents.call_transfer(agent=agent, entry=_own_entry(agent, entry_id))
    moved = QueueEntry.objects.select_related("call__account", "region").get(pk=moved.pk)
    return _out(moved)
