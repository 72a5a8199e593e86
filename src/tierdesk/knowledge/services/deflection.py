"""Deflection: suggested articles shown on the case form, opened, and a case opened after.

Each write touches the customer's one open visit (selectors.deflection and
models.deflection explain the counting). The session key is never stored, only its hash.
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tierdesk.accounts.models import User

from ..models import ArticleTranslation, Deflection


def session_fingerprint(session_key: str) -> str:
    """What is stored for a session: the SHA-256 of its key."""
    return hashlib.sha256(f"deflection:{session_key}".encode()).hexdigest()


def _open_visits(user: User, session_key: str):  # type: ignore[no-untyped-def]
    return Deflection.objects.filter(
        user=user, session_hash=session_fingerprint(session_key), case_opened_at__isnull=True
    )


def deflection_suggestions_shown(*, user: User, session_key: str, count: int) -> None:
    """Count suggestions shown on the case form (the visit starts with the first ones)."""
    if count <= 0 or not session_key:
        return
    now = timezone.now()
    visits = _open_visits(user, session_key)
    with transaction.atomic():
        updated = visits.update(suggestions_shown=F("suggestions_shown") + count, last_seen_at=now)
        if updated:
            return
        try:
            with transaction.atomic():
                Deflection.objects.create(
                    user=user,
                    session_hash=session_fingerprint(session_key),
                    started_at=now,
                    last_seen_at=now,
                    suggestions_shown=count,
                )
        except IntegrityError:  # a concurrent request started the visit first
            visits.update(suggestions_shown=F("suggestions_shown") + count, last_seen_at=now)


def deflection_article_opened(
    *, user: User, session_key: str, translation: ArticleTranslation
) -> Deflection | None:
    """A suggested article was opened from the case form (None: no visit to count it in)."""
    if not session_key:
        return None
    now = timezone.now()
    with transaction.atomic():
        visit = _open_visits(user, session_key).select_for_update().first()
        if visit is None:
            return None
        visit.opened_count += 1
        visit.last_seen_at = now
        if visit.opened_at is None:
            visit.opened_at = now
            visit.opened = translation
        visit.save(update_fields=["opened_count", "last_seen_at", "opened_at", "opened"])
    return visit


def deflection_case_opened(*, user: User, session_key: str) -> None:
    """A case was opened in this session: its visit is not a deflection (and is closed)."""
    if not session_key:
        return
    now = timezone.now()
    _open_visits(user, session_key).update(case_opened_at=now, last_seen_at=now)
