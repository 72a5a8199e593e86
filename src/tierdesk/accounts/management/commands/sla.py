"""`tierdesk sla ...`: SLA business-time tools; all logic lives in `tierdesk.sla.cli`."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandParser

from tierdesk.sla.cli import main


class Command(BaseCommand):
    help = (
        "SLA business-time tools, e.g. `tierdesk sla due --calendar FILE --start ISO --minutes N`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Hand everything after `sla` to tierdesk.sla.cli."""
        parser.add_argument("args", nargs=argparse.REMAINDER, help="see `tierdesk sla --help`")

    def handle(self, *args: str, **options: Any) -> None:
        """Run tierdesk.sla.cli.main and exit with its status when non-zero."""
        status = main(
            list(args),
            cast(TextIO, self.stdout),
            cast(TextIO, self.stderr),
            stdin=sys.stdin,
        )
        if status:
            raise SystemExit(status)
