"""Benchmark of the help center's one search (knowledge.selectors.search.search) at scale.

For each database (SQLite with FTS5, PostgreSQL with its text search) and each size (default
10,000 and 100,000 articles) it builds a fresh database and measures the latency of `search()`
in-process (the full call: parsing, the ranked page, the counts by kind, the visibility check of
the page and the highlighted snippets), p50 and p95 in milliseconds, for the queries of QUERIES:
common words, rare words, two words, accented and Italian words, a word being typed (a prefix),
and with filters, as a visitor, a paid member and an agent.

Goals (issue 9): p95 under 30 ms at 100,000 articles on SQLite, under 50 ms on PostgreSQL.

How the data is made (fast, without the services): articles straight into the index table
(knowledge_searchentry, whose triggers fill the FTS5 table on SQLite; on PostgreSQL the generated
tsvector is computed on COPY), 70 % English and 30 % Italian, bodies of 60 to 200 words drawn with
a Zipf-like law from a vocabulary of real support words in each language (accented Italian ones
included) and a long tail of made-up words, so that common words are in most articles and rare
ones in a few; visibilities public 60 %, signed-in 20 %, paid 15 %, agents 5 %; 12 categories.
The stems are those the services would write (search_text.terms, computed once per word).

Semantic fusion (selectors.semantic) is on unless KNOWLEDGE_SEMANTIC_SEARCH=0 in the
environment: the entries get random unit vectors as embeddings (the cost of the search does not
depend on which vectors), and each query is encoded by the real encoder at every call (its
per-process cache of query vectors is cleared before each one: a reader typing sends a new
query each time), so the figures include the encoding.

Not a test: CI never runs it. Usage:

    python bench/search_bench.py [--sizes 10000,100000] [--db sqlite,postgres] [--samples 60]

PostgreSQL is used when reachable at $TEST_DATABASE_URL's server (default
postgres://postgres@127.0.0.1:5432/), in a database `tierdesk_bench_search_<pid>` created and
dropped here. The machine is printed with the figures: on a shared machine they are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchkit import child_env, machine, pg_admin, pg_reachable, pg_url

ROOT = Path(__file__).resolve().parents[1]
BENCH_DB = f"tierdesk_bench_search_{os.getpid()}"
GOALS_MS = {"sqlite": 30.0, "postgres": 50.0}


def _words(text: str) -> list[str]:
    return text.split()


EN_WORDS = _words(
    "account accounts admin agent agents alert api app audio backup billing browser cache "
    "calendar call calls card case cases change chat check client cloud code configure "
    "connect connection console contact contract credit dashboard data date delete device "
    "devices domain download email enable error errors export extension fax file files "
    "firewall forward group guest headset help holiday hours import install installation "
    "integration invoice invoices key language license licenses limit link login logs mailbox "
    "manage meeting meetings message messages mobile network number numbers office password "
    "passwords payment permissions phone phones pin plan plans policy port porting printer "
    "profile queue queues recording recordings region report reports reset role roles room "
    "router schedule screen seat seats security server settings setup share sign single sso "
    "storage subscription support sync team teams ticket tickets time token tokens transfer "
    "trunk update upgrade upload user users video voicemail vpn webhook welcome window "
    "windows wireless"
)
EN_GLUE = _words("the a to and of in for your with on is you can this from it by be or")
IT_WORDS = _words(
    "accesso account agente aggiornamento amministratore app assistenza audio backup caffè "
    "calendario chiamata chiamate chiave città cliente codice collegamento configurazione "
    "configurare connessione console contratto credito dati dispositivo dispositivi dominio "
    "elenco email errore errori esportazione estensione fattura fatture fatturazione file "
    "gruppo guida impostazioni installazione integrazione interno licenza licenze limite "
    "lingua messaggio messaggi modifica numero numeri ospite pagamento password perché "
    "permessi piano piani più porta portabilità profilo qualità registrazione registrazioni "
    "rete ruolo ruoli sala segreteria server sicurezza sincronizzazione sito squadra supporto "
    "telefono telefoni token trasferimento ufficio utente utenti verifica video"
)
IT_GLUE = _words("il la le di del della e per con un una che in non si al sul")
SYLLABLES = _words(
    "ba be bi bo da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro ta "
    "te ti to va ve vi vo za ze zi"
)
TAIL = 20_000  # made-up words: the long tail, each in a handful of articles
CATEGORIES = 12
VISIBILITY = [("public", 60), ("signed_in", 20), ("paid", 15), ("agents", 5)]

# (label, who, query, filters): who is "visitor", "paid" (a paid member) or "agent".
QUERIES: list[tuple[str, str, str, dict[str, Any]]] = [
    ("common word (en)", "visitor", "account", {}),
    ("common word (en), agent", "agent", "settings", {}),
    ("common word (it)", "visitor", "utenti", {}),
    ("rare word", "visitor", "{rare}", {}),
    ("rare word, paid member", "paid", "{rare}", {}),
    ("two words", "visitor", "reset password", {}),
    ("two words, paid member", "paid", "configure phone", {}),
    ("plural (en)", "visitor", "invoices", {}),
    ("accented, typed without accent", "visitor", "citta", {}),
    ("accented", "visitor", "qualità", {}),
    ("Italian two words", "visitor", "fattura pagamento", {}),
    ("prefix while typing", "visitor", "passw", {}),
    ("stopwords and words", "visitor", "how to reset my password", {}),
    (
        "common + kind=article, language=it",
        "visitor",
        "accesso",
        {"kinds": {"article"}, "language": "it"},
    ),
    ("common + category", "paid", "phone", {"category": "cat-3"}),
    ("no result", "visitor", "xylophonezzz", {}),
]


def _env(database_url: str, data_dir: str) -> dict[str, str]:
    # One BLAS thread per process, as serving does (the workers are the parallelism): on a
    # busy machine OpenBLAS's second thread spins and makes one query's encoding ~15 times
    # slower (measured: 2.4 ms of CPU with one thread, 32 ms with two, at load 14).
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "1")
    return {**child_env(database_url, data_dir), "OPENBLAS_NUM_THREADS": threads}


def _machine() -> str:
    return f"{machine()}; OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '1')}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="articles, comma-separated")
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--samples", type=int, default=60, help="samples per query")
    parser.add_argument("--json", help="also write every figure to this file")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    databases = [d.strip() for d in args.db.split(",") if d.strip()]
    if min(sizes) < 100 or args.samples < 5 or set(databases) - {"sqlite", "postgres"}:
        parser.error("sizes of at least 100, --samples of at least 5, --db sqlite|postgres")
    if args.child:
        return _child_main(args, sizes[0])
    report: dict[str, Any] = {"machine": _machine(), "runs": []}
    print(report["machine"])
    for database in databases:
        if database == "postgres" and not pg_reachable():
            continue
        for size in sizes:
            run = _one_run(database, size, args)
            report["runs"].append(run)
            _print_run(run)
    _print_summary(report["runs"])
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 0


def _one_run(database: str, size: int, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="tierdesk-search-bench-") as folder:
        if database == "sqlite":
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        else:
            pg_admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            pg_admin(f"CREATE DATABASE {BENCH_DB}")
            url = pg_url(BENCH_DB)
        try:
            command = [
                sys.executable,
                __file__,
                "--child",
                f"--sizes={size}",
                f"--samples={args.samples}",
                f"--seed={args.seed}",
            ]
            status = subprocess.call(command, env=_env(url, folder))  # noqa: S603
            if status:
                raise SystemExit(f"the {database} run of {size} failed with status {status}")
            run: dict[str, Any] = json.loads((Path(folder) / "results.json").read_text())
        finally:
            if database == "postgres":
                pg_admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    run["database"] = database
    return run


# --- the child: build, then measure in-process ------------------------------------------------


def _child_main(args: argparse.Namespace, size: int) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from tierdesk.knowledge.selectors.semantic import semantic_enabled

    if os.environ.get("KNOWLEDGE_SEMANTIC_SEARCH") == "0":
        settings.KNOWLEDGE_SEMANTIC_SEARCH = False
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    world = build(size, random.Random(args.seed))
    build_seconds = time.perf_counter() - started
    run = measure(world, args.samples)
    run.update(size=size, build_seconds=build_seconds, semantic=semantic_enabled())
    (Path(settings.DATA_DIR) / "results.json").write_text(json.dumps(run))
    return 0


def _vocabulary(rng: random.Random) -> dict[str, list[str]]:
    tail: set[str] = set()
    while len(tail) < TAIL:
        tail.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))))
    return {"en": EN_WORDS, "it": IT_WORDS, "tail": sorted(tail)}


def _zipf(rng: random.Random, words: list[str]) -> str:
    # Rank r drawn with weight 1/r: the first words are in most articles, the last in few.
    index = int(len(words) ** rng.random()) - 1
    return words[min(index, len(words) - 1)]


def _text(rng: random.Random, vocab: dict[str, list[str]], language: str, n: int) -> str:
    words, glue = vocab[language], EN_GLUE if language == "en" else IT_GLUE
    out = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.35:
            out.append(rng.choice(glue))
        elif roll < 0.97:
            out.append(_zipf(rng, words))
        else:
            out.append(rng.choice(vocab["tail"]))
    return " ".join(out)


def build(size: int, rng: random.Random) -> dict[str, Any]:
    """The categories and `size` index entries of articles; returns what measure() needs."""
    import numpy as np
    from django.db import connection
    from django.utils import timezone

    from tierdesk.knowledge.models import (
        Article,
        ArticleTranslation,
        Category,
        SearchEntry,
        SearchIndexVersion,
    )
    from tierdesk.knowledge.search_text import terms
    from tierdesk.knowledge.selectors.semantic import semantic_enabled
    from tierdesk.knowledge.services.search import filter_words

    semantic = semantic_enabled()

    categories = Category.objects.bulk_create(
        Category(slug=f"cat-{n}", name_en=f"Category {n}", name_it=f"Categoria {n}", position=n)
        for n in range(CATEGORIES)
    )
    vocab = _vocabulary(rng)
    visibilities = [v for v, weight in VISIBILITY for _ in range(weight)]
    now = timezone.now()
    specs = []
    for _n in range(size):
        language = "en" if rng.random() < 0.7 else "it"
        title = _text(rng, vocab, language, rng.randint(3, 8)).capitalize()[:200]
        body = _text(rng, vocab, language, rng.randint(60, 200))
        specs.append((language, title, body, rng.choice(visibilities), rng.choice(categories)))
    # The rows the search checks its page against (visible_translations), then the index.
    articles = Article.objects.bulk_create(
        (Article(category=c, visibility=v, created_at=now) for _l, _t, _b, v, c in specs),
        batch_size=2000,
    )
    translations = ArticleTranslation.objects.bulk_create(
        (
            ArticleTranslation(
                article=article,
                language=language,
                slug=f"article-{n}",
                title=title,
                body=body,
                status="published",
                published_at=now,
            )
            for n, (article, (language, title, body, _v, _c)) in enumerate(
                zip(articles, specs, strict=True)
            )
        ),
        batch_size=2000,
    )
    rows = [
        SearchEntry(
            kind="article",
            object_id=translation.pk,
            language=language,
            visibility=visibility,
            category_id=category.pk,
            slug=translation.slug,
            title=title,
            body=body,
            title_terms=terms(title, language),
            body_terms=terms(body, language),
            filters=filter_words(
                kind="article", language=language, visibility=visibility, category_id=category.pk
            ),
        )
        for translation, (language, title, body, visibility, category) in zip(
            translations, specs, strict=True
        )
    ]
    if semantic:
        # Random unit vectors, not the encoder's (100,000 encodings would take most of an
        # hour): what is measured is the search's cost, the same for any vectors.
        vectors = np.random.default_rng(rng.randrange(2**32)).standard_normal((len(rows), 512))
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        for row, vector in zip(rows, vectors.astype(np.float16), strict=True):
            row.embedding = vector.tobytes()
    SearchEntry.objects.bulk_create(rows, batch_size=2000)
    SearchIndexVersion.objects.update_or_create(pk=1, defaults={"number": 1})
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO knowledge_search(knowledge_search) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE knowledge_searchentry")
    # A rare word: one of the long tail that is in a few articles.
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM knowledge_searchentry WHERE language = 'en' LIMIT 200")
        bodies = [row[0] for row in cursor.fetchall()]
    tail = set(vocab["tail"])
    rare = next(w for body in bodies for w in body.split() if w in tail)
    return {"rare": rare}


def measure(world: dict[str, Any], samples: int) -> dict[str, Any]:
    """p50 and p95 of search() for each query of QUERIES (a few warm-up calls first)."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from tests.factories import AccountFactory, LicensePlanFactory, UserFactory, VendorUserFactory

    from tierdesk.accounts.roles import Role
    from tierdesk.knowledge.selectors.search import search
    from tierdesk.knowledge.selectors.semantic import query_vector

    people = {
        "visitor": AnonymousUser(),
        "paid": UserFactory(account=AccountFactory(license_plan=LicensePlanFactory(code="pro"))),
        "agent": VendorUserFactory(role=Role.AGENT_L1),
    }
    results: dict[str, Any] = {"queries": []}
    for label, who, text, filters in QUERIES:
        query = text.format(**world)
        user = people[who]
        for _ in range(3):
            found = search(user, query, **filters)
        timings, cpu = [], []
        for _ in range(samples):
            query_vector.cache_clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            search(user, query, **filters)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            search(user, query, **filters)
        timings.sort()
        cpu.sort()
        results["queries"].append(
            {
                "label": label,
                "query": query,
                "total": found.total,
                "p50": statistics.median(timings),
                "p95": timings[max(0, int(len(timings) * 0.95) - 1)],
                "cpu_p50": statistics.median(cpu),
                "cpu_p95": cpu[max(0, int(len(cpu) * 0.95) - 1)],
                "sql": len(queries),
            }
        )
    return results


# --- printing ---------------------------------------------------------------------------------


def _print_run(run: dict[str, Any]) -> None:
    print(
        f"\n{run['database']}, {run['size']:,} articles "
        f"(built in {run['build_seconds']:.0f} s): search() in-process, ms, "
        f"semantic fusion {'on' if run.get('semantic') else 'off'}"
    )
    # cpu: this process's CPU time (SQLite runs in it; PostgreSQL's server time is not counted),
    # a steadier figure than the wall clock on a machine shared with other work.
    print(
        f"  {'query':<38} {'hits':>7} {'p50':>7} {'p95':>7} "
        f"{'cpu p50':>8} {'cpu p95':>8} {'SQL':>4}"
    )
    for q in run["queries"]:
        label = f"{q['label']} [{q['query']}]"
        print(
            f"  {label:<38.38} {q['total']:>7,} {q['p50']:>7.1f} {q['p95']:>7.1f} "
            f"{q.get('cpu_p50', 0):>8.1f} {q.get('cpu_p95', 0):>8.1f} {q['sql']:>4}"
        )


def _print_summary(runs: list[dict[str, Any]]) -> None:
    print("\nGoals: p95 < 30 ms at 100,000 on SQLite, < 50 ms on PostgreSQL")
    for run in runs:
        worst = max(run["queries"], key=lambda q: q["p95"])
        p95s = sorted(q["p95"] for q in run["queries"])
        goal = GOALS_MS[run["database"]]
        verdict = "met" if worst["p95"] < goal else "NOT met"
        print(
            f"  {run['database']:<8} {run['size']:>9,}: median of the queries' p95 "
            f"{statistics.median(p95s):.1f} ms, worst p95 {worst['p95']:.1f} ms "
            f"({worst['label']}): goal {goal:.0f} ms {verdict}"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
