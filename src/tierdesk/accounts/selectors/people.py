"""Reads about people: an account's users, invitations, the viewer's own API tokens.

Every function is scoped to what the viewer may see. A customer only ever sees their own
account; asking for another tenant's object raises Http404, never PermissionDenied, so that
ids of other accounts cannot be probed.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Account, ApiToken, Invitation, User
from ..roles import Role


def is_account_admin(user: User) -> bool:
    """Whether the user is an active admin of a customer account."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.ACCOUNT_ADMIN
        and user.account_id is not None
    )


def account_of(viewer: User) -> Account:
    """The viewer's own customer account with its plans and region; 404 for vendor staff."""
    if viewer.account_id is None:
        raise Http404("No customer account.")
    return Account.objects.select_related("license_plan", "support_plan", "region").get(
        pk=viewer.account_id
    )


def access_administered_account(viewer: User) -> Account:
    """The account the viewer administers: its users' addresses, invitations, PIN and removals.

    The one rule for the users page, the users API and the admin-only writes:
    - vendor staff have no customer account: Http404, as for the account page;
    - a member (or a deactivated admin) of the account: PermissionDenied (403): they know their
      account exists, so there is nothing to hide, but their colleagues' addresses are not theirs
      to list.
    """
    account = account_of(viewer)
    if not is_account_admin(viewer):
        raise PermissionDenied(_("Only an account admin may do this."))
    return account


def account_users_list(*, viewer: User, account: Account | None = None) -> QuerySet[User]:
    """The users of the viewer's account (vendor staff name the account), active ones first."""
    if viewer.account_id is not None:
        account_id = viewer.account_id
    elif account is not None:
        account_id = account.pk
    else:
        return User.objects.none()
    return User.objects.filter(account_id=account_id).order_by("-is_active", "email")


def access_account_user(viewer: User, user_id: int) -> User:
    """A user of the viewer's account, for vendor staff any customer user; Http404 otherwise."""
    users = User.objects.filter(account__isnull=False)
    if viewer.account_id is not None:
        users = users.filter(account_id=viewer.account_id)
    try:
        return users.select_related("account").get(pk=user_id)
    except User.DoesNotExist:
        raise Http404("No such user.") from None


def invitations_pending_list(*, viewer: User) -> QuerySet[Invitation]:
    """The viewer's account's invitations that can still be accepted, newest first."""
    if viewer.account_id is None:
        return Invitation.objects.none()
    return Invitation.objects.filter(
        account_id=viewer.account_id,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")


def invitation_hash(token: str) -> str:
    """The stored form of an invitation token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def pending_invitations(token: str) -> QuerySet[Invitation]:
    """The pending, unexpired invitation this token opens (at most one row), with its account."""
    return Invitation.objects.filter(
        token_hash=invitation_hash(token),
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("account")


def invitation_is_pending(invitation_id: int) -> bool:
    """Whether the invitation can still be accepted (not accepted, revoked or expired)."""
    return Invitation.objects.filter(
        pk=invitation_id,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists()


def invitation_for_token(token: str) -> Invitation | None:
    """The pending, unexpired invitation this token opens, or None."""
    return pending_invitations(token).first()


def api_tokens_list(*, viewer: User) -> QuerySet[ApiToken]:
    """The viewer's own API tokens that are not revoked, newest first."""
    return ApiToken.objects.filter(user_id=viewer.pk, revoked_at__isnull=True)


def access_api_token(viewer: User, token_id: int) -> ApiToken:
    """One of the viewer's own tokens; anyone else's (or a revoked one) is Http404."""
    try:
        return api_tokens_list(viewer=viewer).get(pk=token_id)
    except ApiToken.DoesNotExist:
        raise Http404("No such token.") from None
