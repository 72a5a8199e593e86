"""Solved cases close by themselves after a quiet period; a customer reply before reopens them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..choices import Status
from ..models import Case
from .workflow import status_move


def cases_autoclose(*, now: datetime | None = None, batch: int = 500) -> int:
    """Close the cases solved more than CASE_AUTOCLOSE_DAYS ago; returns how many closed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CASE_AUTOCLOSE_DAYS)
    closed = 0
    ids = list(
        Case.objects.filter(status=Status.SOLVED, solved_at__lte=cutoff).values_list(
            "pk", flat=True
        )[:batch]
    )
    for case_id in ids:
        with transaction.atomic():
            case = Case.objects.select_for_update().filter(pk=case_id).first()
            # Re-check under the lock: a reply may have reopened it since the query.
            if case is None or case.status != Status.SOLVED or case.solved_at is None:
                continue
            if case.solved_at > cutoff:
                continue
            status_move(case, Status.CLOSED, actor=None, at=now, note="closed automatically")
            case.save()
            closed += 1
    return closed
