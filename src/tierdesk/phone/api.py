"""API of phone support for agents: the queue in its order, taking the next call, one's calls.

Thin: the same selectors and services as the console (`phone.selectors`, `phone.services.agents`);
customers and visitors get 403.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from tierdesk.accounts.models import User
from tierdesk.config.api_types import READ_ERRORS, error_responses

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
    """The waiting entries of the agent's lines (and region), in the order they are served."""
    return [_out(entry) for entry in reads.waiting_order(reads.agent_entries(_agent(request)))]


@router.post("/queue/take", response={200: TakeOut, **error_responses(401, 403)})
def phone_take(request: HttpRequest) -> TakeOut:
    """Take the next call by the queue's order; `entry` is null when nothing waits."""
    entry = agents.call_take_next(agent=_agent(request))
    if entry is None:
        return TakeOut(entry=None)
    entry = QueueEntry.objects.select_related("call__account", "region").get(pk=entry.pk)
    return TakeOut(entry=_out(entry))


@router.get("/calls/mine", response={200: list[QueueEntryOut], **READ_ERRORS})
def phone_my_calls(request: HttpRequest) -> list[QueueEntryOut]:
    """The calls the agent took and has not wrapped up yet."""
    return [_out(entry) for entry in reads.open_calls_of(_agent(request))]
