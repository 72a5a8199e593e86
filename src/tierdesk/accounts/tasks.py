"""Background work of accounts: sending invitation e-mails."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from .models import Invitation
from .selectors.people import invitation_hash


@task()
def send_invitation_email(*, invitation_id: int, token: str, base_url: str, language: str) -> bool:
    """E-mail the accept link of a still-pending invitation; False when there is nothing to send.

    Re-checks the invitation when it runs: a revoked, accepted or replaced invitation, or a token
    that does not match, sends nothing.
    """
    invitation = (
        Invitation.objects.select_related("account", "invited_by")
        .filter(
            pk=invitation_id,
            token_hash=invitation_hash(token),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    if invitation is None:
        return False
    url = base_url.rstrip("/") + reverse("invitation-accept", kwargs={"token": token})
    with translation.override(language):
        context = {"invitation": invitation, "accept_url": url}
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    return True
