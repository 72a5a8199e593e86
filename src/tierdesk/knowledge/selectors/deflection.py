"""Deflection's reads: the articles suggested for a case's subject (and for an agent's reply),
and the staff's figure: how often a suggested article ended a case form without a case.

A visit (models.Deflection) counts once it has been quiet for SETTLE: a customer still
reading the article may yet come back and open the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.urls import Resolver404, resolve
from django.utils import timezone

from tierdesk.accounts.models import Viewer

from ..models import ArticleTranslation, Deflection
from .access import visible_translations
from .search import search

SUGGESTION_LIMIT = 5
SETTLE = timedelta(minutes=30)
MIN_QUERY = 3


def suggested_translations(
    user: Viewer | None, query: str, *, language: str | None = None, limit: int = SUGGESTION_LIMIT
) -> list[ArticleTranslation]:
    """The readable article translations the help center's search finds for `query`, best first."""
    query = " ".join((query or "").split())[:200]
    if len(query) < MIN_QUERY:
        return []
    hits = search(user, query, kinds={"article"}, language=language, limit=limit).hits
    keys: list[tuple[str, str]] = []
    for hit in hits:
        try:
            match = resolve(hit.url.split("?", 1)[0].split("#", 1)[0])
        except Resolver404:
            continue
        if match.view_name == "knowledge:article":
            keys.append((match.kwargs["language"], match.kwargs["slug"]))
    if not keys:
        return []
    lookup = Q()
    for language_code, slug in keys:
        lookup |= Q(language=language_code, slug=slug)
    found = {(t.language, t.slug): t for t in visible_translations(user).filter(lookup)}
    return [found[key] for key in keys if key in found]


@dataclass(frozen=True)
class ArticleDeflections:
    translation: ArticleTranslation | None
    opened: int
    deflected: int


@dataclass(frozen=True)
class DeflectionFigures:
    """Case-form visits with suggestions in a period, and what came of them."""

    since: datetime
    visits: int  # visits shown suggestions
    opened: int  # of those, a suggested article was opened
    deflected: int  # opened, and no case followed
    cases: int  # a case was opened
    articles: list[ArticleDeflections]

    @property
    def rate(self) -> float | None:
        """Deflected visits per visit shown suggestions (None without visits)."""
        return self.deflected / self.visits if self.visits else None


def deflection_figures(
    *, days: int = 30, now: datetime | None = None, top: int = 10
) -> DeflectionFigures:
    """The figure for the last `days` days, over settled visits (two queries)."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    settled = Deflection.objects.filter(started_at__gte=since).filter(
        Q(case_opened_at__isnull=False) | Q(last_seen_at__lte=now - SETTLE)
    )
    deflected = Q(opened_at__isnull=False, case_opened_at__isnull=True)
    totals = settled.aggregate(
        visits=Count("pk"),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        deflected=Count("pk", filter=deflected),
        cases=Count("pk", filter=Q(case_opened_at__isnull=False)),
    )
    grouped = (
        settled.filter(opened__isnull=False)
        .values("opened")
        .annotate(n=Count("pk"), d=Count("pk", filter=deflected))
        .order_by("-d", "-n", "opened")[:top]
    )
    rows = list(grouped)
    translations = ArticleTranslation.objects.in_bulk([row["opened"] for row in rows])
    return DeflectionFigures(
        since=since,
        visits=totals["visits"],
        opened=totals["opened"],
        deflected=totals["deflected"],
        cases=totals["cases"],
        articles=[
            ArticleDeflections(translations.get(row["opened"]), row["n"], row["d"]) for row in rows
        ],
    )
