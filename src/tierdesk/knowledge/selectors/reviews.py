"""Upkeep: the articles whose review is due (last review, or creation, plus the interval)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from tierdesk.accounts.models import Viewer

from ..models import Article
from ..models.articles import review_due_expression
from .access import access_author


def articles_due_for_review(user: Viewer, *, at: datetime | None = None) -> QuerySet[Article]:
    """The articles due for review at `at` (now), most overdue first; authors only (else 404)."""
    access_author(user)
    return (
        Article.objects.annotate(review_due=review_due_expression())
        .filter(review_due__lte=at or timezone.now())
        .select_related("category", "owner")
        .prefetch_related("translations")
        .order_by("review_due", "pk")
    )
