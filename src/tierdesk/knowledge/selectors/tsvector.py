"""PostgreSQL's side of the help center's search (selectors.search): the generated
`search_vector` (migration 0003) and its partial GIN index per language (migration 0005).

A query is one branch per language (`language = 'en' AND search_vector @@ english query`), so
each branch reads its language's index only; visibility, kinds and category are filters on the
rows the bitmap finds. One `LIMIT`-ed query gives the counts and the candidates to rank.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.db import connection

from ..search_text import Query

PG_CONFIG = {"en": "english", "it": "italian"}


def pg_where(
    query: Query,
    languages: list[str],
    *,
    visibilities: Iterable[str],
    kinds: Iterable[str] | None,
    category_id: int | None,
) -> tuple[str, list[Any], str, list[Any]]:
    """The WHERE clause and the rank expression, with their parameters."""
    branches: list[str] = []
    ranks: list[str] = []
    params: list[Any] = []
    rank_params: list[Any] = []
    for lang in languages:
        stems = query.stems.get(lang)
        if not stems:
            continue
        config = PG_CONFIG.get(lang, "simple")
        tsquery = " & ".join(stems) + (":*" if query.prefixes[lang] else "")
        branches.append(
            f"(language = %s AND search_vector @@ to_tsquery('{config}'::regconfig, %s))"
        )
        params += [lang, tsquery]
        ranks.append(
            f"WHEN language = %s THEN ts_rank(search_vector, to_tsquery('{config}'::regconfig, %s))"
        )
        rank_params += [lang, tsquery]
    where = ["visibility = ANY(%s)"]
    where_params: list[Any] = [list(visibilities)]
    if kinds is not None:
        where.append("kind = ANY(%s)")
        where_params.append(list(kinds))
    if category_id is not None:
        where.append("category_id = %s")
        where_params.append(category_id)
    where.append("(" + " OR ".join(branches) + ")")
    rank = "CASE " + " ".join(ranks) + " ELSE 0 END"
    return " AND ".join(where), where_params + params, rank, rank_params


def _pg_whole_words(query: Query) -> Query:
    """The query without its prefix where the last word, as typed, is a word of its language.

    As _whole_words for SQLite: `phone:*` unions the lists of every lexeme that starts with
    `phone`, `phone` reads one. The check reads the language's partial GIN index (migration
    0005): a fraction of a millisecond, a word that is nowhere included.
    """
    prefixes = dict(query.prefixes)
    with connection.cursor() as cursor:
        for language, prefix in query.prefixes.items():
            stems = query.stems.get(language)
            if not (prefix and stems):
                continue
            config = PG_CONFIG.get(language, "simple")
            cursor.execute(
                "SELECT 1 FROM knowledge_searchentry WHERE language = %s "  # noqa: S608
                f"AND search_vector @@ to_tsquery('{config}'::regconfig, %s) LIMIT 1",
                [language, stems[-1]],
            )
            prefixes[language] = cursor.fetchone() is None
    return replace(query, prefixes=prefixes)


def _pg_matches(
    where: str, params: list[Any], rank: str, rank_params: list[Any], *, cap: int
) -> list[tuple[int, str, float]]:
    """The first cap + 1 matches (id, kind, rank), in the order the index yields them.

    One query gives the counts and the candidates to rank: with at most cap matches they
    are all ranked (ts_rank, the title weighing more); with more, the first cap + 1 the
    bitmap scan reads are (no ORDER BY: sorting every match of a common word by anything is
    most of a search's time at 100,000 entries).
    """
    sql = (
        f"SELECT id, kind, {rank} FROM (SELECT id, kind, language, search_vector "  # noqa: S608
        f"FROM knowledge_searchentry WHERE {where} LIMIT %s) c"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*rank_params, *params, cap + 1])
        return [(int(pk), kind, float(score)) for pk, kind, score in cursor.fetchall()]


def pg_search(
    parsed: Query,
    languages: list[str],
    wanted: list[str] | None,
    filters: dict[str, Any],
    *,
    cap: int,
) -> tuple[dict[str, int], int, list[tuple[int, float]]]:
    """Counts by kind, matches of the wanted kinds, and those matches best first."""
    parsed = _pg_whole_words(parsed)
    rows = _pg_matches(*pg_where(parsed, languages, kinds=None, **filters), cap=cap)
    counts: dict[str, int] = {}
    for _pk, kind, _score in rows:
        counts[kind] = counts.get(kind, 0) + 1
    if wanted is not None and len(rows) > cap:
        # The sample says little about a rare kind among many matches: ask for it.
        rows = _pg_matches(*pg_where(parsed, languages, kinds=wanted, **filters), cap=cap)
    else:
        rows = [row for row in rows if wanted is None or row[1] in wanted]
    ranked = sorted(((pk, score) for pk, _kind, score in rows), key=lambda r: (-r[1], -r[0]))
    return counts, len(rows), ranked
