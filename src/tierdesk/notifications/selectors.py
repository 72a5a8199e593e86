"""Reads for the outbox (operator data: the admin and the `outbox` command) and for recipients."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils import timezone

from tierdesk.accounts.models import Account, User
from tierdesk.accounts.roles import Role

from .models import OutboxMessage, OutboxStatus

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .protocols import CaseLike


def outbox_status_counts() -> dict[str, int]:
    """How many rows are in each status (every status present, zero included)."""
    counts = {status.value: 0 for status in OutboxStatus}
    for row in OutboxMessage.objects.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def outbox_due_ids(*, limit: int, lease: timedelta, now: datetime | None = None) -> list[int]:
    """Ids of rows a worker may claim now: due pending rows and expired claims, oldest first."""
    now = now or timezone.now()
    due = Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, claimed_at__lt=now - lease
    )
    return list(
        OutboxMessage.objects.filter(due)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def outbox_recent(*, statuses: list[str] | None = None, limit: int = 20) -> QuerySet[OutboxMessage]:
    """The newest rows, optionally only in the given statuses."""
    rows = OutboxMessage.objects.all()
    if statuses:
        rows = rows.filter(status__in=statuses)
    return rows.order_by("-created_at", "-id")[:limit]


def technical_account_manager(*, account: Account) -> User | None:
    """The account's named TAM when its support plan has one and the person is active."""
    if not account.support_plan.named_technical_account_manager:
        return None
    manager = account.technical_account_manager
    if manager is None or not manager.is_active:
        return None
    return manager


# Within a batch of work (the SLA timer sweep), the same people are looked up again and again:
# the region's supervisors, an account's TAM, an assignee. `recipients_memo()` keeps them for the
# length of the batch; outside one, every call reads the database.
_memo: ContextVar[dict[tuple[str, int], Any] | None] = ContextVar("recipients_memo", default=None)


@contextmanager
def recipients_memo() -> Iterator[None]:
    """Remember recipients looked up inside the block (for one short batch of notifications)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def prime_recipients(*, accounts: Iterable[Account], users: Iterable[User | None] = ()) -> None:
    """Inside `recipients_memo()`, remember people already loaded (accounts with plan and TAM)."""
    memo = _memo.get()
    if memo is None:
        return
    for account in accounts:
        memo.setdefault(("tam", account.pk), technical_account_manager(account=account))
    for user in users:
        if user is not None:
            memo.setdefault(("user", user.pk), [user] if user.is_active else [])


def _remembered(kind: str, key: int, load: Callable[[], Any]) -> Any:
    memo = _memo.get()
    if memo is None:
        return load()
    if (kind, key) not in memo:
        memo[(kind, key)] = load()
    return memo[(kind, key)]


def region_supervisors(*, region_id: int) -> list[User]:
    """The active supervisors of a support region."""
    return list(
        _remembered(
            "supervisors",
            region_id,
            lambda: list(
                User.objects.filter(
                    role=Role.SUPERVISOR, region_id=region_id, is_active=True
                ).order_by("id")
            ),
        )
    )


def _active_user(user_id: int) -> list[User]:
    return list(
        _remembered("user", user_id, lambda: list(User.objects.filter(pk=user_id, is_active=True)))
    )


def _with_tam(users: list[User], account_id: int) -> list[User]:
    manager = _remembered(
        "tam",
        account_id,
        lambda: technical_account_manager(
            account=Account.objects.select_related("support_plan", "technical_account_manager").get(
                pk=account_id
            )
        ),
    )
    if manager is not None:
        users.append(manager)
    unique: dict[int, User] = {}
    for user in users:
        unique.setdefault(user.pk, user)
    return list(unique.values())


def sla_alert_recipients(*, case: CaseLike, breach: bool) -> list[User]:
    """Who hears that a target of the case is near (a warning) or missed (a breach).

    The one rule for both:
    - the case's assignee, when it has an active one;
    - the active supervisors of the case's region on a breach, and on a warning when the case
      has no active assignee: an unclaimed case near its target has nobody else to act on it
      (supervisors are per region, not per line: they see every line's queue);
    - the account's technical account manager on Premier+.
    """
    users: list[User] = []
    if case.assignee_id is not None:
        users.extend(_active_user(case.assignee_id))
    if breach or not users:
        users.extend(region_supervisors(region_id=case.region_id))
    return _with_tam(users, case.account_id)
