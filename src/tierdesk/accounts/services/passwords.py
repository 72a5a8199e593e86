"""Password-reset e-mails, throttled per address and per client IP address.

Django's reset view answers every request alike ("if a user with that address exists…"); this
module only decides whether the request may also send an e-mail. A throttled request gets the
same page and sends nothing, so the answer never tells whether the address has a user, and
nobody can fill someone's mailbox with reset e-mails.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import PasswordResetRequest


def password_reset_address_hash(email: str) -> str:
    """How an address is kept in the throttle's rows: the SHA-256 of its lower-case form."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


@transaction.atomic
def password_reset_allow(*, email: str, ip_address: str | None) -> bool:
    """Whether this request may send a reset e-mail; an allowed request is counted.

    At most PASSWORD_RESET_MAX_PER_ADDRESS per address and PASSWORD_RESET_MAX_PER_IP per client
    IP within PASSWORD_RESET_WINDOW_SECONDS. Refused requests are not counted, so the limit is
    on e-mails sent: a flood of requests cannot keep the owner of an address locked out for
    longer than one window after the last e-mail they could have received.
    """
    now = timezone.now()
    since = now - timedelta(seconds=settings.PASSWORD_RESET_WINDOW_SECONDS)
    # Rows older than the window count for nothing: forget them as we go.
    PasswordResetRequest.objects.filter(created_at__lt=since).delete()
    address_hash = password_reset_address_hash(email)
    recent = PasswordResetRequest.objects.filter(created_at__gte=since)
    if recent.filter(address_hash=address_hash).count() >= settings.PASSWORD_RESET_MAX_PER_ADDRESS:
        return False
    if (
        ip_address
        and recent.filter(ip_address=ip_address).count() >= settings.PASSWORD_RESET_MAX_PER_IP
    ):
        return False
    PasswordResetRequest.objects.create(
        address_hash=address_hash, ip_address=ip_address or None, created_at=now
    )
    return True
