"""Worker tasks: send the rows a transaction wrote (on commit), one row, and the minute sweep."""

from __future__ import annotations

from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import outbox_deliver, outbox_send_due


@task()
def outbox_send(message_id: int) -> str:
    """Send one outbox row if it is still due; idempotent. Returns the outcome."""
    return outbox_deliver(message_id=message_id).value


@task()
def outbox_send_many(message_ids: list[int]) -> dict[str, int]:
    """Send the rows one transaction wrote (enqueued once, on commit); idempotent."""
    outcomes: dict[str, int] = {}
    for message_id in message_ids:
        outcome = outbox_deliver(message_id=message_id).value
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@db_periodic_task(crontab(minute="*"))
def outbox_sweep() -> dict[str, int]:
    """Every minute: send due rows, retries and rows whose worker was lost."""
    return outbox_send_due()
