"""Writes about people: invitations, accepting them, removing users, the support PIN, profiles."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tierdesk.notifications.services import notify_invitation, notify_invitation_existing_user

from ..models import Account, Invitation, User
from ..roles import Role
from ..selectors.people import (
    access_account_user,
    access_administered_account,
    invitation_hash,
    pending_invitations,
)
from ..time_zones import time_zone_allowed
from .accounts import account_support_pin_reset

INVITATION_LIFETIME = timedelta(days=7)
INVITABLE_ROLES = (Role.MEMBER, Role.ACCOUNT_ADMIN)
NAME_MAX_LENGTH = 150


def _require_account_admin(user: User) -> int:
    """The id of the account the user administers; Http404 for vendor staff, else 403."""
    return access_administered_account(user).pk


def _clean_name(field: str, value: str, *, required: bool) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > NAME_MAX_LENGTH:
        raise ValidationError({field: _("At most %(max)d characters.") % {"max": NAME_MAX_LENGTH}})
    return value


@transaction.atomic
def user_invite(*, inviter: User, email: str, role: str, base_url: str) -> Invitation:
    """Invite someone to the inviter's account; the e-mail goes through the outbox.

    Inviting an address again replaces its pending invitation (the old link stops working).
    `base_url` is the site's address (scheme and host) that the accept link starts with.

    An address that already has a user in another account (or on the vendor's side) is answered
    exactly as a fresh one, so no account learns who has a user elsewhere: the invitation is
    written and listed as pending, and the address's owner gets a note that an account tried to
    invite them instead of a link (one address is one user, so the link could never be used).
    Only a user of the inviter's own account is refused, by name: the inviter sees them anyway.
    """
    account_id = _require_account_admin(inviter)
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if role not in INVITABLE_ROLES:
        raise ValidationError({"role": _("Choose member or account admin.")})
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and existing.account_id == account_id:
        raise ValidationError(
            {"email": _("%(email)s is already a user of this account.") % {"email": email}}
        )
    now = timezone.now()
    Invitation.objects.filter(
        account_id=account_id, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        account_id=account_id,
        email=email,
        role=role,
        token_hash=invitation_hash(token),
        invited_by=inviter,
        expires_at=now + INVITATION_LIFETIME,
    )
    account_name = Account.objects.values_list("name", flat=True).get(pk=account_id)
    inviter_name = inviter.get_full_name() or inviter.email
    if existing is not None:
        notify_invitation_existing_user(
            invitation_id=invitation.pk,
            account_id=account_id,
            user=existing,
            account_name=account_name,
            inviter_name=inviter_name,
        )
        return invitation
    # The raw token is rendered into the outbox row's body (blanked once sent) and is passed to
    # no task: the worker gets the row's id. The invitation keeps only the token's hash.
    notify_invitation(
        invitation_id=invitation.pk,
        to_email=email,
        account_name=account_name,
        inviter_name=inviter_name,
        expires_at=invitation.expires_at,
        accept_url=base_url.rstrip("/") + reverse("invitation-accept", kwargs={"token": token}),
        language=inviter.language or settings.LANGUAGE_CODE,
        time_zone=inviter.time_zone,
    )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, first_name: str, last_name: str, password: str) -> User:
    """Create the invitee's user from a pending invitation; the invitation is then used up."""
    invitation = pending_invitations(token).select_for_update().first()
    if invitation is None:
        raise ValidationError({"token": _("This invitation is no longer valid.")})
    first_name = _clean_name("first_name", first_name, required=True)
    last_name = _clean_name("last_name", last_name, required=False)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError({"token": _("A user with this e-mail address already exists.")})
    candidate = User(
        email=invitation.email,
        first_name=first_name,
        last_name=last_name,
        account=invitation.account,
        role=invitation.role,
    )
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user = User.objects.create_user(
        invitation.email,
        password,
        first_name=first_name,
        last_name=last_name,
        account=invitation.account,
        role=invitation.role,
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


@transaction.atomic
def user_remove(*, actor: User, user_id: int) -> User:
    """Deactivate a user of the actor's account (never the actor, never the last active admin)."""
    account_id = _require_account_admin(actor)
    # Lock the account first: two admins removing each other at the same moment must not
    # both succeed and leave the account with no admin.
    Account.objects.select_for_update().filter(pk=account_id).first()
    if not User.objects.filter(pk=actor.pk, is_active=True, role=Role.ACCOUNT_ADMIN).exists():
        raise PermissionDenied(_("Only an account admin may do this."))
    target = access_account_user(actor, user_id)
    if target.pk == actor.pk:
        raise ValidationError({"user": _("You cannot remove yourself.")})
    if not target.is_active:
        return target
    if target.role == Role.ACCOUNT_ADMIN:
        other_admins = (
            User.objects.filter(account_id=account_id, role=Role.ACCOUNT_ADMIN, is_active=True)
            .exclude(pk=target.pk)
            .count()
        )
        if other_admins == 0:
            raise ValidationError({"user": _("An account needs at least one active admin.")})
    target.is_active = False
    target.save(update_fields=["is_active"])
    return target


@transaction.atomic
def account_pin_rotate(*, actor: User) -> Account:
    """Give the actor's account a new random support PIN; the old one stops working at once."""
    account_id = _require_account_admin(actor)
    account = Account.objects.select_for_update().get(pk=account_id)
    account_support_pin_reset(account=account)
    return account


@transaction.atomic
def profile_update(
    *, user: User, first_name: str, last_name: str, time_zone: str, language: str
) -> User:
    """Change the user's own name, time zone and language.

    The zone is a current IANA zone (accounts.time_zones), or the one the user already has.
    """
    first_name = _clean_name("first_name", first_name, required=False)
    last_name = _clean_name("last_name", last_name, required=False)
    errors: dict[str, str] = {}
    if not time_zone_allowed(time_zone, keeping=user.time_zone):
        errors["time_zone"] = _(
            "%(value)s is not a current time zone: choose one from the list."
        ) % {"value": time_zone}
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the available languages.")
    if errors:
        raise ValidationError(errors)
    user.first_name, user.last_name = first_name, last_name
    user.time_zone, user.language = time_zone, language
    user.save(update_fields=["first_name", "last_name", "time_zone", "language"])
    return user


@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """Remember the language the user picked in the switcher."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the available languages.")})
    user.language = language
    user.save(update_fields=["language"])
    return user
