"""`tierdesk kb import DIR`: load the help center from files (the format: knowledge.kbfiles).

Idempotent: every item (category, tag, article translation, guide, video) is compared with what
is stored and written only when it differs, through the same services as the pages
(translation_save writes a version only when a title or body changed), so importing the same
folder twice writes nothing the second time. An import adds and changes; it never deletes.

A bad file is reported (its path and one reason) and skipped; everything else is imported. Each
article (all its translations) is written in a savepoint of its own, inside transactions of a few
hundred articles, so a failure rolls back only that file and a large import stays fast.

An article is recognised by the slug of any of its translations: the files `<key>.en.md` and
`<key>.it.md` are one article, and re-importing them finds it again even when one of the slugs
changed. Guides name their chapters by article key.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from tierdesk.accounts.models import User

from ... import kbfiles
from ...kbfiles import FormatError
from .article_writes import articles_import
from .guide_files import guide_import
from .import_report import CHANGED, CREATED, KINDS, UNCHANGED, FileError, ImportReport, error_text
from .taxonomy import categories_import, tags_import
from .video_files import video_import

__all__ = [
    "CHANGED",
    "CREATED",
    "KINDS",
    "UNCHANGED",
    "FileError",
    "ImportReport",
    "Progress",
    "error_text",
    "kb_import",
    "kb_import_paths",
]

Progress = Callable[[int, int], None]


def kb_import_paths(root: Path) -> dict[str, list[Path]]:
    """The files an import of `root` reads, by kind, in a fixed order."""
    articles = root / kbfiles.ARTICLES_DIR
    videos = root / kbfiles.VIDEOS_DIR
    return {
        "articles": sorted(p for p in articles.rglob("*.md") if p.is_file()),
        "guides": sorted((root / kbfiles.GUIDES_DIR).glob("*.md")),
        "videos": sorted([*videos.glob(f"*/{kbfiles.VIDEO_FILE}"), *videos.glob("*.md")]),
    }


def kb_import(
    *,
    root: Path,
    actor: User | None = None,
    progress: Progress | None = None,
    create_only: bool = False,
) -> ImportReport:
    """Import the help center from `root`; answers what was created, changed, left alone and
    which files failed (each with its reason). `progress(done, total)` follows the files.

    `create_only` adds what is missing and leaves every stored item as it is, even where its
    file differs (the demo: people may have edited the demo articles since it was loaded).
    """
    report = ImportReport()
    paths = kb_import_paths(root)
    total = 2 + sum(len(p) for p in paths.values())
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    tick(0)
    categories_import(root, report, actor, create_only=create_only)
    tick(1)
    tags_import(root, report, actor, create_only=create_only)
    tick(1)
    by_key = articles_import(root, paths["articles"], report, actor, tick, create_only=create_only)
    guides_seen: dict[str, str] = {}
    videos_seen: dict[str, str] = {}
    for kind, importer in (
        (
            "guides",
            lambda p: guide_import(
                root, p, by_key, actor, create_only=create_only, seen=guides_seen
            ),
        ),
        (
            "videos",
            lambda p: video_import(root, p, actor, create_only=create_only, seen=videos_seen),
        ),
    ):
        for path in paths[kind]:
            rel = path.relative_to(root).as_posix()
            try:
                with transaction.atomic():
                    outcome = importer(path)
            except (FormatError, ValidationError, DatabaseError, UnicodeDecodeError) as error:
                report.fail(rel, error_text(error))
            except OSError as error:
                report.fail(rel, error.strerror or str(error))
            else:
                report.add(kind, outcome)
            tick(1)
    return report
