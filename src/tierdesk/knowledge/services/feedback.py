"""Readers' "was this helpful?": one answer per signed-in user or visitor's session, changeable."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tierdesk.accounts.models import Viewer

from ..models import ArticleFeedback, ArticleTranslation
from ..models.articles import MAX_COMMENT
from ..selectors.access import visible_translations


def session_hash(translation_id: int, session_key: str) -> str:
    """What is stored for a visitor: never the session key, only a hash of it per translation."""
    return hashlib.sha256(f"{translation_id}:{session_key}".encode()).hexdigest()


def feedback_record(
    *,
    translation: ArticleTranslation,
    helpful: bool,
    comment: str = "",
    user: Viewer | None = None,
    session_key: str | None = None,
) -> ArticleFeedback:
    """Record (or change) the reader's answer and recount the translation's counters."""
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": _("At most %(n)d characters.") % {"n": MAX_COMMENT}})
    if not visible_translations(user).filter(pk=translation.pk).exists():
        raise PermissionDenied(_("You may not read this article."))
    signed_in = user is not None and user.is_authenticated and user.is_active
    if not signed_in and not session_key:
        raise ValidationError(_("Feedback needs a session; allow cookies and try again."))
    now = timezone.now()
    with transaction.atomic():
        # The translation's row lock orders concurrent answers, so the recount below sees them.
        ArticleTranslation.objects.select_for_update().filter(pk=translation.pk).first()
        if signed_in:
            key = {"user": user, "session_hash": ""}
        else:
            key = {"user": None, "session_hash": session_hash(translation.pk, session_key or "")}
        row, _created = ArticleFeedback.objects.update_or_create(
            translation=translation,
            **key,
            defaults={"helpful": helpful, "comment": comment, "updated_at": now},
            create_defaults={
                "helpful": helpful,
                "comment": comment,
                "created_at": now,
                "updated_at": now,
            },
        )
        counts = ArticleFeedback.objects.filter(translation=translation).aggregate(
            yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
        )
        ArticleTranslation.objects.filter(pk=translation.pk).update(
            helpful_count=counts["yes"], unhelpful_count=counts["no"]
        )
    translation.helpful_count, translation.unhelpful_count = counts["yes"], counts["no"]
    return row
