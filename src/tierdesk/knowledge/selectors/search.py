"""The help center's one search: articles, guides and video transcripts, for one reader.

`search(user, query, ...)` is the interface every caller uses (the search page, the home page,
the API, deflection); behind it, the database's own full text: SQLite's FTS5 table with BM25
ranking, or PostgreSQL's text search with the `english` and `italian` configurations
(migration 0003). Both search the stems of search_text (accents and plural/singular folded the
same way on both), and the snippets are cut by search_text.highlight from the entries' text, so
the two databases give the same hits.

Visibility: the entries carry their source's visibility and are filtered with
access.visibilities_for (THE rule); the page of hits is then checked against the access
querysets (visible_translations, visible_guides, visible_videos), so an index left behind by a
change made outside the services still shows nobody more than they may read.

Language: a query is stemmed in each language and each branch matches only the entries of that
language; `language` keeps one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString

from tierdesk.accounts.models import Viewer

from ..models import SearchEntry, SearchKind, SearchMiss
from ..search_text import Query, highlight, parse_query
from .access import (
    access_author,
    visibilities_for,
    visible_categories,
    visible_guides,
    visible_translations,
    visible_videos,
)
from .semantic import Neighbour, neighbours, semantic_enabled
from .tsvector import pg_search

KINDS = frozenset(SearchKind.values)
MAX_LIMIT = 100
# Counting stops here: "1,000+ results" (a reader never pages that far, and counting every
# match of a common word in 100,000 articles is most of a search's time).
COUNT_CAP = 1000
# SQLite: a query matching more than FEW ranks no BM25 (see _sqlite_page_many); PostgreSQL ranks
# the first COUNT_CAP + 1 matches (see _pg_matches).
FEW = 500
# What of a query the encoder reads (a pasted page is not a question).
MAX_QUERY_CHARS = 300
# Where a guide or a video opens (built by the guides and videos part): args [slug].
ROUTES: dict[str, str] = {
    SearchKind.GUIDE: "knowledge:guide",
    SearchKind.VIDEO: "knowledge:video",
    SearchKind.TRANSCRIPT: "knowledge:video",
    SearchKind.THREAD: "community:thread",
}


@dataclass(frozen=True)
class SearchHit:
    """One thing found: what it is, where it opens, and the words that matched in context."""

    kind: str  # "article" | "guide" | "video" | "transcript"
    title: str
    url: str
    snippet_html: SafeString  # highlighted with <mark>, everything else escaped
    language: str
    category: str | None
    score: float
    seek_seconds: int | None = None


@dataclass
class SearchResults:
    """A page of hits, how many there are in all, and how many of each kind."""

    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    query: str = ""
    # True when the total (or a count) stopped at COUNT_CAP: "1,000+".
    more: bool = False


def _languages(language: str | None) -> list[str]:
    codes = [code for code, _name in settings.LANGUAGES]
    if language is None:
        return codes
    return [language] if language in codes else []


# --- SQLite: FTS5 matches the words; the entries' columns filter the matches ------------------
#
# The filters are not words of the FTS5 expression: "vispublic" or "langen" would be in most
# entries, and every search would read and rank those long lists too (at 100,000 articles that
# was most of a search's time). FTS5 yields the matches (newest first when there are many), and
# each is joined to its entry by id and filtered there.

ENTRY_JOIN = "FROM knowledge_search s JOIN knowledge_searchentry e ON e.id = s.rowid"
BM25 = "bm25(knowledge_search, 10.0, 1.0, 0.0)"


def _fts_terms(stems: Sequence[str], prefix: bool, columns: str = "title_terms body_terms") -> str:
    quoted = [f'"{s}"' for s in stems]
    if prefix:
        quoted[-1] += "*"
    return "{" + columns + "} : (" + " AND ".join(quoted) + ")"


def _title_first(stems: Sequence[str], prefix: bool) -> tuple[str, str]:
    """The matches in the title, and the other matches (in the text only)."""
    title = _fts_terms(stems, prefix, "title_terms")
    return title, f"{_fts_terms(stems, prefix)} NOT {title}"


def _in(column: str, values: Sequence[Any]) -> str:
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


@dataclass(frozen=True)
class _Fts:
    """The query's FTS5 branches (one per distinct set of stems, with its languages) and the
    entries' filters, as SQL pieces with their parameters."""

    branches: list[tuple[tuple[str, ...], bool, list[str]]]
    where: str
    params: list[Any]
    # Selective filters (a category, kinds other than articles) are also FTS5 words: their
    # lists are short, and they cut the matches before any is joined or ranked.
    narrow: str = ""

    def arms(
        self,
        columns: str,
        tail: str = "",
        tail_params: Sequence[Any] = (),
        which: int | None = None,
    ) -> tuple[str, list[Any]]:
        """One SELECT per branch, joined by UNION ALL (each wrapped, so each may have a tail).

        `which`: 0 for the title matches only, 1 for the others only, None for all matches.
        """
        sql, params = [], []
        for stems, prefix, languages in self.branches:
            if which is None:
                match = _fts_terms(stems, prefix)
            else:
                match = _title_first(stems, prefix)[which]
            if self.narrow:
                match = f"({match}) AND {self.narrow}"
            sql.append(
                f"SELECT * FROM (SELECT {columns} {ENTRY_JOIN} WHERE knowledge_search MATCH %s "  # noqa: S608
                f"AND {_in('e.language', languages)} AND {self.where} {tail})"
            )
            params += [match, *languages, *self.params, *tail_params]
        return " UNION ALL ".join(sql), params


def _fts(
    query: Query,
    languages: list[str],
    *,
    visibilities: Sequence[str],
    kinds: Sequence[str] | None,
    category_id: int | None,
) -> _Fts:
    groups: dict[tuple[tuple[str, ...], bool], list[str]] = {}
    for lang in languages:
        if query.stems.get(lang):
            groups.setdefault((query.stems[lang], query.prefixes[lang]), []).append(lang)
    where = [_in("e.visibility", visibilities)]
    params: list[Any] = list(visibilities)
    if kinds is not None:
        where.append(_in("e.kind", kinds))
        params += list(kinds)
    if category_id is not None:
        where.append("e.category_id = %s")
        params.append(category_id)
    narrow = []
    if category_id is not None:
        narrow.append(f"filters : cat{int(category_id)}")
    if kinds is not None and SearchKind.ARTICLE not in kinds:
        narrow.append("filters : (" + " OR ".join(f"kind{k}" for k in sorted(kinds)) + ")")
    branches = [(stems, prefix, langs) for (stems, prefix), langs in groups.items()]
    return _Fts(
        branches=branches, where=" AND ".join(where), params=params, narrow=" AND ".join(narrow)
    )


def _sqlite_page(fts: _Fts, limit: int, offset: int, *, many: bool) -> list[tuple[int, float]]:
    if many:
        return _sqlite_page_many(fts, limit, offset)
    arms, params = fts.arms(f"s.rowid AS pk, {BM25} AS score")
    sql = f"SELECT pk, score FROM ({arms}) ORDER BY score, pk DESC LIMIT %s OFFSET %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [(int(pk), -float(score)) for pk, score in cursor.fetchall()]


def _sqlite_page_many(fts: _Fts, limit: int, offset: int) -> list[tuple[int, float]]:
    """Many matches: the title matches, newest first, then the others, newest first.

    No BM25 here: FTS5's bm25() first reads the whole list of each word to weigh it (its IDF),
    which for a word in half of 100,000 articles is most of a search's time. A title match is
    what BM25 puts first anyway (the title weighs ten times the text).
    """
    need = offset + limit
    found: list[tuple[int, float]] = []
    for which, score in ((0, 2.0), (1, 1.0)):
        arms, params = fts.arms("s.rowid AS pk", "ORDER BY s.rowid DESC LIMIT %s", [need], which)
        sql = f"SELECT pk FROM ({arms}) ORDER BY pk DESC LIMIT %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, need - len(found)])
            found += [(int(pk), score) for (pk,) in cursor.fetchall()]
        if len(found) >= need:
            break
    return found[offset:need]


def _whole_words(query: Query) -> Query:
    """The query without its prefix where the last word, as typed, is a word of the index.

    FTS5 answers a prefix ("account"*) by merging the lists of every word it starts, up front:
    for a common word, most of a search's time. A word the index has is matched whole (its
    longer forms share its stem anyway); "passw" stays a prefix. SQLite only: on PostgreSQL the
    same check, for a word that is nowhere, was read by a sequential scan (150 ms at 100,000
    entries), and a GIN index answers `account:*` well enough.
    """
    prefixes = dict(query.prefixes)
    known: dict[str, bool] = {}
    with connection.cursor() as cursor:
        for language, prefix in query.prefixes.items():
            if not (prefix and query.stems.get(language)):
                continue
            last = query.stems[language][-1]
            if last not in known:
                cursor.execute(
                    "SELECT 1 FROM knowledge_search WHERE knowledge_search MATCH %s LIMIT 1",
                    ['{title_terms body_terms} : "' + last + '"'],
                )
                known[last] = cursor.fetchone() is not None
            prefixes[language] = not known[last]
    return replace(query, prefixes=prefixes)


def _sqlite_counts(fts: _Fts) -> dict[str, int]:
    """Matches by kind, the first COUNT_CAP + 1 of them at most."""
    arms, params = fts.arms("e.kind AS kind")
    sql = f"SELECT kind, COUNT(*) FROM ({arms} LIMIT %s) GROUP BY kind"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, COUNT_CAP + 1])
        return {kind: int(n) for kind, n in cursor.fetchall()}


# --- fusion with the semantic neighbours ----------------------------------------------------
#
# Reciprocal-rank fusion: an entry's score is the sum over the two lists it is in of
# 1 / (RRF_K + its rank there), rank 1 the best. Ranks, not scores, are fused: BM25, ts_rank
# and cosine are on scales that do not compare. An entry both lists agree on rises; one only
# the meaning finds (an English article for an Italian question) comes in among the lexical
# hits by its rank. The lexical list is its first FUSION_WINDOW hits (or the page asked for).

RRF_K = 60
FUSION_WINDOW = 50


def fuse(
    lexical: Sequence[tuple[int, float]], semantic: Sequence[Neighbour]
) -> list[tuple[int, float]]:
    """The entries of both lists by their fused score, best first (ties: the lexical order)."""
    fused: dict[int, float] = {}
    for rank, (pk, _score) in enumerate(lexical, start=1):
        fused[pk] = fused.get(pk, 0.0) + 1.0 / (RRF_K + rank)
    for rank, neighbour in enumerate(semantic, start=1):
        fused[neighbour.entry_id] = fused.get(neighbour.entry_id, 0.0) + 1.0 / (RRF_K + rank)
    order = {pk: n for n, pk in enumerate(fused)}
    return sorted(fused.items(), key=lambda item: (-item[1], order[item[0]]))


def _semantic(
    query: str, languages: list[str], visibilities: Sequence[str], category_id: int | None
) -> list[Neighbour]:
    if not semantic_enabled():
        return []
    return neighbours(
        " ".join(query.split())[:MAX_QUERY_CHARS],
        languages=languages,
        visibilities=visibilities,
        category_id=category_id,
        limit=FUSION_WINDOW,
    )


def _sqlite_among(fts: _Fts, ids: Sequence[int]) -> set[int]:
    """Which of these entries the words match (so a neighbour is not counted twice)."""
    arms, params = fts.arms("s.rowid AS pk", f"AND {_in('s.rowid', ids)}", ids)
    with connection.cursor() as cursor:
        cursor.execute(arms, params)
        return {int(pk) for (pk,) in cursor.fetchall()}


# --- the interface --------------------------------------------------------------------------


def _url(entry: SearchEntry) -> str:
    if entry.kind == SearchKind.ARTICLE:
        return reverse("knowledge:article", args=[entry.language, entry.slug])
    try:
        url = reverse(ROUTES[entry.kind], args=[entry.slug])
    except (NoReverseMatch, KeyError):
        return ""
    if entry.kind == SearchKind.TRANSCRIPT and entry.seek_seconds is not None:
        url += f"?t={entry.seek_seconds}"
    return url


def _still_visible(user: Viewer | None, entries: list[SearchEntry]) -> set[int]:
    """The entries whose source the reader may read now (one query per kind on the page)."""
    by_kind: dict[str, set[int]] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, set()).add(entry.object_id)
    allowed: dict[str, set[int]] = {}
    if SearchKind.ARTICLE in by_kind:
        ids = by_kind[SearchKind.ARTICLE]
        allowed[SearchKind.ARTICLE] = set(
            visible_translations(user).filter(pk__in=ids).values_list("pk", flat=True)
        )
    if SearchKind.GUIDE in by_kind:
        ids = by_kind[SearchKind.GUIDE]
        allowed[SearchKind.GUIDE] = set(
            visible_guides(user).filter(pk__in=ids).values_list("pk", flat=True)
        )
    video_ids = by_kind.get(SearchKind.VIDEO, set()) | by_kind.get(SearchKind.TRANSCRIPT, set())
    if video_ids:
        videos = set(visible_videos(user).filter(pk__in=video_ids).values_list("pk", flat=True))
        allowed[SearchKind.VIDEO] = allowed[SearchKind.TRANSCRIPT] = videos
    if SearchKind.THREAD in by_kind:
        from tierdesk.community.selectors.forum_access import visible_threads

        ids = by_kind[SearchKind.THREAD]
        allowed[SearchKind.THREAD] = set(
            visible_threads(user).filter(pk__in=ids).values_list("pk", flat=True)
        )
    return {e.pk for e in entries if e.object_id in allowed.get(e.kind, set())}


def search(
    user: Viewer | None,
    query: str,
    *,
    kinds: set[str] | None = None,
    category: str | None = None,
    language: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResults:
    """The reader's hits for `query`, best first, a page of `limit` from `offset`.

    `kinds` keeps some of "article", "guide", "video", "transcript"; `category` a category's
    slug (articles only have one); `language` one language. `counts` are by kind, before the
    `kinds` filter (the page's filter shows them); `total` is what the filters keep.
    A query without words finds nothing (and is no miss).
    """
    results = SearchResults(query=query or "")
    languages = _languages(language)
    parsed = parse_query(query or "", languages)
    if parsed.empty or not languages:
        return results
    if connection.vendor == "sqlite":
        parsed = _whole_words(parsed)
    limit = max(0, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    wanted = None if kinds is None else sorted(set(kinds) & KINDS)
    if wanted == []:
        return results
    category_id = None
    if category:
        found = visible_categories(user).filter(slug=category).values_list("pk", flat=True)
        category_id = next(iter(found), None)
        if category_id is None:
            return results
    visibilities = sorted(visibilities_for(user))
    filters: dict[str, Any] = {"visibilities": visibilities, "category_id": category_id}
    # Counted by kind (the first COUNT_CAP + 1 matches), then one page of the kinds asked for.
    counts: dict[str, int]
    ranked: list[tuple[int, float]] = []
    if connection.vendor == "postgresql":
        counts, matched, ranked = pg_search(parsed, languages, wanted, filters, cap=COUNT_CAP)
    else:
        counts = _sqlite_counts(_fts(parsed, languages, kinds=None, **filters))
        matched = sum(n for k, n in counts.items() if wanted is None or k in wanted)
        if wanted is not None and sum(counts.values()) > COUNT_CAP:
            # The sample says little about a rare kind among many matches: count it.
            only = _sqlite_counts(_fts(parsed, languages, kinds=wanted, **filters))
            matched = sum(only.values())
    semantic = _semantic(query, languages, visibilities, category_id)
    if semantic and connection.vendor == "postgresql":
        known = {pk for pk, _score in ranked}
    elif semantic:
        fts = _fts(parsed, languages, kinds=None, **filters)
        known = _sqlite_among(fts, [n.entry_id for n in semantic])
    extra = [n for n in semantic if n.entry_id not in known]
    for n in extra:
        counts[n.kind] = counts.get(n.kind, 0) + 1
    extra = [n for n in extra if wanted is None or n.kind in wanted]
    semantic = [n for n in semantic if wanted is None or n.kind in wanted]
    matched += len(extra)
    results.more = matched > COUNT_CAP or any(n > COUNT_CAP for n in counts.values())
    results.counts = {k: min(counts.get(k, 0), COUNT_CAP) for k in SearchKind.values}
    results.total = min(matched, COUNT_CAP)
    if not matched or offset >= COUNT_CAP:
        return results
    window = offset + limit
    if semantic:
        window = max(window, FUSION_WINDOW)
    if connection.vendor == "postgresql":
        lexical = ranked[:window]
    elif matched > len(extra):
        fts = _fts(parsed, languages, kinds=wanted, **filters)
        lexical = _sqlite_page(fts, window, 0, many=matched - len(extra) > FEW)
    else:
        lexical = []
    page = fuse(lexical, semantic)[offset : offset + limit] if semantic else lexical[offset:]
    if not page:
        return results
    scores = dict(page)
    entries = {
        e.pk: e
        for e in SearchEntry.objects.filter(pk__in=scores)
        .select_related("category")
        .defer("embedding")
    }
    ordered = [entries[pk] for pk, _score in page if pk in entries]
    visible = _still_visible(user, ordered)
    for entry in ordered:
        if entry.pk not in visible:
            results.total -= 1
            continue
        results.hits.append(
            SearchHit(
                kind=entry.kind,
                title=entry.title,
                url=_url(entry),
                snippet_html=highlight(entry.body, parsed, entry.language),
                language=entry.language,
                category=entry.category.name if entry.category else None,
                score=scores[entry.pk],
                seek_seconds=entry.seek_seconds,
            )
        )
    return results


def content_gaps(user: Viewer | None) -> QuerySet[SearchMiss]:
    """The searches that found nothing, most frequent first (the help center's authors only)."""
    access_author(user)
    return SearchMiss.objects.order_by("-count", "-last_seen_at", "query")
