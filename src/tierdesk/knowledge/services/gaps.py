"""Content gaps: searches that found nothing, counted per normalised query and language."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..models import SearchMiss
from .authoring import language_check

MAX_QUERY = 200


def search_query_normalise(query: str) -> str:
    """The form a miss is counted under: case-folded, single spaces, at most 200 characters."""
    return " ".join((query or "").casefold().split())[:MAX_QUERY].strip()


def search_miss_record(*, query: str, language: str) -> SearchMiss | None:
    """Count a search without results (None for an empty query, which is no search)."""
    language_check(language)
    normalised = search_query_normalise(query)
    if not normalised:
        return None
    now = timezone.now()
    rows = SearchMiss.objects.filter(query=normalised, language=language)
    with transaction.atomic():
        if not rows.update(count=F("count") + 1, last_seen_at=now):
            try:
                with transaction.atomic():
                    return SearchMiss.objects.create(
                        query=normalised, language=language, first_seen_at=now, last_seen_at=now
                    )
            except IntegrityError:  # a concurrent miss created the row first
                rows.update(count=F("count") + 1, last_seen_at=now)
    return rows.first()
