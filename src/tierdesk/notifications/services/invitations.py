"""The e-mails of invitations: the accept link, or a note to someone who already has a user.

Both go through the outbox in the inviter's transaction; the task queue only ever carries the
rows' ids. The accept link holds the invitation's one-time token, which the invitation itself
keeps only as a hash: the link is rendered into the row's body now (and blanked once sent) and
passed nowhere else.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from tierdesk.accounts.models import User

from ..kinds import Kind
from ..models import OutboxMessage
from .outbox import outbox_enqueue, outbox_enqueue_address


def notify_invitation(
    *,
    invitation_id: int,
    to_email: str,
    account_name: str,
    inviter_name: str,
    expires_at: datetime,
    accept_url: str,
    language: str,
    time_zone: str,
) -> OutboxMessage:
    """The invitation e-mail with its accept link, in the inviter's language and time zone."""
    if timezone.is_naive(expires_at):
        raise ValueError("expires_at must be timezone-aware.")
    return outbox_enqueue_address(
        key=f"invitation:{invitation_id}",
        to_email=to_email,
        language=language,
        time_zone=time_zone,
        template=Kind.INVITATION,
        context={
            "invitation_id": invitation_id,
            "account_name": account_name,
            "inviter_name": inviter_name,
            "expires_at": expires_at.isoformat(),
        },
        render_only={"accept_url": accept_url},
    )


def notify_invitation_existing_user(
    *, invitation_id: int, account_id: int, user: User, account_name: str, inviter_name: str
) -> OutboxMessage | None:
    """Tell someone who already has a user that an account tried to invite their address.

    The inviter is told what any invitation tells them; only the address's owner learns that it
    could not be used, so no account learns whether a user exists elsewhere. One note per
    account and day (UTC) at most: inviting the address again and again fills nobody's mailbox.
    """
    day = timezone.now().date().isoformat()
    return outbox_enqueue(
        key=f"invitation:account:{account_id}:existing:user:{user.pk}:{day}",
        recipient=user,
        template=Kind.INVITATION_EXISTING_USER,
        context={
            "invitation_id": invitation_id,
            "account_name": account_name,
            "inviter_name": inviter_name,
        },
    )
