"""The evaluation behind `tierdesk assistant evaluate`: FAQ and question files in, figures out.

Formats (../shared/data/assistant/README.md): faq.jsonl lines {"id", "phrasings", "language"};
question lines {"text", "expected" (an id, or null for out of scope), "language"}.

Every question goes through `Index.match` and `decide` as in the live assistant. A clarifying
question is not an answer: for an in-scope question it counts as an error in `accuracy`, for an
out-of-scope one it is not a hand-off.
"""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tierdesk.assistant.retrieval.decision import decide
from tierdesk.assistant.retrieval.index import Index
from tierdesk.assistant.retrieval.types import LANGUAGES, Entry


class DataError(ValueError):
    """A line of an input file that is not in the expected format."""


@dataclass(frozen=True)
class Question:
    text: str
    expected: str | None
    language: str


def _lines(path: Path) -> Iterable[tuple[int, dict[str, object]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                raise DataError(f"{path}:{number}: not JSON ({error.msg})") from error
            if not isinstance(value, dict):
                raise DataError(f"{path}:{number}: not a JSON object")
            yield number, value


def _language(path: Path, number: int, value: object) -> str:
    if value not in LANGUAGES:
        raise DataError(f"{path}:{number}: language must be one of {', '.join(LANGUAGES)}")
    return str(value)


def load_faq(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    seen: set[str] = set()
    for number, value in _lines(path):
        key, phrasings = value.get("id"), value.get("phrasings")
        if not isinstance(key, str) or not key:
            raise DataError(f"{path}:{number}: id must be a non-empty string")
        if key in seen:
            raise DataError(f"{path}:{number}: id {key!r} appears twice")
        if (
            not isinstance(phrasings, list)
            or not phrasings
            or not all(isinstance(p, str) and p.strip() for p in phrasings)
        ):
            raise DataError(f"{path}:{number}: phrasings must be a list of non-empty strings")
        seen.add(key)
        language = _language(path, number, value.get("language"))
        entries.append(Entry(key=key, phrasings=tuple(phrasings), language=language))
    if not entries:
        raise DataError(f"{path}: no FAQ entry")
    return entries


def load_questions(path: Path) -> list[Question]:
    questions: list[Question] = []
    for number, value in _lines(path):
        text, expected = value.get("text"), value.get("expected")
        if not isinstance(text, str):  # an empty question is allowed: the assistant hands off
            raise DataError(f"{path}:{number}: text must be a string")
        if expected is not None and not isinstance(expected, str):
            raise DataError(f"{path}:{number}: expected must be an id or null")
        language = _language(path, number, value.get("language"))
        questions.append(Question(text=text, expected=expected, language=language))
    if not questions:
        raise DataError(f"{path}: no question")
    return questions


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass(frozen=True)
class Report:
    accuracy: float
    handoff_recall: float | None
    accuracy_no_handoff: float
    p50_ms: float
    p95_ms: float
    peak_rss_mb: float
    # Not in the JSON (its keys are fixed), printed in the text report.
    questions: int
    out_of_scope: int
    clarified: int
    clarified_with_right: int  # in-scope questions asked about, the right entry among the choices
    cpu_p50_ms: float  # processor time per question: what latency would be on an idle machine
    cpu_p95_ms: float
    threshold: float
    build_s: float

    def as_json(self) -> dict[str, float | None]:
        recall = self.handoff_recall
        return {
            "accuracy": round(self.accuracy, 4),
            "handoff_recall": None if recall is None else round(recall, 4),
            "accuracy_no_handoff": round(self.accuracy_no_handoff, 4),
            "p50_ms": round(self.p50_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
        }


def evaluate(
    entries: Sequence[Entry],
    questions: Sequence[Question],
    *,
    threshold: float | None = None,
    margin: float | None = None,
) -> Report:
    """Build a throwaway index from `entries`, answer every question, measure."""
    started = time.perf_counter()
    index = Index.build(entries)
    build_s = time.perf_counter() - started
    threshold = index.threshold if threshold is None else threshold
    margin = index.settings.margin if margin is None else margin
    index.match("warm up")  # the model's first call allocates its buffers
    right = right_top1 = in_scope = handed_off = out_of_scope = clarified = clarified_right = 0
    timings: list[float] = []
    cpu: list[float] = []
    for question in questions:
        started, cpu_started = time.perf_counter(), time.process_time()
        match = index.match(question.text, language=question.language)
        decision = decide(match, threshold=threshold, margin=margin)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        clarified += decision.kind == "clarify"
        if question.expected is None:
            out_of_scope += 1
            handed_off += decision.kind == "handoff"
            continue
        in_scope += 1
        clarified_right += decision.kind == "clarify" and question.expected in decision.keys
        best = match.best
        right_top1 += best is not None and best.key == question.expected
        right += decision.kind == "answer" and decision.keys[0] == question.expected
    ms, cpu_ms = np.asarray(timings), np.asarray(cpu)
    return Report(
        accuracy=right / in_scope if in_scope else 0.0,
        handoff_recall=handed_off / out_of_scope if out_of_scope else None,
        accuracy_no_handoff=right_top1 / in_scope if in_scope else 0.0,
        p50_ms=float(np.percentile(ms, 50)),
        p95_ms=float(np.percentile(ms, 95)),
        peak_rss_mb=peak_rss_mb(),
        questions=len(questions),
        out_of_scope=out_of_scope,
        clarified=clarified,
        clarified_with_right=clarified_right,
        cpu_p50_ms=float(np.percentile(cpu_ms, 50)),
        cpu_p95_ms=float(np.percentile(cpu_ms, 95)),
        threshold=threshold,
        build_s=build_s,
    )
