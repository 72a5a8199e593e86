"""Writes of the outbox: enqueue (in the caller's transaction), claim, deliver, retry, cancel.

Guarantees (see docs/notifications.md):
- a cause produces at most one row, because the caller's key is unique;
- a row is written or not together with the change that caused it (the caller's transaction);
- a row is handed to the SMTP server by whoever holds its claim, and a `sent` row never again;
- a worker that dies holding a claim loses nothing: the claim expires after the lease and the
  sweep delivers the row. Only a crash between the SMTP server's acceptance and the `sent` update
  can deliver twice; the stable Message-ID lets mail clients fold such a duplicate.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tierdesk.accounts.models import User
from tierdesk.accounts.selectors.people import invitation_is_pending
from tierdesk.web.formats import to_zone

from .. import selectors
from ..kinds import ADDRESS_KINDS, KINDS, SECRET_KINDS, Kind
from ..models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

KEY_MAX_LENGTH = OutboxMessage._meta.get_field("key").max_length or 200
SUBJECT_MAX_LENGTH = 255
# What a sent row of a SECRET_KINDS kind keeps instead of its body (which held a one-time link).
BODY_REMOVED_ONCE_SENT = "[Removed once sent: the body held a one-time link.]\n"


def lease() -> timedelta:
    """How long a claim protects a row being sent; an older claim belongs to a lost worker."""
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def max_attempts() -> int:
    """Attempts before a row is given up as failed."""
    return int(settings.OUTBOX_MAX_ATTEMPTS)


def send_timeout() -> float:
    """Seconds the SMTP conversation may take; kept well under the lease so claims never overlap."""
    return float(settings.OUTBOX_SEND_TIMEOUT_SECONDS)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try: 1, 2, 4, 8 ... minutes."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


class DeliveryOutcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"


def _language_of(user: User) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    language = (user.language or "").split("-")[0].lower()
    return language if language in codes else settings.LANGUAGE_CODE


def _plain(context: Mapping[str, object]) -> dict[str, object]:
    try:
        plain = json.loads(json.dumps(dict(context)))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"Notification context must be plain JSON values: {exc}") from None
    if not isinstance(plain, dict):
        raise ValueError("Notification context must be a mapping.")
    return plain


def notification_render(
    *,
    template: str,
    context: Mapping[str, object],
    recipient: User | None,
    language: str,
    time_zone: str = "UTC",
) -> tuple[str, str]:
    """The subject and plain-text body of a notification for `recipient`, in `language`.

    Without a recipient (an address that has no user yet), times are shown in `time_zone`.
    """
    zone_name = (recipient.time_zone if recipient else time_zone) or "UTC"
    render_context = {
        **context,
        "recipient_name": (recipient.get_full_name() or recipient.email) if recipient else "",
        "recipient_time_zone": zone_name,
    }
    # Times show in the recipient's zone through |when_text (docs/formats.md), whoever sends.
    with translation.override(language), timezone.override(to_zone(zone_name) or UTC):
        raw_subject = render_to_string(f"notifications/{template}.subject.txt", render_context)
        body = render_to_string(f"notifications/{template}.body.txt", render_context)
    # A header must be one line; templates may end with a newline.
    subject = " ".join(raw_subject.split())[:SUBJECT_MAX_LENGTH]
    return subject, str(body).strip() + "\n"


def _send_on_commit(message_id: int) -> None:
    """Send the row once the caller's transaction commits: one task for all of its rows.

    Each row registers its own on-commit callback (so savepoints and rollbacks treat it like
    any other), and the first callback that runs hands every row of the batch to one task; the
    others find the batch sent. A rolled-back row's id may ride along: delivering a row that
    does not exist does nothing.
    """
    connection = transaction.get_connection()
    batch = getattr(connection, "_tierdesk_outbox_batch", None)
    if batch is None or batch.done:
        batch = _CommitBatch()
        connection._tierdesk_outbox_batch = batch
    batch.ids.append(message_id)
    # robust: a broker that is down must not fail the caller's request; the sweep sends.
    transaction.on_commit(batch.send, robust=True)


class _CommitBatch:
    """The outbox rows written in one transaction, handed to one task after it commits."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.done = False

    def send(self) -> None:
        """Enqueue one task for the whole batch, once (a method: Django logs its __qualname__)."""
        from ..tasks import outbox_send_many

        if self.done:
            return
        self.done = True
        outbox_send_many.enqueue(self.ids)


def outbox_enqueue(
    *, key: str, recipient: User, template: str, context: Mapping[str, object]
) -> OutboxMessage | None:
    """Write one e-mail to the outbox in the caller's transaction; a key never writes twice.

    Returns the row written; for a key written before, an object with that row's id and this
    call's values (re-read it for the stored state).
    """
    if template not in KINDS:
        raise ValueError(f"Unknown notification kind {template!r}.")
    if not key or len(key) > KEY_MAX_LENGTH:
        raise ValueError(f"An outbox key is 1 to {KEY_MAX_LENGTH} characters, got {len(key)}.")
    plain = _plain(context)
    if not recipient.is_active or not recipient.email:
        return None
    language = _language_of(recipient)
    subject, body = notification_render(
        template=template, context=plain, recipient=recipient, language=language
    )
    message = OutboxMessage(
        key=key,
        recipient=recipient,
        to_email=recipient.email,
        language=language,
        template=template,
        context=plain,
        subject=subject,
        body_text=body,
    )
    batch = _batch.get()
    if batch is not None:
        return batch.setdefault(key, message)
    _write([message])
    return message


def outbox_enqueue_address(
    *,
    key: str,
    to_email: str,
    language: str,
    time_zone: str,
    template: str,
    context: Mapping[str, object],
    render_only: Mapping[str, object] | None = None,
) -> OutboxMessage:
    """Write one e-mail to an address that has no user yet (an invitation), like `outbox_enqueue`.

    `render_only` values are used to render the body and are kept nowhere else: not in the row's
    `context`, not in any task argument (the task only ever gets the row's id). A secret passed
    this way (an invitation's one-time link) lives in the database row's body until the e-mail is
    sent, then the body is blanked (`SECRET_KINDS`).
    """
    if template not in ADDRESS_KINDS:
        raise ValueError(f"{template!r} is not a kind sent to a bare address.")
    if not key or len(key) > KEY_MAX_LENGTH:
        raise ValueError(f"An outbox key is 1 to {KEY_MAX_LENGTH} characters, got {len(key)}.")
    if not to_email:
        raise ValueError("An address is required.")
    plain = _plain(context)
    codes = {code for code, _name in settings.LANGUAGES}
    language = language if language in codes else settings.LANGUAGE_CODE
    subject, body = notification_render(
        template=template,
        context={**plain, **(render_only or {})},
        recipient=None,
        language=language,
        time_zone=time_zone,
    )
    message = OutboxMessage(
        key=key,
        recipient=None,
        to_email=to_email,
        language=language,
        template=template,
        context=plain,
        subject=subject,
        body_text=body,
    )
    batch = _batch.get()
    if batch is not None:
        return batch.setdefault(key, message)
    _write([message])
    return message


# Inside `outbox_batch()`, rows are collected by key and written in one statement at the end.
_batch: ContextVar[dict[str, OutboxMessage] | None] = ContextVar("outbox_batch", default=None)


@contextmanager
def outbox_batch() -> Iterator[None]:
    """Write the rows enqueued inside the block in one statement when it ends without error.

    For a batch of work in one transaction (the SLA timer sweep). Inside the block the rows
    `outbox_enqueue` returns have no id yet; they get theirs when the block ends. Do not
    open savepoints that may roll back inside the block: their rows would still be written.
    """
    token = _batch.set({})
    try:
        yield
        rows = _batch.get()
        if rows:
            _write(list(rows.values()))
    finally:
        _batch.reset(token)


def _write(messages: list[OutboxMessage]) -> None:
    # One statement, no savepoint: INSERT ... ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key
    # writes each row or, for a key written before (or by a concurrent writer, once it commits),
    # changes nothing and hands back that row's id. Handing a row that was already there to the
    # worker again is harmless: only a pending, due row can be claimed, and only once.
    OutboxMessage.objects.bulk_create(
        messages, update_conflicts=True, unique_fields=["key"], update_fields=["key"]
    )
    for message in messages:
        if message.pk is None:  # a database that cannot return ids from an upsert
            message.pk = OutboxMessage.objects.get(key=message.key).pk
        _send_on_commit(message.pk)


def outbox_claim(*, message_id: int, now: datetime | None = None) -> str | None:
    """Take the row for sending, atomically; the claim token, or None if not ours to send."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    # One conditional UPDATE: of two workers, exactly one matches the row. A `sending` row whose
    # claim is older than the lease belongs to a worker that died, and may be taken over.
    claimed = (
        OutboxMessage.objects.filter(pk=message_id, attempts__lt=max_attempts())
        .filter(
            Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=OutboxStatus.SENDING, claimed_at__lt=now - lease())
        )
        .update(
            status=OutboxStatus.SENDING,
            claim_token=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    )
    return token if claimed else None


def _address_row_reason(message: OutboxMessage) -> str:
    """Why a row written for a bare address should no longer go out ("" if it should)."""
    context = message.context if isinstance(message.context, dict) else {}
    if message.template == Kind.INVITATION:
        invitation_id = context.get("invitation_id")
        if not isinstance(invitation_id, int) or not invitation_is_pending(invitation_id):
            return "The invitation was accepted, replaced, revoked or has expired."
        if User.objects.filter(email__iexact=message.to_email).exists():
            return "The address has a user now."
    return ""


def _undeliverable_reason(message: OutboxMessage) -> str:
    if message.template in ADDRESS_KINDS:
        return _address_row_reason(message)
    recipient = message.recipient
    if recipient is None:
        return "The recipient no longer exists."
    if not recipient.is_active:
        return "The recipient is no longer active."
    if not recipient.email:
        return "The recipient has no e-mail address."
    account_id = message.context.get("account_id") if isinstance(message.context, dict) else None
    if account_id is not None and recipient.is_customer and recipient.account_id != account_id:
        return "The recipient no longer belongs to the case's account."
    return ""


def _message_id_header(message: OutboxMessage) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "tierdesk.localhost"
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:16]
    return f"<outbox.{message.pk}.{digest}@{domain}>"


def _send_email(message: OutboxMessage) -> None:
    email = EmailMessage(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers={
            # Stable across retries: a duplicate from the at-least-once window folds in clients.
            "Message-ID": _message_id_header(message),
            "Auto-Submitted": "auto-generated",
            "Content-Language": message.language,
            "X-Tierdesk-Notification": message.template,
        },
        connection=get_connection(timeout=send_timeout()),
    )
    email.send()


def _finish(message_id: int, token: str, **fields: object) -> bool:
    # Guarded by our token: if our lease expired and another worker took over, we change nothing.
    updated = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxStatus.SENDING, claim_token=token
    ).update(claim_token="", **fields)
    if not updated:
        logger.warning("outbox %s: claim lost before the outcome was recorded", message_id)
    return bool(updated)


def outbox_deliver(*, message_id: int) -> DeliveryOutcome:
    """Claim, re-check and send one row, recording the outcome; safe to call any number of times."""
    token = outbox_claim(message_id=message_id)
    if token is None:
        return DeliveryOutcome.SKIPPED
    message = OutboxMessage.objects.select_related("recipient").get(pk=message_id)
    reason = _undeliverable_reason(message)
    if reason:
        _finish(message_id, token, status=OutboxStatus.CANCELLED, last_error=reason)
        return DeliveryOutcome.CANCELLED
    if message.recipient is not None and message.recipient.email != message.to_email:
        # The person changed address since: the old one may no longer be theirs.
        message.to_email = message.recipient.email
        OutboxMessage.objects.filter(pk=message_id, claim_token=token).update(
            to_email=message.to_email
        )
    try:
        _send_email(message)
    except Exception as exc:  # any back-end error is a failed attempt, never a lost row
        logger.warning("outbox %s: attempt %s failed: %s", message_id, message.attempts, exc)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= max_attempts():
            _finish(message_id, token, status=OutboxStatus.FAILED, last_error=error)
            return DeliveryOutcome.FAILED
        _finish(
            message_id,
            token,
            status=OutboxStatus.PENDING,
            claimed_at=None,
            last_error=error,
            next_attempt_at=timezone.now() + backoff(message.attempts),
        )
        return DeliveryOutcome.RETRY
    done: dict[str, object] = {"status": OutboxStatus.SENT, "sent_at": timezone.now()}
    if message.template in SECRET_KINDS:
        done["body_text"] = BODY_REMOVED_ONCE_SENT
    _finish(message_id, token, last_error="", **done)
    return DeliveryOutcome.SENT


def outbox_fail_abandoned(*, now: datetime | None = None) -> int:
    """Give up rows whose last allowed attempt was claimed by a worker that never came back."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING,
        claimed_at__lt=now - lease(),
        attempts__gte=max_attempts(),
    ).update(
        status=OutboxStatus.FAILED,
        claim_token="",
        last_error="The worker was lost during the last attempt; delivery is unknown.",
    )


def outbox_send_due(*, batch_size: int = 100, time_budget_seconds: float = 45.0) -> dict[str, int]:
    """Send what is due (new, retries, expired claims) in batches; returns the outcome counts."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1.")
    outcomes: Counter[str] = Counter()
    failed = outbox_fail_abandoned()
    if failed:
        outcomes[DeliveryOutcome.FAILED.value] += failed
    deadline = time.monotonic() + time_budget_seconds
    seen: set[int] = set()
    while time.monotonic() < deadline:
        ids = [
            message_id
            for message_id in selectors.outbox_due_ids(limit=batch_size, lease=lease())
            if message_id not in seen
        ]
        if not ids:
            break
        for message_id in ids:
            seen.add(message_id)
            outcomes[outbox_deliver(message_id=message_id).value] += 1
    return dict(outcomes)


@transaction.atomic
def outbox_retry(*, message_ids: Iterable[int]) -> int:
    """Put failed or cancelled rows back in the queue with fresh attempts; returns how many."""
    retryable = OutboxMessage.objects.filter(
        pk__in=list(message_ids), status__in=[OutboxStatus.FAILED, OutboxStatus.CANCELLED]
    )
    ids = list(retryable.values_list("pk", flat=True))
    OutboxMessage.objects.filter(pk__in=ids).update(
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_at=None,
        claim_token="",
        last_error="",
    )
    for message_id in ids:
        _send_on_commit(message_id)
    return len(ids)


@transaction.atomic
def outbox_cancel(*, message_ids: Iterable[int]) -> int:
    """Cancel rows that have not gone out yet (pending ones only); returns how many."""
    return OutboxMessage.objects.filter(
        pk__in=list(message_ids), status=OutboxStatus.PENDING
    ).update(status=OutboxStatus.CANCELLED, last_error="Cancelled by an operator.")
