"""Benchmark of `tierdesk kb import`: files per second on a large generated help center.

It builds a fresh database (SQLite under a temporary folder, or the server of --database-url),
writes N markdown files in the export format (default 10,000: four in five English, one in five
the Italian translation of an English one; 150-400 words each, tags, a few drafts and visibilities)
and times (wall clock, and this process's CPU time) three imports through the real code path
(`services.kb_import.kb_import`, the same as the command: the knowledge services, a version per
new translation, the search index):

1. into the empty help center (everything created),
2. the same folder again (everything left alone: no write at all),
3. after changing 1 % of the files (those changed, one version each).

With the help center's semantic search on (the default), an import's entries are embedded by
the task knowledge.tasks.search_embeddings_fill after the import's transaction (a worker does
it, not the importer): the import's figures leave it out, and the task's own rate (entries
embedded per second, run here in-process after the first import) is printed after them.

Goal (issue 9): over 500 files/s. Not a test: CI never runs it. Usage:

    python bench/kb_import_bench.py [--files 10000] [--database-url postgres://...]

The machine is printed with the figures: on a shared machine they are noisy.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from benchkit import machine

WORDS = [
    "call",
    "queue",
    "extension",
    "number",
    "office",
    "user",
    "admin",
    "recording",
    "meeting",
    "dial",
    "plan",
    "voicemail",
    "forward",
    "transfer",
    "device",
    "headset",
    "browser",
    "desktop",
    "mobile",
    "invoice",
    "plan",
    "seat",
    "license",
    "integration",
    "token",
    "webhook",
    "directory",
    "sync",
    "single",
    "sign-on",
    "network",
    "firewall",
    "port",
    "codec",
    "quality",
    "jitter",
    "latency",
    "bandwidth",
    "caller",
    "greeting",
    "schedule",
    "holiday",
    "hours",
    "ring",
    "group",
]


def body(rng: random.Random) -> str:
    """A markdown body of 150-400 words with headings, a list and sometimes a code block."""
    parts = []
    words = rng.randint(150, 400)
    while words > 0:
        parts.append("## " + " ".join(rng.choices(WORDS, k=3)).capitalize())
        n = min(words, rng.randint(30, 80))
        parts.append(" ".join(rng.choices(WORDS, k=n)).capitalize() + ".")
        words -= n + 3
        if rng.random() < 0.3:
            parts.append("1. " + " ".join(rng.choices(WORDS, k=6)) + "\n2. Save.")
        if rng.random() < 0.1:
            parts.append("```sh\ncurl -s https://api.example/v1/calls\n```")
    return "\n\n".join(parts)


def generate(root: Path, count: int) -> list[Path]:
    """`count` article files under root, in the export format; answers their paths."""
    from tierdesk.knowledge import kbfiles

    rng = random.Random(9)
    root.mkdir(parents=True, exist_ok=True)
    categories = [f"category-{n}" for n in range(8)]
    (root / "categories.yaml").write_text(
        kbfiles.yaml_dump(
            [{"slug": c, "name": {"en": c.title(), "it": c.title()}} for c in categories]
        )
    )
    paths = []
    english = count - count // 5
    for n in range(english):
        category = categories[n % len(categories)]
        folder = root / "articles" / category
        folder.mkdir(parents=True, exist_ok=True)
        key = f"article-{n:06d}"
        meta = {
            "title": f"Article {n}: " + " ".join(rng.choices(WORDS, k=4)),
            "slug": key,
            "status": "draft" if n % 50 == 0 else "published",
            "visibility": rng.choice(["public"] * 7 + ["signed_in", "paid", "agents"]),
            "tags": sorted(set(rng.choices(["calls", "billing", "sso", "numbers"], k=2))),
            "review_interval_days": 180,
        }
        path = folder / f"{key}.en.md"
        path.write_text(kbfiles.render_document(meta, body(rng)))
        paths.append(path)
        if n < count - english:
            meta = {**meta, "title": f"Articolo {n}", "slug": f"articolo-{n:06d}"}
            path = folder / f"{key}.it.md"
            path.write_text(kbfiles.render_document(meta, body(rng)))
            paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tierdesk.config.settings"
    os.environ["TIERDESK_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ.pop("REDIS_URL", None)
    # One BLAS thread, as serving and the worker run (see bench/search_bench.py).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tierdesk.knowledge.models import ArticleVersion
    from tierdesk.knowledge.services.kb_import import kb_import

    call_command("migrate", verbosity=0, interactive=False)
    print(f"{machine()}; database {connection.vendor}")
    root = data_dir / "kb"
    started = time.perf_counter()
    paths = generate(root, args.files)
    print(f"generated {len(paths)} files in {time.perf_counter() - started:.1f} s")

    def timed(label: str) -> None:
        versions = ArticleVersion.objects.count()
        started, cpu = time.perf_counter(), time.process_time()
        report = kb_import(root=root)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        # SQLite runs in this process, so its CPU time is the import's whole cost; on a busy
        # machine the wall clock also counts the time other processes had the CPUs.
        print(
            f"{label:<28} {seconds:6.2f} s  {len(paths) / seconds:7.0f} files/s  "
            f"(CPU {cpu:6.2f} s: {len(paths) / cpu:5.0f} files/s)  "
            f"created {report.created}, changed {report.changed}, left alone "
            f"{report.unchanged}, failed {len(report.errors)}, new versions "
            f"{ArticleVersion.objects.count() - versions}"
        )

    timed("import into an empty base")
    from tierdesk.knowledge.selectors.semantic import semantic_enabled
    from tierdesk.knowledge.services.search import search_embeddings_fill

    if semantic_enabled():
        started, cpu = time.perf_counter(), time.process_time()
        embedded = search_embeddings_fill()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"{'then the embeddings task':<28} {seconds:6.2f} s  {embedded / seconds:7.0f} "
            f"entries/s (CPU {cpu:6.2f} s: {embedded / cpu:5.0f} entries/s)  embedded {embedded}"
        )
    timed("the same files again")
    rng = random.Random(1)
    for path in rng.sample(paths, len(paths) // 100):
        path.write_text(path.read_text() + "\nOne more sentence.\n")
    timed("after changing 1 % of files")
    print("goal: over 500 files/s")


if __name__ == "__main__":
    main()
