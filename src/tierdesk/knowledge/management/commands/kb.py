"""`tierdesk kb export DIR | import DIR`: the help center as markdown files ("docs as code").

The format is described in knowledge/kbfiles.py and docs/help-center.md ("Docs as code").
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from tierdesk.knowledge.selectors.kb_export import kb_export_files
from tierdesk.knowledge.services.kb_import import (
    CHANGED,
    CREATED,
    KINDS,
    UNCHANGED,
    ImportReport,
    kb_import,
)

# A progress bar below this many files would only flicker.
PROGRESS_FROM = 200


def kind_label(kind: str) -> str:
    """The translated name of a kind of item, as the report prints it."""
    labels = {
        "categories": _("categories"),
        "tags": _("tags"),
        "articles": _("article translations"),
        "guides": _("guides"),
        "videos": _("videos"),
    }
    return labels[kind]


class Command(BaseCommand):
    help = "Export the help center as markdown files with front matter, or import them back."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write the whole help center into DIR.")
        export.add_argument("dir", help="The folder to write (created if missing).")
        load = actions.add_parser(
            "import", help="Load DIR into the help center (unchanged files change nothing)."
        )
        load.add_argument("dir", help="A folder written by `kb export` (or by hand).")
        load.add_argument(
            "--progress",
            choices=("auto", "always", "never"),
            default="auto",
            help="The progress bar on standard error: auto shows it on a terminal for large "
            "imports.",
        )

    def fail(self, message: str) -> NoReturn:
        """Print a one-line error and exit with status 2."""
        self.stderr.write(_("error: %(message)s") % {"message": " ".join(message.split())})
        raise SystemExit(2)

    def handle(self, *args: Any, action: str, dir: str, **options: Any) -> None:
        root = Path(dir)
        if action == "export":
            self.export(root)
        else:
            self.load(root, progress=options["progress"])

    def export(self, root: Path) -> None:
        count = 0
        try:
            for item in kb_export_files():
                target = root / item.path
                target.parent.mkdir(parents=True, exist_ok=True)
                if item.text is not None:
                    target.write_text(item.text, encoding="utf-8", newline="\n")
                elif item.source is not None:
                    with item.source.open("rb") as source, target.open("wb") as copy:
                        shutil.copyfileobj(source, copy)
                count += 1
        except OSError as error:
            self.fail(f"{error.filename or root}: {error.strerror or error}")
        self.stdout.write(_("Exported %(count)d files to %(dir)s.") % {"count": count, "dir": root})

    def load(self, root: Path, *, progress: str) -> None:
        if not root.is_dir():
            self.fail(_("%(dir)s: no such folder") % {"dir": root})
        started = time.perf_counter()
        bar = _ProgressBar(mode=progress)
        try:
            report = kb_import(root=root, progress=bar.update)
        finally:
            bar.close()
        elapsed = time.perf_counter() - started
        self.print_report(report, elapsed)
        if report.errors:
            raise SystemExit(2)

    def print_report(self, report: ImportReport, elapsed: float) -> None:
        for kind in KINDS:
            counts = report.counts[kind]
            if not any(counts.values()):
                continue
            self.stdout.write(
                _("%(kind)s: %(created)d created, %(changed)d changed, %(unchanged)d left alone")
                % {
                    "kind": kind_label(kind),
                    "created": counts[CREATED],
                    "changed": counts[CHANGED],
                    "unchanged": counts[UNCHANGED],
                }
            )
        self.stdout.write(
            _(
                "Imported in %(seconds).1f s: %(created)d created, %(changed)d changed, "
                "%(unchanged)d left alone; files with errors: %(failed)d."
            )
            % {
                "seconds": elapsed,
                "created": report.created,
                "changed": report.changed,
                "unchanged": report.unchanged,
                "failed": len(report.errors),
            }
        )
        for error in report.errors:
            self.stderr.write(_("error: %(message)s") % {"message": str(error)})


class _ProgressBar:
    """rich's progress bar on standard error, shown for large imports on a terminal."""

    def __init__(self, *, mode: str) -> None:
        self.mode = mode
        self.progress: Any = None
        self.task: Any = None

    def update(self, done: int, total: int) -> None:
        if self.progress is None:
            if self.mode == "never" or (
                self.mode == "auto" and (total < PROGRESS_FROM or not sys.stderr.isatty())
            ):
                self.mode = "never"
                return
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                # "always" draws the bar even into a file or a pipe (CI logs, tests).
                console=Console(stderr=True, force_terminal=self.mode == "always"),
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task(_("Importing"), total=total)
        self.progress.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
