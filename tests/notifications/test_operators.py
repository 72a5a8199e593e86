"""Operators' tools: the `tierdesk outbox` command and the admin list of outgoing e-mails."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import StaffAdminFactory, UserFactory, VendorUserFactory
from tierdesk.accounts.roles import Role
from tierdesk.notifications.models import OutboxMessage, OutboxStatus
from tierdesk.notifications.services import outbox_enqueue

pytestmark = pytest.mark.django_db

CONTEXT = {"case_id": 1, "case_subject": "S", "case_url": "http://x/cases/1/"}


def pending(user, key):
    message = outbox_enqueue(key=key, recipient=user, template="case_solved", context=CONTEXT)
    assert message is not None
    return message


def run(*args):
    out = StringIO()
    call_command("outbox", *args, stdout=out)
    return out.getvalue()


def test_the_command_counts_rows_by_status():
    user = UserFactory()
    pending(user, "a")
    pending(user, "b")
    OutboxMessage.objects.filter(key="b").update(status=OutboxStatus.FAILED, last_error="boom")
    lines = run().splitlines()
    assert "pending    1" in lines
    assert "failed     1" in lines
    assert "sent       0" in lines
    assert mail.outbox == []


def test_the_command_sends_what_is_due():
    user = UserFactory()
    pending(user, "a")
    output = run("--send-due")
    assert "sent due e-mails: sent 1" in output
    assert "sent       1" in output.splitlines()
    assert len(mail.outbox) == 1
    assert "nothing was due" in run("--send-due")
    assert len(mail.outbox) == 1


def test_the_command_lists_recent_rows_with_their_errors():
    user = UserFactory(email="ada@example.com")
    pending(user, "case:1:solved:1:user:1")
    pending(user, "case:1:solved:2:user:1")
    OutboxMessage.objects.filter(key="case:1:solved:2:user:1").update(
        status=OutboxStatus.FAILED, last_error="SMTPServerDisconnected: gone\ntraceback"
    )
    output = run("--list", "--status", "failed")
    assert "case:1:solved:2:user:1" in output
    assert "[SMTPServerDisconnected: gone]" in output
    assert "case:1:solved:1:user:1" not in output
    assert "ada@example.com" in output


@pytest.mark.parametrize(
    "args",
    [("--status", "failed"), ("--list", "--status", "bogus"), ("--list", "--limit", "0")],
)
def test_the_command_refuses_bad_options_and_changes_nothing(args):
    user = UserFactory()
    pending(user, "a")
    with pytest.raises(CommandError):
        run(*args)
    assert OutboxMessage.objects.get().status == OutboxStatus.PENDING
    assert mail.outbox == []


def test_the_admin_lists_outgoing_emails_in_bounded_queries(client, django_assert_max_num_queries):
    user = UserFactory()
    for number in range(15):
        pending(user, f"k{number}")
    client.force_login(StaffAdminFactory())
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:notifications_outboxmessage_changelist"))
    assert response.status_code == 200
    assert b"k14" in response.content


@pytest.mark.parametrize("role", [Role.MEMBER, Role.SUPERVISOR])
def test_the_outbox_is_not_visible_to_customers_or_non_admin_staff(client, role):
    user = UserFactory() if role == Role.MEMBER else VendorUserFactory(role=role)
    message = pending(user, "a")
    client.force_login(user)
    for url in (
        reverse("admin:notifications_outboxmessage_changelist"),
        reverse("admin:notifications_outboxmessage_change", args=[message.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_the_admin_retry_action_queues_failed_rows_again(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    message = pending(user, "a")
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED, attempts=8)
    client.force_login(StaffAdminFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_outboxmessage_changelist"),
            {"action": "retry_messages", "_selected_action": [message.pk]},
        )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1


def test_the_admin_cancel_action_cancels_pending_rows(client):
    user = UserFactory()
    message = pending(user, "a")
    client.force_login(StaffAdminFactory())
    client.post(
        reverse("admin:notifications_outboxmessage_changelist"),
        {"action": "cancel_messages", "_selected_action": [message.pk]},
    )
    message.refresh_from_db()
    assert message.status == OutboxStatus.CANCELLED
