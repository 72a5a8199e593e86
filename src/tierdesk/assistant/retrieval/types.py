"""The retrieval engine's values: what it is given, what it answers, what it decides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LANGUAGES = ("en", "it")

DecisionKind = Literal["answer", "clarify", "handoff"]


@dataclass(frozen=True)
class Entry:
    """One FAQ entry or article as the engine sees it.

    `key` names it for the caller ("faq:12", "article:7"; the evaluation uses the jsonl id);
    `phrasings` are the question and its known phrasings (for an article: title, summary).
    """

    key: str
    phrasings: tuple[str, ...]
    language: str  # "en" | "it"


@dataclass(frozen=True)
class Candidate:
    """One entry proposed for a question: its fused score and its calibrated confidence."""

    key: str
    score: float
    confidence: float


@dataclass(frozen=True)
class Match:
    """The entries proposed for a question, best first.

    `confidence` is the calibrated probability that candidates[0] is the right entry (0..1).
    """

    candidates: tuple[Candidate, ...]
    confidence: float

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True)
class Decision:
    """What to do with a question.

    answer: `keys` holds the one entry to answer with. clarify: the entries to ask between,
    best first. handoff: the best guesses (possibly none), for search results next to the offer.
    """

    kind: DecisionKind
    keys: tuple[str, ...]
    confidence: float


@dataclass(frozen=True)
class RetrievalSettings:
    """How an index scores; the defaults are the documented method (docs/assistant-retrieval.md).

    lexical_weight: weight of the normalised BM25 score (0..1) added to the classifier's logits.
    cosine_weight: weight of the cosine to the entry's nearest phrasing, added likewise.
    temperature: softmax temperature over fused scores, for the runners-up's confidences.
    l2, steps: the classifier's L2 penalty and training steps.
    tune_steps, tune_rate, tune_anchor: the fine-tuning of the encoder's head (tuning.py): Adam
      steps (0: the pretrained head), their rate, the pull toward the pretrained weights.
    folds: cross-validation folds of the calibration.
    calibration_entries: past this many entries, the calibration uses a fixed sample of them.
    out_of_scope_share: the share of questions outside the FAQ the confidence assumes.
    keep_right: the threshold rule: keep this share of the answers the calibration got right.
    threshold: the confidence below which to hand off; None lets the index choose it.
    margin: ask which entry was meant when the two best confidences are closer than this.
    """

    lexical_weight: float = 2.0
    cosine_weight: float = 2.0
    temperature: float = 1.0
    l2: float = 1e-3
    steps: int = 30
    tune_steps: int = 20
    tune_rate: float = 1e-3
    tune_anchor: float = 1e-2
    folds: int = 4
    calibration_entries: int = 300
    out_of_scope_share: float = 0.1
    keep_right: float = 0.97
    # None: the index chooses its threshold from its own phrasings (Index.threshold).
    threshold: float | None = None
    margin: float = 0.05
