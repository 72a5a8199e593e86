"""`tierdesk assistant evaluate` on a small slice of a development set."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

DATA = Path(__file__).parent / "data"
FAQ = DATA / "clinc150-slice.faq.jsonl"
QUESTIONS = DATA / "clinc150-slice.questions.jsonl"


def run(*args: str) -> str:
    out = StringIO()
    call_command("assistant", "evaluate", *args, stdout=out)
    return out.getvalue()


def test_evaluate_prints_one_json_object_with_the_issues_keys() -> None:
    report = json.loads(run("--faq", str(FAQ), "--questions", str(QUESTIONS), "--json"))
    assert set(report) == {
        "accuracy",
        "handoff_recall",
        "accuracy_no_handoff",
        "p50_ms",
        "p95_ms",
        "peak_rss_mb",
    }
    assert 0.8 <= report["accuracy_no_handoff"] <= 1.0
    assert 0.0 <= report["accuracy"] <= report["accuracy_no_handoff"]
    assert 0.0 <= report["handoff_recall"] <= 1.0
    assert 0 < report["p50_ms"] <= report["p95_ms"]
    assert report["peak_rss_mb"] > 0


def test_evaluate_forced_threshold_and_no_out_of_scope(tmp_path: Path) -> None:
    in_scope = tmp_path / "in.jsonl"
    lines = [line for line in QUESTIONS.read_text().splitlines() if '"expected": null' not in line]
    in_scope.write_text("\n".join(lines) + "\n")
    # Threshold 1: every question is handed off, nothing is answered.
    report = json.loads(
        run("--faq", str(FAQ), "--questions", str(in_scope), "--json", "--threshold", "1")
    )
    assert report["handoff_recall"] is None
    assert report["accuracy"] == 0.0
    assert report["accuracy_no_handoff"] >= 0.8


def test_evaluate_prints_a_readable_report() -> None:
    text = run("--faq", str(FAQ), "--questions", str(QUESTIONS))
    assert "30 (5 out of scope)" in text
    assert "hand-off recall" in text
    assert "threshold" in text


@pytest.mark.parametrize(
    ("faq_line", "message"),
    [
        ("not json", "not JSON"),
        ('{"id": "a", "phrasings": [], "language": "en"}', "phrasings must be"),
        ('{"id": "a", "phrasings": ["x"], "language": "fr"}', "language must be"),
    ],
)
def test_evaluate_rejects_a_bad_file_with_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], faq_line: str, message: str
) -> None:
    faq = tmp_path / "faq.jsonl"
    faq.write_text(faq_line + "\n")
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "assistant", "evaluate", "--faq", str(faq), "--questions", str(QUESTIONS), stderr=err
        )
    assert exit_info.value.code == 2
    assert message in err.getvalue()
    assert err.getvalue().count("\n") <= 1


def test_evaluate_a_missing_file_is_status_2(tmp_path: Path) -> None:
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "assistant",
            "evaluate",
            "--faq",
            str(tmp_path / "none.jsonl"),
            "--questions",
            str(QUESTIONS),
            stderr=err,
        )
    assert exit_info.value.code == 2
    assert "none.jsonl" in err.getvalue()
