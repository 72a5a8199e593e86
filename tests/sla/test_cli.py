"""The `tierdesk sla` command line (tierdesk.sla.cli.main), in process."""

from __future__ import annotations

import io
import json
import random
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tierdesk.sla import BusinessCalendar, calendar_spec_from_json
from tierdesk.sla.cli import main

ROME = {
    "timezone": "Europe/Rome",
    "weekly": {
        key: [["09:00", "13:00"], ["14:00", "18:00"]] for key in ("mon", "tue", "wed", "thu", "fri")
    },
    "holidays": ["2026-12-25", "2026-12-26"],
}
SYDNEY = {
    "timezone": "Australia/Sydney",
    "weekly": {key: [["09:00", "17:00"]] for key in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": ["2026-04-03", "2026-04-06"],
}


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err, stdin=io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def rome_file(tmp_path: Path) -> str:
    path = tmp_path / "rome.json"
    path.write_text(json.dumps(ROME), encoding="utf-8")
    return str(path)


def test_due(rome_file: str) -> None:
    status, out, err = run(
        "due", "--calendar", rome_file, "--start", "2026-03-02T09:00:00+01:00", "--minutes", "120"
    )
    assert (status, out, err) == (0, "2026-03-02T11:00:00+01:00\n", "")


def test_due_converts_the_start_to_the_calendar_zone(rome_file: str) -> None:
    status, out, _ = run(
        "due", "--calendar", rome_file, "--start", "2026-03-27T16:00Z", "--minutes", "61"
    )
    assert status == 0
    assert out == "2026-03-30T09:01:00+02:00\n"  # 17:00 CET on Friday, then the DST change


def test_due_with_fractional_minutes_and_seconds(rome_file: str) -> None:
    _, out, _ = run(
        "due", "--calendar", rome_file, "--start", "2026-03-02T09:00:30+01:00", "--minutes", "1.5"
    )
    assert out == "2026-03-02T09:02:00+01:00\n"


def test_due_explain(rome_file: str) -> None:
    status, out, _ = run(
        "due",
        "--calendar",
        rome_file,
        "--start",
        "2026-12-24T17:00+01:00",
        "--minutes",
        "120",
        "--explain",
    )
    assert status == 0
    assert out.splitlines() == [
        "2026-12-28T10:00:00+01:00",
        "120 business minutes from 2026-12-24T17:00:00+01:00 (Europe/Rome) "
        "end at 2026-12-28T10:00:00+01:00:",
        "  Thu 2026-12-24 17:00-18:00 (+01:00)  60 min  (total 60)",
        "  Mon 2026-12-28 09:00-10:00 (+01:00)  60 min  (total 120)",
    ]


def test_help_goes_to_stdout() -> None:
    status, out, err = run("due", "--help")
    assert status == 0 and "--calendar FILE" in out and err == ""


def test_batch_of_thousands_of_lines(tmp_path: Path) -> None:
    rng = random.Random(3)
    lines, expected = [], []
    cals = {json.dumps(c): BusinessCalendar(calendar_spec_from_json(c)) for c in (ROME, SYDNEY)}
    for _ in range(5000):
        cal_json = rng.choice(list(cals))
        cal = cals[cal_json]
        start = datetime(2026, 1, 1, tzinfo=cal.zone) + timedelta(minutes=rng.randrange(525600))
        minutes = rng.randrange(0, 3000)
        lines.append(
            f'{{"calendar": {cal_json}, "start": "{start.isoformat()}", "minutes": {minutes}}}'
        )
        expected.append(cal.add(start, minutes).astimezone(cal.zone).isoformat())
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    began = time.perf_counter()
    status, out, err = run("due", "--batch", str(path))
    elapsed = time.perf_counter() - began
    assert (status, err) == (0, "")
    assert out.splitlines() == expected
    assert elapsed < 5, f"batch of 5000 lines took {elapsed:.2f}s"
    assert run("due", "--batch", "-", stdin=lines[0])[1] == expected[0] + "\n"


BAD_SINGLE = [
    (["--start", "2026-03-02T09:00", "--minutes", "60"], "has no UTC offset"),
    (
        ["--start", "yesterday", "--minutes", "60"],
        "--start: 'yesterday' is not an ISO 8601 instant",
    ),
    (["--start", "2026-03-02T09:00Z", "--minutes", "-5"], "--minutes: '-5' is not a non-negative"),
    (["--start", "2026-03-02T09:00Z", "--minutes", "ten"], "--minutes: 'ten'"),
    (["--start", "2026-03-02T09:00Z"], "due: missing --minutes"),
    (
        ["--start", "2026-03-02T09:00Z", "--minutes", "1", "--bogus"],
        "unrecognized arguments: --bogus",
    ),
    (["--start", "0999-01-01T00:00Z", "--minutes", "1"], "outside 1900..2999"),
]


@pytest.mark.parametrize(("args", "message"), BAD_SINGLE)
def test_bad_single_input(rome_file: str, args: list[str], message: str) -> None:
    status, out, err = run("due", "--calendar", rome_file, *args)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "--calendar: cannot read"),
        ("{not json", "invalid JSON"),
        (json.dumps({**ROME, "timezone": "Europe/Rom"}), "unknown IANA time zone 'Europe/Rom'"),
        (json.dumps({**ROME, "weekly": {"mon": [["13:00", "12:00"]]}}), "weekly.mon[0]: end 12:00"),
        (json.dumps({"timezone": "UTC", "weekly": {}}), "has no business time"),
    ],
)
def test_bad_calendar(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "cal.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    status, out, err = run(
        "due", "--calendar", str(path), "--start", "2026-03-02T09:00Z", "--minutes", "5"
    )
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "line 2: invalid JSON"),
        ("[1, 2]", "line 2: expected an object"),
        (json.dumps({"calendar": ROME, "start": "2026-03-02T09:00Z"}), "line 2: missing 'minutes'"),
        (
            json.dumps({"calendar": ROME, "start": "2026-03-02T09:00", "minutes": 5}),
            "no UTC offset",
        ),
        (json.dumps({"calendar": ROME, "start": 5, "minutes": 5}), "start: expected an ISO 8601"),
        (
            json.dumps({"calendar": ROME, "start": "2026-03-02T09:00Z", "minutes": "5"}),
            'minutes: expected a number of minutes, got "5"',
        ),
        (json.dumps({"calendar": ROME, "start": "2026-03-02T09:00Z", "minutes": True}), "minutes:"),
        (
            json.dumps({"calendar": {"weekly": {}}, "start": "2026-03-02T09:00Z", "minutes": 5}),
            "line 2: calendar: timezone: required",
        ),
        (
            json.dumps({"calendar": ROME, "start": "2026-03-02T09:00Z", "minutes": 5, "x": 1}),
            "unknown key 'x'",
        ),
    ],
)
def test_bad_batch_line(tmp_path: Path, line: str, message: str) -> None:
    good = json.dumps({"calendar": ROME, "start": "2026-03-02T09:00Z", "minutes": 5})
    path = tmp_path / "batch.jsonl"
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    status, out, err = run("due", "--batch", str(path))
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"error: {path}") and message in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "missing command"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["due", "--batch", "/nonexistent/batch.jsonl"], "--batch: cannot read"),
        (["due", "--batch", "-", "--minutes", "5"], "cannot be combined with --minutes"),
    ],
)
def test_bad_usage(argv: list[str], message: str) -> None:
    status, out, err = run(*argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err
