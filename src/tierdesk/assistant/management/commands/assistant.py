"""`tierdesk assistant evaluate --faq FAQ.jsonl --questions Q.jsonl [--json]`.

Builds a throwaway index from the FAQ file, answers every question through the live
assistant's code path (Index.match, then decide) and prints the figures; see
docs/assistant-retrieval.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "The virtual assistant's operator commands."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        evaluate = actions.add_parser(
            "evaluate",
            help="Answer a file of questions from a throwaway index of a FAQ file and measure.",
        )
        evaluate.add_argument("--faq", required=True, help="FAQ entries, one JSON object a line.")
        evaluate.add_argument(
            "--questions", required=True, help="Questions, one JSON object a line."
        )
        evaluate.add_argument("--json", action="store_true", help="Print one JSON object.")
        evaluate.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="Hand off below this confidence (default: the index's own rule).",
        )

    def fail(self, message: str) -> NoReturn:
        """Print a one-line error and exit with status 2."""
        self.stderr.write(_("error: %(message)s") % {"message": " ".join(message.split())})
        raise SystemExit(2)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "evaluate":
            self.evaluate(
                Path(options["faq"]),
                Path(options["questions"]),
                as_json=options["json"],
                threshold=options["threshold"],
            )

    def evaluate(
        self, faq: Path, questions: Path, *, as_json: bool, threshold: float | None
    ) -> None:
        from tierdesk.assistant.retrieval.evaluation import (
            DataError,
            evaluate,
            load_faq,
            load_questions,
        )

        if threshold is not None and not 0 <= threshold <= 1:
            self.fail(_("--threshold must be between 0 and 1."))
        try:
            entries = load_faq(faq)
            asked = load_questions(questions)
        except OSError as error:
            self.fail(f"{error.filename}: {error.strerror}")
        except DataError as error:
            self.fail(str(error))
        report = evaluate(entries, asked, threshold=threshold)
        if as_json:
            self.stdout.write(json.dumps(report.as_json()))
            return
        recall = "-" if report.handoff_recall is None else f"{report.handoff_recall:.4f}"
        lines = [
            (
                _("questions"),
                _("%(count)s (%(out)s out of scope)")
                % {"count": report.questions, "out": report.out_of_scope},
            ),
            (_("accuracy"), f"{report.accuracy:.4f}"),
            (_("hand-off recall"), recall),
            (_("accuracy with no hand-off"), f"{report.accuracy_no_handoff:.4f}"),
            (
                _("clarifying questions"),
                _("%(count)s (the right entry offered in %(right)s)")
                % {"count": report.clarified, "right": report.clarified_with_right},
            ),
            (_("threshold"), f"{report.threshold:.3f}"),
            (_("index build"), f"{report.build_s:.2f} s"),
            (_("p50 / p95"), f"{report.p50_ms:.2f} / {report.p95_ms:.2f} ms"),
            (
                _("processor time p50 / p95"),
                f"{report.cpu_p50_ms:.2f} / {report.cpu_p95_ms:.2f} ms",
            ),
            (_("peak memory"), f"{report.peak_rss_mb:.0f} MB"),
        ]
        width = max(len(label) for label, _value in lines)
        for label, value in lines:
            self.stdout.write(f"{label.ljust(width)}  {value}")
