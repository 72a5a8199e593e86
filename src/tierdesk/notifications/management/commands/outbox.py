"""`tierdesk outbox`: counts of e-mails by state; list recent ones; send the due ones now."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tierdesk.notifications.models import OutboxStatus
from tierdesk.notifications.selectors import outbox_recent, outbox_status_counts
from tierdesk.notifications.services import outbox_send_due


def _positive(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {raw!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


class Command(BaseCommand):
    help = "Show the e-mail outbox: counts by status; --list the recent rows; --send-due now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--send-due",
            action="store_true",
            help="Send every due e-mail now (what the worker's sweep does every minute).",
        )
        parser.add_argument(
            "--list",
            dest="list_rows",
            action="store_true",
            help="List the most recent e-mails after the counts.",
        )
        parser.add_argument(
            "--status",
            action="append",
            choices=[status.value for status in OutboxStatus],
            help="With --list: only these statuses (repeatable).",
        )
        parser.add_argument(
            "--limit", type=_positive, default=20, help="With --list: how many rows (default 20)."
        )

    def handle(
        self,
        *args: Any,
        send_due: bool,
        list_rows: bool,
        status: list[str] | None,
        limit: int,
        **options: Any,
    ) -> None:
        if status and not list_rows:
            raise CommandError("--status only applies with --list.", returncode=2)
        if send_due:
            outcomes = outbox_send_due()
            summary = ", ".join(f"{name} {count}" for name, count in sorted(outcomes.items()))
            self.stdout.write(f"sent due e-mails: {summary or 'nothing was due'}")
        for name, count in outbox_status_counts().items():
            self.stdout.write(f"{name:<10} {count}")
        if list_rows:
            for row in outbox_recent(statuses=status, limit=limit):
                line = (
                    f"{row.pk:>7} {row.status:<9} {row.attempts} "
                    f"{row.created_at:%Y-%m-%d %H:%M} {row.template:<26} {row.to_email} {row.key}"
                )
                if row.last_error:
                    line += f"  [{row.last_error.splitlines()[0][:120]}]"
                self.stdout.write(line)
