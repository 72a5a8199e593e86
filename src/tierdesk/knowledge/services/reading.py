"""Guides: a signed-in reader's chapters read."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tierdesk.accounts.models import User

from ..models import ChapterRead, GuideChapter
from ..selectors.access import visible_chapters, visible_guides


def chapter_mark_read(*, user: User, chapter: GuideChapter) -> ChapterRead:
    """Mark a chapter read for the user (idempotent: the first time is kept)."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Sign in to keep track of the chapters you read."))
    guide = visible_guides(user).filter(pk=chapter.guide_id).first()
    if guide is None or not visible_chapters(user, guide).filter(pk=chapter.pk).exists():
        raise PermissionDenied(_("You may not read this chapter."))
    try:
        with transaction.atomic():
            row, _created = ChapterRead.objects.get_or_create(
                user=user, chapter=chapter, defaults={"read_at": timezone.now()}
            )
    except IntegrityError:  # a concurrent request created it first
        row = ChapterRead.objects.get(user=user, chapter=chapter)
    return row
