"""The outbox: unique keys, the caller's transaction, claims, leases, retries, the sweep."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from tests.factories import AccountFactory, UserFactory
from tierdesk.notifications import services
from tierdesk.notifications.models import OutboxMessage, OutboxStatus
from tierdesk.notifications.services import (
    DeliveryOutcome,
    lease,
    max_attempts,
    outbox_claim,
    outbox_deliver,
    outbox_enqueue,
    outbox_retry,
    outbox_send_due,
)
from tierdesk.notifications.tasks import outbox_send, outbox_sweep

pytestmark = pytest.mark.django_db

CONTEXT = {
    "case_id": 42,
    "case_subject": "VPN drops",
    "case_url": "http://testserver/cases/42/",
    "author_name": "Ada",
    "excerpt": "Please try again.",
}


def enqueue(user, key="case:42:reply:1:user:x", **overrides):
    return outbox_enqueue(
        key=key,
        recipient=user,
        template=overrides.pop("template", "case_public_reply"),
        context=overrides.pop("context", CONTEXT),
    )


def pending_row(user, **fields):
    """A pending row written outside the capture of on-commit callbacks (nothing sent yet)."""
    message = enqueue(user, key=fields.pop("key", "case:42:reply:1:user:x"))
    assert message is not None
    if fields:
        OutboxMessage.objects.filter(pk=message.pk).update(**fields)
        message.refresh_from_db()
    return message


def test_the_same_key_twice_writes_one_row_and_sends_one_email(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue(user)
        second = enqueue(user)
    assert first is not None and second is not None
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_rolled_back_transaction_leaves_no_row_and_sends_nothing(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue(user)
        raise RuntimeError("the change that caused it failed")
    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_commit_sends_the_email_and_marks_the_row_sent(django_capture_on_commit_callbacks):
    user = UserFactory(email="ada@example.com", first_name="Ada", last_name="Lovelace")
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue(user)
    assert message is not None
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    assert message.claim_token == ""
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ada@example.com"]
    assert sent.subject == "[Case #42] New reply: VPN drops"
    assert sent.subject == message.subject
    assert "Hello Ada Lovelace," in sent.body
    assert "Please try again." in sent.body
    assert "http://testserver/cases/42/" in sent.body
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    assert sent.extra_headers["Message-ID"].startswith(f"<outbox.{message.pk}.")


def test_the_message_id_is_the_same_on_every_attempt(monkeypatch):
    user = UserFactory()
    message = pending_row(user)
    headers = []

    def fail_and_record(self, fail_silently=False):
        headers.append(self.extra_headers["Message-ID"])
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(EmailMessage, "send", fail_and_record)
    outbox_deliver(message_id=message.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox_deliver(message_id=message.pk)
    assert len(headers) == 2
    assert headers[0] == headers[1]


def test_the_subject_and_body_are_fixed_when_the_row_is_written():
    user = UserFactory(first_name="Ada")
    message = pending_row(user)
    user.first_name = "Grace"
    user.save()
    outbox_deliver(message_id=message.pk)
    assert "Hello Ada" in mail.outbox[0].body


def test_sending_one_row_twice_sends_one_email():
    user = UserFactory()
    message = pending_row(user)
    assert outbox_deliver(message_id=message.pk) == DeliveryOutcome.SENT
    assert outbox_deliver(message_id=message.pk) == DeliveryOutcome.SKIPPED
    assert outbox_send.call(message.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_a_row_claimed_by_another_worker_is_not_sent_again():
    user = UserFactory()
    message = pending_row(user)
    other_workers_token = outbox_claim(message_id=message.pk)
    assert other_workers_token is not None
    assert outbox_deliver(message_id=message.pk) == DeliveryOutcome.SKIPPED
    assert outbox_send_due() == {}
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING
    assert message.claim_token == other_workers_token


def test_a_sent_row_is_never_sent_again_even_with_an_expired_claim_time():
    user = UserFactory()
    message = pending_row(user)
    outbox_deliver(message_id=message.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_at=timezone.now() - timedelta(days=1), next_attempt_at=timezone.now()
    )
    assert outbox_send_due() == {}
    assert outbox_deliver(message_id=message.pk) == DeliveryOutcome.SKIPPED
    assert len(mail.outbox) == 1


def test_a_lost_workers_claim_is_taken_over_by_the_sweep_after_the_lease():
    user = UserFactory()
    now = timezone.now()
    message = pending_row(
        user,
        status=OutboxStatus.SENDING,
        claim_token="lost-worker",
        claimed_at=now - lease() + timedelta(seconds=30),
        attempts=1,
    )
    # Within the lease the claim stands: the worker may still be talking to the SMTP server.
    assert outbox_sweep.call_local() == {}
    assert mail.outbox == []

    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_at=now - lease() - timedelta(seconds=1)
    )
    assert outbox_sweep.call_local() == {"sent": 1}
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    # The lost worker coming back cannot overwrite the outcome: its token is gone.
    assert not services.outbox._finish(message.pk, "lost-worker", status=OutboxStatus.FAILED)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_a_lost_claim_on_the_last_attempt_is_failed_not_retried():
    user = UserFactory()
    message = pending_row(
        user,
        status=OutboxStatus.SENDING,
        claim_token="lost-worker",
        claimed_at=timezone.now() - lease() - timedelta(minutes=1),
        attempts=max_attempts(),
    )
    assert outbox_send_due() == {"failed": 1}
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert "delivery is unknown" in message.last_error
    assert mail.outbox == []


def test_a_failing_backend_is_retried_with_backoff_then_failed(monkeypatch):
    user = UserFactory()
    message = pending_row(user)

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("connection refused")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    waits = []
    for attempt in range(1, max_attempts() + 1):
        before = timezone.now()
        outcome = outbox_deliver(message_id=message.pk)
        message.refresh_from_db()
        assert message.attempts == attempt
        assert "SMTPServerDisconnected: connection refused" in message.last_error
        assert message.claim_token == ""
        if attempt < max_attempts():
            assert outcome == DeliveryOutcome.RETRY
            assert message.status == OutboxStatus.PENDING
            waits.append(round((message.next_attempt_at - before).total_seconds() / 60))
            # Not due before its time: neither the task nor the sweep sends it.
            assert outbox_deliver(message_id=message.pk) == DeliveryOutcome.SKIPPED
            assert outbox_send_due() == {}
            OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        else:
            assert outcome == DeliveryOutcome.FAILED
            assert message.status == OutboxStatus.FAILED
    assert waits == [1, 2, 4, 8, 16, 32, 64]
    # A failed row stays failed.
    assert outbox_deliver(message_id=message.pk) == DeliveryOutcome.SKIPPED
    assert outbox_send_due() == {}
    assert mail.outbox == []


def test_a_failed_row_can_be_retried_by_an_operator(django_capture_on_commit_callbacks):
    user = UserFactory()
    message = pending_row(user, status=OutboxStatus.FAILED, attempts=8, last_error="boom")
    sent_row = pending_row(user, key="other")
    outbox_deliver(message_id=sent_row.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_retry(message_ids=[message.pk, sent_row.pk]) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert len(mail.outbox) == 2


def test_a_broker_failure_at_commit_loses_nothing(monkeypatch, django_capture_on_commit_callbacks):
    user = UserFactory()

    class BrokerDown:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("redis is down")

    monkeypatch.setattr("tierdesk.notifications.tasks.outbox_send_many", BrokerDown())
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue(user)
    assert message is not None
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert mail.outbox == []
    assert outbox_sweep.call_local() == {"sent": 1}
    assert len(mail.outbox) == 1


def test_the_sweep_works_in_batches():
    user = UserFactory()
    for number in range(5):
        pending_row(user, key=f"k{number}")
    assert outbox_send_due(batch_size=2) == {"sent": 5}
    assert len(mail.outbox) == 5
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 5


def test_inactive_users_and_users_without_email_get_nothing(django_capture_on_commit_callbacks):
    inactive = UserFactory(is_active=False)
    no_email = UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue(inactive, key="a") is None
        assert enqueue(no_email, key="b") is None
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_a_user_deactivated_before_sending_gets_nothing():
    user = UserFactory()
    message = pending_row(user)
    user.is_active = False
    user.save()
    assert outbox_deliver(message_id=message.pk) == DeliveryOutcome.CANCELLED
    message.refresh_from_db()
    assert message.status == OutboxStatus.CANCELLED
    assert "no longer active" in message.last_error
    assert mail.outbox == []


def test_a_customer_moved_to_another_account_gets_nothing_of_the_old_one():
    user = UserFactory()
    message = pending_row(user, context={**CONTEXT, "account_id": user.account_id})
    user.account = AccountFactory()
    user.save()
    assert outbox_deliver(message_id=message.pk) == DeliveryOutcome.CANCELLED
    assert mail.outbox == []


def test_a_changed_address_gets_the_email_not_the_old_one():
    user = UserFactory(email="old@example.com")
    message = pending_row(user)
    user.email = "new@example.com"
    user.save()
    outbox_deliver(message_id=message.pk)
    assert mail.outbox[0].to == ["new@example.com"]
    message.refresh_from_db()
    assert message.to_email == "new@example.com"


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"template": "no_such_kind"}, "Unknown notification kind"),
        ({"context": {"when": timezone.now()}}, "plain JSON values"),
        ({"key": ""}, "outbox key"),
        ({"key": "x" * 201}, "outbox key"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(overrides, error):
    user = UserFactory()
    key = overrides.pop("key", "case:1")
    with pytest.raises(ValueError, match=error):
        enqueue(user, key=key, **overrides)
    assert not OutboxMessage.objects.exists()


def test_the_sent_status_requires_a_sent_time():
    from django.db import IntegrityError

    user = UserFactory()
    message = pending_row(user)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENT)


def test_one_transaction_hands_all_its_rows_to_one_task(django_capture_on_commit_callbacks):
    from django_tasks.signals import task_enqueued

    user = UserFactory()
    batches = []

    def count(sender, task_result, **kwargs):
        if task_result.task.name == "outbox_send_many":
            batches.append(list(task_result.args[0]))

    task_enqueued.connect(count)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = enqueue(user, key="k1")
            try:
                with transaction.atomic():
                    enqueue(user, key="k-rolled-back")
                    raise RuntimeError("undo this savepoint")
            except RuntimeError:
                pass
            second = enqueue(user, key="k2")
        assert len(batches) == 1
        assert first.pk in batches[0] and second.pk in batches[0]
        assert not OutboxMessage.objects.filter(key="k-rolled-back").exists()
        assert len(mail.outbox) == 2
        # A later transaction starts a batch of its own.
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(user, key="k3")
        assert len(batches) == 2
        assert len(mail.outbox) == 3
    finally:
        task_enqueued.disconnect(count)
