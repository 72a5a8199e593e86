"""The `tierdesk sla` command line, pure (the Django management command only delegates here).

    tierdesk sla due --calendar FILE --start ISO8601 --minutes N [--explain]
    tierdesk sla due --batch FILE        (JSON lines; FILE "-" reads standard input)

The due instant is printed as ISO 8601 with the calendar's UTC offset. Bad input prints one line
``error: ...`` on standard error and exits with status 2; a batch is all or nothing (nothing is
printed on standard output when any line is bad).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import NoReturn, TextIO
from zoneinfo import ZoneInfo

from tierdesk.sla._time import Minutes, duration_us, from_us, to_us
from tierdesk.sla.calendar import BusinessCalendar
from tierdesk.sla.calendar_spec import CalendarSpecError, calendar_spec_from_json

EXIT_USAGE = 2
_NUMBER_RE = re.compile(r"^\d+(\.\d+)?$")
_BATCH_KEYS = ("calendar", "start", "minutes")


class CliError(Exception):
    """Bad input: the message is printed as ``error: <message>``."""


class _Exit(Exception):
    """argparse asked to exit (after --help)."""

    def __init__(self, status: int) -> None:
        """Remember the status."""
        super().__init__(status)
        self.status = status


def _make_parser(stdout: TextIO) -> argparse.ArgumentParser:
    """The argument parser, writing help to `stdout` and raising instead of exiting."""

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            raise CliError(message)

        def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
            if message:
                raise CliError(message.strip())
            raise _Exit(status)

        def _print_message(self, message: str, file: object = None) -> None:
            if message:
                stdout.write(message)

    parser = Parser(prog="tierdesk sla", description="SLA business-time tools.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    due = commands.add_parser(
        "due",
        help="print the due instant of a business duration",
        description="Print the instant at which N business minutes from START end.",
    )
    due.add_argument("--calendar", metavar="FILE", help="calendar JSON file")
    due.add_argument("--start", metavar="ISO8601", help="start instant, with its UTC offset")
    due.add_argument("--minutes", metavar="N", help="business minutes (a non-negative number)")
    due.add_argument("--explain", action="store_true", help="also print the counted intervals")
    due.add_argument("--batch", metavar="FILE", help='JSON lines file ("-": standard input)')
    return parser


def parse_instant(text: str, name: str = "--start") -> datetime:
    """An aware datetime from ISO 8601 text; raises CliError naming `name`."""
    try:
        at = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise CliError(
            f"{name}: {text!r} is not an ISO 8601 instant (e.g. 2026-03-02T09:00:00+01:00)"
        ) from None
    if at.tzinfo is None:
        raise CliError(f"{name}: {text} has no UTC offset; add one, e.g. {text}+01:00 or {text}Z")
    try:
        to_us(at, name)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    return at


def parse_minutes(value: object, name: str = "--minutes", *, allow_text: bool = True) -> Minutes:
    """Non-negative minutes from text (if `allow_text`) or a JSON number; else CliError."""
    if isinstance(value, str) and allow_text:
        if not _NUMBER_RE.match(value.strip()):
            raise CliError(f"{name}: {value!r} is not a non-negative number of minutes")
        text = value.strip()
        return int(text) if text.isdigit() else float(text)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CliError(f"{name}: expected a number of minutes, got {json.dumps(value)}")
    if (isinstance(value, float) and not math.isfinite(value)) or value < 0:
        raise CliError(f"{name}: {value} is not a non-negative number of minutes")
    return value


def format_instant(at: datetime, zone: ZoneInfo) -> str:
    """ISO 8601 in the zone's offset, seconds precision unless there are microseconds."""
    local = at.astimezone(zone)
    return local.isoformat(timespec="seconds" if not local.microsecond else "microseconds")


def _load_calendar(path: str) -> BusinessCalendar:
    """A calendar from a JSON file; raises CliError naming the file and the problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise CliError(f"--calendar: cannot read {path}: {reason}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(
            f"--calendar {path}: invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    try:
        return BusinessCalendar.from_spec(calendar_spec_from_json(data))
    except CalendarSpecError as exc:
        raise CliError(f"--calendar {path}: {exc}") from None


def _due(calendar: BusinessCalendar, start: datetime, minutes: Minutes) -> datetime:
    """`calendar.add`, with engine errors (no business time, out of range) as CliError."""
    try:
        return from_us(calendar.add_us(to_us(start), duration_us(minutes)))
    except ValueError as exc:
        raise CliError(str(exc)) from None


def _run_single(args: argparse.Namespace, stdout: TextIO) -> None:
    """`due` for one start."""
    missing = [f"--{n}" for n in ("calendar", "start", "minutes") if getattr(args, n) is None]
    if missing:
        raise CliError(f"due: missing {', '.join(missing)} (or use --batch FILE)")
    calendar = _load_calendar(args.calendar)
    start = parse_instant(args.start)
    minutes = parse_minutes(args.minutes)
    due = _due(calendar, start, minutes)
    lines = [format_instant(due, calendar.zone)]
    if args.explain:
        lines += calendar.explain(start, minutes).lines()
    stdout.write("\n".join(lines) + "\n")


def _batch_line(
    cache: dict[str, BusinessCalendar], text: str
) -> tuple[BusinessCalendar, datetime, Minutes]:
    """Parse one batch line; raises CliError without the line prefix."""
    try:
        item = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(item, dict):
        raise CliError('expected an object {"calendar": ..., "start": ..., "minutes": ...}')
    for key in _BATCH_KEYS:
        if key not in item:
            raise CliError(f"missing {key!r}")
    extra = sorted(set(item) - set(_BATCH_KEYS))
    if extra:
        raise CliError(f"unknown key {extra[0]!r} (expected calendar, start, minutes)")
    key = json.dumps(item["calendar"], sort_keys=True, separators=(",", ":"))
    calendar = cache.get(key)
    if calendar is None:
        try:
            calendar = BusinessCalendar.from_spec(calendar_spec_from_json(item["calendar"]))
        except CalendarSpecError as exc:
            raise CliError(f"calendar: {exc}") from None
        cache[key] = calendar
    if not isinstance(item["start"], str):
        raise CliError(f"start: expected an ISO 8601 string, got {json.dumps(item['start'])}")
    return (
        calendar,
        parse_instant(item["start"], "start"),
        parse_minutes(item["minutes"], "minutes", allow_text=False),
    )


def _run_batch(args: argparse.Namespace, stdout: TextIO, stdin: TextIO) -> None:
    """`due --batch`: one due instant per JSON line, in order."""
    others = [f"--{n}" for n in ("calendar", "start", "minutes") if getattr(args, n) is not None]
    if others or args.explain:
        raise CliError(f"due: --batch cannot be combined with {(others or ['--explain'])[0]}")
    name = "standard input" if args.batch == "-" else args.batch
    try:
        text = stdin.read() if args.batch == "-" else Path(args.batch).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise CliError(f"--batch: cannot read {name}: {reason}") from None
    cache: dict[str, BusinessCalendar] = {}
    out: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            calendar, start, minutes = _batch_line(cache, line)
            out.append(format_instant(_due(calendar, start, minutes), calendar.zone))
        except CliError as exc:
            raise CliError(f"{name} line {number}: {exc}") from None
    if out:
        stdout.write("\n".join(out) + "\n")


def main(argv: Sequence[str], stdout: TextIO, stderr: TextIO, stdin: TextIO | None = None) -> int:
    """Run `tierdesk sla ARGV...`; returns the exit status (2 and one error line on bad input)."""
    parser = _make_parser(stdout)
    try:
        args = parser.parse_args(list(argv))
        if args.command is None:
            raise CliError("missing command (try: tierdesk sla due --help)")
        if args.batch is not None:
            _run_batch(args, stdout, stdin if stdin is not None else sys.stdin)
        else:
            _run_single(args, stdout)
    except _Exit as exc:
        return exc.status
    except CliError as exc:
        message = " ".join(str(exc).split())
        stderr.write(f"error: {message}\n")
        return EXIT_USAGE
    return 0
