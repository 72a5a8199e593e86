"""Personal API tokens: created with a secret shown once, stored as a SHA-256 hash, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ApiToken, User
from ..selectors.people import access_api_token

TOKEN_SCHEME = "td_"  # noqa: S105 (a visible marker, not a secret)
PREFIX_LENGTH = 10  # "td_" and 7 characters of the secret: enough to tell tokens apart
MAX_ACTIVE_TOKENS = 20
NAME_MAX_LENGTH = 100
# last_used_at is refreshed at most this often, so a busy client does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(secret: str) -> str:
    """The stored form of a token secret: its SHA-256 in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for the user; returns it with its secret, which is never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": _("At most %(max)d characters.") % {"max": NAME_MAX_LENGTH}})
    # Lock the user's row so two concurrent creations cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            {
                "name": _("You already have %(max)d tokens: revoke one first.")
                % {"max": MAX_ACTIVE_TOKENS}
            }
        )
    secret = TOKEN_SCHEME + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:PREFIX_LENGTH], token_hash=token_hash(secret)
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; another user's token is Http404."""
    token = access_api_token(user, token_id)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, secret: str) -> User | None:
    """The active user a valid, unrevoked token secret belongs to, or None."""
    if not secret.startswith(TOKEN_SCHEME) or len(secret) > 200:
        return None
    token = (
        # The account and its plans come along: most API calls ask what the plan allows.
        ApiToken.objects.select_related(
            "user__account__license_plan", "user__account__support_plan", "user__account__region"
        )
        .filter(token_hash=token_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # Conditional update: of concurrent requests, at most one writes per minute.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return token.user
