"""Invitations: no account learns who has a user elsewhere; e-mails go through the outbox only."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks.signals import task_enqueued

from tests.factories import (
    AccountAdminFactory,
    StaffAdminFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.models import Invitation
from tierdesk.accounts.selectors.people import invitation_hash
from tierdesk.accounts.services.people import user_invite
from tierdesk.accounts.services.tokens import api_token_create
from tierdesk.notifications.kinds import Kind
from tierdesk.notifications.models import OutboxMessage, OutboxStatus
from tierdesk.notifications.services import outbox_deliver

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver/invitations/([^/\s]+)/")


def bearer(user):
    _, secret = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {secret}"}


def invite_through_api(client, admin, email):
    return client.post(
        "/api/v1/account/users/invitations",
        {"email": email, "role": "member"},
        content_type="application/json",
        headers=bearer(admin),
    )


def _shape(body: dict) -> dict:
    return {key: type(value).__name__ for key, value in body.items()}


@pytest.mark.parametrize("elsewhere", ["another account", "the vendor"])
def test_the_api_answers_an_address_of_another_account_as_a_fresh_one(
    client, elsewhere, django_capture_on_commit_callbacks
):
    admin = AccountAdminFactory(account__name="Acme")
    taken = (
        UserFactory(email="taken@example.com", language="it", first_name="Tina")
        if elsewhere == "another account"
        else VendorUserFactory(email="taken@example.com", language="it", first_name="Tina")
    )
    with django_capture_on_commit_callbacks(execute=True):
        fresh = invite_through_api(client, admin, "fresh@example.com")
        other = invite_through_api(client, admin, "taken@example.com")
    assert fresh.status_code == other.status_code == 201
    assert _shape(fresh.json()) == _shape(other.json())
    assert other.json()["email"] == "taken@example.com"
    assert "exist" not in other.content.decode().lower()
    # Both are pending invitations of the account, listed alike.
    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "fresh@example.com",
        "taken@example.com",
    }
    # The fresh address gets the link; the user elsewhere gets a note, in their language, with
    # no link: one address is one user, so the invitation could never be accepted.
    by_address = {message.to[0]: message for message in mail.outbox}
    assert LINK.search(by_address["fresh@example.com"].body)
    note = by_address["taken@example.com"]
    assert not LINK.search(note.body)
    assert "Acme" in note.subject
    assert "Tina" in note.body
    assert "tierdesk" in note.body
    assert taken.language == "it" and "invitare" in note.body
    assert "not been told" not in note.body  # Italian, not English


def test_the_owner_of_the_address_gets_one_note_a_day_from_one_account(
    django_capture_on_commit_callbacks,
):
    admin = AccountAdminFactory()
    other_admin = AccountAdminFactory()
    UserFactory(email="taken@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            user_invite(inviter=admin, email="taken@example.com", role="member", base_url="x")
        user_invite(inviter=other_admin, email="taken@example.com", role="member", base_url="x")
    assert len(mail.outbox) == 2
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 2


def test_the_page_answers_an_address_of_another_account_as_a_fresh_one(
    client, django_capture_on_commit_callbacks
):
    admin = AccountAdminFactory()
    UserFactory(email="taken@example.com")
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/account/users/invite/", {"email": "taken@example.com", "role": "member"}, follow=True
        )
    page = response.content.decode()
    assert "An invitation is on its way to taken@example.com." in page
    assert "exist" not in page.lower()
    assert "taken@example.com" in page  # listed among the pending invitations


def test_the_page_names_a_user_of_the_own_account(client, django_capture_on_commit_callbacks):
    admin = AccountAdminFactory()
    UserFactory(email="colleague@example.com", account=admin.account)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/account/users/invite/", {"email": "colleague@example.com", "role": "member"}
        )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "colleague@example.com is already a user of this account."
    ]
    assert mail.outbox == []


def test_the_api_names_a_user_of_the_own_account(client, django_capture_on_commit_callbacks):
    admin = AccountAdminFactory()
    UserFactory(email="colleague@example.com", account=admin.account)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite_through_api(client, admin, "colleague@example.com")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "email"]


def test_the_token_is_in_no_task_argument_and_only_in_the_outbox_row_until_sent(
    django_capture_on_commit_callbacks,
):
    admin = AccountAdminFactory()
    enqueued: list[str] = []

    def record(sender, task_result, **kwargs):
        enqueued.append(repr((task_result.task.name, task_result.args, task_result.kwargs)))

    task_enqueued.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            invitation = user_invite(
                inviter=admin, email="new@example.com", role="member", base_url="http://testserver/"
            )
        row = OutboxMessage.objects.get()
        assert row.template == Kind.INVITATION
        assert row.recipient is None
        token = LINK.search(row.body_text).group(1)
        assert invitation.token_hash == invitation_hash(token)
        assert token not in repr(row.context)
        with django_capture_on_commit_callbacks(execute=True):
            for callback in callbacks:
                callback()
    finally:
        task_enqueued.disconnect(record)
    assert enqueued, "the outbox task was never enqueued"
    assert all(token not in call for call in enqueued)
    assert all("outbox_send" in call for call in enqueued)
    [message] = mail.outbox
    assert LINK.search(message.body).group(1) == token
    # Once sent, the row no longer holds the link.
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT
    assert token not in row.body_text


def test_a_replaced_invitation_is_not_sent_when_its_row_goes_out_late(
    django_capture_on_commit_callbacks,
):
    admin = AccountAdminFactory()
    with django_capture_on_commit_callbacks(execute=False):
        user_invite(inviter=admin, email="new@example.com", role="member", base_url="http://t/")
    first = OutboxMessage.objects.get()
    with django_capture_on_commit_callbacks(execute=False):
        user_invite(inviter=admin, email="new@example.com", role="member", base_url="http://t/")
    assert outbox_deliver(message_id=first.pk) == "cancelled"
    first.refresh_from_db()
    assert first.status == OutboxStatus.CANCELLED
    assert mail.outbox == []


def test_an_invitation_whose_address_got_a_user_meanwhile_is_not_sent(
    django_capture_on_commit_callbacks,
):
    admin = AccountAdminFactory()
    with django_capture_on_commit_callbacks(execute=False):
        user_invite(inviter=admin, email="new@example.com", role="member", base_url="http://t/")
    UserFactory(email="new@example.com")
    assert outbox_deliver(message_id=OutboxMessage.objects.get().pk) == "cancelled"
    assert mail.outbox == []


def test_the_admin_does_not_show_the_link_of_a_pending_invitation(
    client, django_capture_on_commit_callbacks
):
    admin = AccountAdminFactory()
    with django_capture_on_commit_callbacks(execute=False):
        user_invite(inviter=admin, email="new@example.com", role="member", base_url="http://t/")
    row = OutboxMessage.objects.get()
    token = re.search(r"http://t/invitations/([^/\s]+)/", row.body_text).group(1)
    client.force_login(StaffAdminFactory())
    page = client.get(reverse("admin:notifications_outboxmessage_change", args=[row.pk]))
    assert page.status_code == 200
    assert "new@example.com" in page.content.decode()
    assert token not in page.content.decode()
