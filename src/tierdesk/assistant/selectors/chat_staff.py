"""The staff's reads: the conversation log, the deflection rate, the unanswered questions.

Every function starts with the one access rule (support staff only; Http404 for others).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tierdesk.accounts.models import Viewer
from tierdesk.assistant.retrieval import embeddings

from ..choices import DecisionKind, HandoffReason
from ..models import Conversation, FaqEntry, Turn
from .chat_access import access_assistant_staff

DEFLECTION_DAYS = 30
UNANSWERED_LIMIT = 500
# A question joins a group when its cosine to the group's centroid is at least this. Measured on
# the multilingual encoder: paraphrases (also across English and Italian) score 0.45-0.8,
# unrelated support questions 0.0-0.32.
GROUP_COSINE = 0.5


def conversation_log(user: Viewer | None) -> QuerySet[Conversation]:
    """Every conversation with at least one question, newest first, with its counts."""
    access_assistant_staff(user)
    return (
        Conversation.objects.filter(Exists(Turn.objects.filter(conversation=OuterRef("pk"))))
        .select_related("account", "user")
        .annotate(
            turn_count=Count("turns", distinct=True),
            answered=Count("turns", filter=Q(turns__decision=DecisionKind.ANSWER), distinct=True),
            helpful_count=Count("turns", filter=Q(turns__helpful=True), distinct=True),
            unhelpful_count=Count("turns", filter=Q(turns__helpful=False), distinct=True),
            handoff_count=Count("handoffs", distinct=True),
            case_count=Count("handoffs", filter=Q(handoffs__case__isnull=False), distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def conversation_detail(user: Viewer | None, pk: int) -> tuple[Conversation, list[Turn]]:
    """A conversation and its turns (staff only; Http404 for others and for missing ones)."""
    access_assistant_staff(user)
    conversation = Conversation.objects.select_related("account", "user").filter(pk=pk).first()
    if conversation is None:
        raise Http404("No such conversation.")
    turns = list(conversation.turns.select_related("entry", "article", "handoff", "handoff__case"))
    return conversation, turns


@dataclass(frozen=True)
class ChatDeflection:
    """Conversations of a period, and how many ended without a person."""

    since: datetime
    conversations: int
    handed_off: int
    cases: int

    @property
    def deflected(self) -> int:
        return self.conversations - self.handed_off

    @property
    def rate(self) -> float | None:
        """The share of conversations that ended without a hand-off (None: none yet)."""
        return self.deflected / self.conversations if self.conversations else None


def deflection_rate(user: Viewer | None, *, days: int = DEFLECTION_DAYS) -> ChatDeflection:
    """The deflection of the last `days` days: one query."""
    access_assistant_staff(user)
    since = timezone.now() - timedelta(days=days)
    asked = Conversation.objects.filter(
        created_at__gte=since, pk__in=Turn.objects.values("conversation_id")
    )
    figures = asked.aggregate(
        n=Count("pk", distinct=True),
        handed_off=Count("pk", filter=Q(handoffs__isnull=False), distinct=True),
        cases=Count("pk", filter=Q(handoffs__case__isnull=False), distinct=True),
    )
    return ChatDeflection(since, figures["n"], figures["handed_off"], figures["cases"])


@dataclass(frozen=True)
class QuestionGroup:
    """Unanswered questions that mean the same, the most frequent wording first."""

    questions: tuple[str, ...]
    language: str
    count: int

    @property
    def title(self) -> str:
        return self.questions[0]


def group_by_similarity(vectors: np.ndarray, threshold: float = GROUP_COSINE) -> list[list[int]]:
    """Greedy agglomerative grouping of unit vectors: each joins the group whose centroid is
    closest if the cosine reaches `threshold`, else starts a group. Deterministic (input order)."""
    groups: list[list[int]] = []
    centroids: list[np.ndarray] = []
    for i, vector in enumerate(vectors):
        if centroids:
            sims = np.stack(centroids) @ vector
            best = int(np.argmax(sims))
            if sims[best] >= threshold:
                groups[best].append(i)
                total = vectors[groups[best]].sum(axis=0)
                centroids[best] = total / (np.linalg.norm(total) or 1.0)
                continue
        groups.append([i])
        centroids.append(vector)
    return groups


def unanswered_questions(user: Viewer | None, *, limit: int = UNANSWERED_LIMIT) -> QuerySet[Turn]:
    """The latest questions it handed off for want of an answer (not the asks for a person)."""
    access_assistant_staff(user)
    return Turn.objects.filter(
        decision=DecisionKind.HANDOFF, handoff_reason=HandoffReason.UNSURE
    ).order_by("-pk")[:limit]


def unanswered_groups(user: Viewer | None, *, limit: int = UNANSWERED_LIMIT) -> list[QuestionGroup]:
    """The unanswered questions grouped by meaning, largest group first (two queries)."""
    rows = list(
        unanswered_questions(user, limit=limit).values_list("question", "conversation__language")
    )
    if not rows:
        return []
    counts: dict[str, int] = {}
    language_of: dict[str, str] = {}
    for question, language in rows:
        key = question.strip()
        counts[key] = counts.get(key, 0) + 1
        language_of.setdefault(key, language)
    distinct = sorted(counts, key=lambda q: (-counts[q], q))
    vectors = embeddings.encode(distinct)
    groups = []
    for members in group_by_similarity(vectors):
        questions = tuple(distinct[i] for i in members)
        groups.append(
            QuestionGroup(
                questions=questions,
                language=language_of[questions[0]],
                count=sum(counts[q] for q in questions),
            )
        )
    groups.sort(key=lambda g: (-g.count, g.title))
    return groups


def faq_entries_for_staff(user: Viewer | None) -> QuerySet[FaqEntry]:
    """Every FAQ entry, in both languages, newest change first (the staff's editor)."""
    access_assistant_staff(user)
    return FaqEntry.objects.order_by("-updated_at", "pk")
