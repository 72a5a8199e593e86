"""The assistant's index: built at start and on change, never per question.

The sources are the published FAQ entries and the published article translations (title and
summary). A process keeps one built index per set of article visibilities (a visitor's, a free
member's, a paid member's, the staff's), keyed by the content's version: one aggregate query per
source, read once per question. A write of an FAQ entry or an article changes the version (its
`updated_at` or the count moves), and the next question rebuilds; nothing else does.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Max, Q

from tierdesk.accounts.models import Viewer
from tierdesk.assistant.retrieval import Entry, Index, RetrievalSettings
from tierdesk.knowledge.choices import TranslationStatus
from tierdesk.knowledge.models import ArticleTranslation
from tierdesk.knowledge.selectors.access import (
    EVERYTHING,
    MEMBER,
    PAID_MEMBER,
    VISITOR,
    visibilities_for,
)

from ..models import FaqEntry

logger = logging.getLogger(__name__)

FAQ_PREFIX = "faq:"
ARTICLE_PREFIX = "article:"

# The engine's settings for the live assistant (the documented defaults; tests may replace it).
RETRIEVAL = RetrievalSettings()

_lock = threading.Lock()
_built: dict[frozenset[str], tuple[object, Index]] = {}
_by_entries: dict[tuple[object, tuple[str, ...]], Index] = {}


@dataclass(frozen=True)
class IndexKey:
    """What an index key ("faq:12", "article:7") names."""

    kind: str  # "faq" | "article"
    pk: int


def parse_key(key: str) -> IndexKey | None:
    """The kind and id an index key names; None for anything else."""
    kind, _sep, number = key.partition(":")
    if kind not in {"faq", "article"} or not number.isdigit():
        return None
    return IndexKey(kind, int(number))


def content_version() -> tuple[object, ...]:
    """What the index depends on, in two aggregate queries: counts and the latest changes.

    Every change of an entry (publishing and unpublishing included) moves its `updated_at`, a
    deletion the count; an article's translation moves its `updated_at` when its text changes
    and `published_at` when it is published, the count when it is unpublished or deleted.
    """
    faq = FaqEntry.objects.aggregate(
        n=Count("pk", filter=Q(published=True)), every=Count("pk"), last=Max("updated_at")
    )
    articles = ArticleTranslation.objects.filter(status=TranslationStatus.PUBLISHED).aggregate(
        n=Count("pk"), last=Max("updated_at"), published=Max("published_at")
    )
    return (
        faq["n"],
        faq["every"],
        faq["last"],
        articles["n"],
        articles["last"],
        articles["published"],
    )


def index_entries(visibilities: frozenset[str]) -> list[Entry]:
    """The entries of an index for readers of these visibilities: FAQ entries, then articles."""
    entries = [
        Entry(
            key=f"{FAQ_PREFIX}{faq.pk}",
            phrasings=(faq.question, *faq.phrasing_list),
            language=faq.language,
        )
        for faq in FaqEntry.objects.filter(published=True).order_by("pk")
    ]
    translations = ArticleTranslation.objects.filter(
        status=TranslationStatus.PUBLISHED, article__visibility__in=visibilities
    ).order_by("pk")
    entries += [
        Entry(
            key=f"{ARTICLE_PREFIX}{t.pk}",
            phrasings=tuple(p for p in (t.title, t.summary) if p.strip()),
            language=t.language,
        )
        for t in translations.only("pk", "title", "summary", "language")
    ]
    return entries


def assistant_index(user: Viewer | None, *, version: tuple[object, ...] | None = None) -> Index:
    """The built index for this reader's article visibility (rebuilt only when content moved)."""
    key = (content_version() if version is None else version, RETRIEVAL)
    return _index_for(visibilities_for(user), key)


def _index_for(visibilities: frozenset[str], key: tuple[object, ...]) -> Index:
    with _lock:
        found = _built.get(visibilities)
        if found is not None and found[0] == key:
            return found[1]
        entries = index_entries(visibilities)
        # Readers of different visibilities often see the same entries (no paid-only article,
        # say): they share one built index instead of paying for the same build twice.
        same = tuple(entry.key for entry in entries)
        shared = _by_entries.get((key, same))
        index = shared or Index.build(entries, settings=RETRIEVAL)
        for stale in [k for k in _by_entries if k[0] != key]:
            del _by_entries[stale]
        _by_entries[(key, same)] = index
        _built[visibilities] = (key, index)
        return index


def assistant_index_forget() -> None:
    """Drop the built indexes (tests; a process that wants to free their memory)."""
    with _lock:
        _built.clear()
        _by_entries.clear()


def assistant_index_warm() -> None:
    """Build the indexes of every kind of reader now (a web process's start), not on the first
    question. Errors are logged, never raised: a process without its tables still serves."""
    try:
        key = (content_version(), RETRIEVAL)
        for visibilities in (VISITOR, MEMBER, PAID_MEMBER, EVERYTHING):
            _index_for(visibilities, key)
    except Exception:  # a warm-up must never take the web process down
        logger.exception("assistant: the index could not be built at start")
    finally:
        connection.close()  # this thread's own connection


def assistant_index_warm_in_background() -> threading.Thread:
    """Start `assistant_index_warm` in a daemon thread (config/wsgi.py calls it)."""
    thread = threading.Thread(target=assistant_index_warm, name="assistant-index", daemon=True)
    thread.start()
    return thread
