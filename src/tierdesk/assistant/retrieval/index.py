"""The index: built once from the entries, asked once per question.

Scoring (docs/assistant-retrieval.md, "How it decides"): the encoder's head is fine-tuned on the
phrasings (tuning.py) and embeds the phrasings and every question with it; the question's
embedding goes through a softmax classifier fitted on the phrasings' embeddings; each entry's
logit is raised by the lexical weight times its BM25 score (best phrasing, divided by the best
entry's) and by the cosine weight times the cosine to its nearest phrasing. The best fused
score becomes a probability by a Platt fit learned from cross-validation on the phrasings
themselves, which also sets the threshold (calibration.py); each fold of that cross-validation
fine-tunes its own head on its own training phrasings, so that held-out phrasings stay unseen.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tierdesk.assistant.retrieval import classifier, embeddings, tuning
from tierdesk.assistant.retrieval.calibration import Platt, features, fit_platt, folds
from tierdesk.assistant.retrieval.lexical import LexicalIndex
from tierdesk.assistant.retrieval.types import Candidate, Entry, Match, RetrievalSettings


def entry_lexical(scores: np.ndarray, owners: np.ndarray, entries: int) -> np.ndarray:
    """Per entry, its best phrasing's BM25 score, divided by the best entry's (0 if none)."""
    out = np.zeros(entries, dtype=np.float32)
    np.maximum.at(out, owners, scores.astype(np.float32))
    top = float(out.max()) if entries else 0.0
    return out / top if top > 0 else out


class Index:
    """Entries' phrasings embedded by a fine-tuned head, a classifier, BM25, a calibration.

    pooled: the phrasings' vectors before the encoder's head (embeddings.pooled), in order.
    """

    def __init__(
        self,
        entries: Sequence[Entry],
        settings: RetrievalSettings,
        pooled: np.ndarray,
        head: tuning.Head | None = None,
        model: classifier.LinearClassifier | None = None,
        platt: Platt | None = None,
        calibrated_threshold: float | None = None,
    ) -> None:
        self.entries = tuple(entries)
        self.settings = settings
        self.pooled = pooled
        texts: list[str] = []
        languages: list[str] = []
        owners: list[int] = []
        for number, entry in enumerate(self.entries):
            for phrasing in entry.phrasings:
                texts.append(phrasing)
                languages.append(entry.language)
                owners.append(number)
        self.texts = texts
        self.owners = np.asarray(owners, dtype=np.int64)
        self.lexical = LexicalIndex(texts, languages)
        with embeddings.one_blas_thread():
            if head is None:
                head = self.tune(np.arange(len(texts)))
            self.head = head
            self.vectors = head.encode(pooled)
            if model is None and self.entries:
                model = self.fit(np.arange(len(texts)))
            self.model = model
            if platt is None:
                platt, calibrated_threshold = self.calibrate()
        self.platt = platt
        self.calibrated_threshold = calibrated_threshold

    @classmethod
    def build(cls, entries: Sequence[Entry], *, settings: RetrievalSettings | None = None) -> Index:
        """Embed, fine-tune the head, fit the classifier, calibrate: ~10 s for 1,500 phrasings."""
        entries = [e for e in entries if e.phrasings]
        texts = [p for e in entries for p in e.phrasings]
        return cls(entries, settings or RetrievalSettings(), embeddings.pooled(texts))

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def threshold(self) -> float:
        """The confidence below which `decide` should hand off (settings, else calibration)."""
        if self.settings.threshold is not None:
            return self.settings.threshold
        if self.calibrated_threshold is not None:
            return self.calibrated_threshold
        return 0.0  # too few phrasings to calibrate: answer with the best entry

    # Scoring.
    def tune(self, rows: np.ndarray) -> tuning.Head:
        """The encoder's head fine-tuned on the given phrasing rows (tuning.py)."""
        known = np.unique(self.owners[rows])
        return tuning.fine_tune(
            self.pooled[rows],
            np.searchsorted(known, self.owners[rows]),
            len(known),
            steps=self.settings.tune_steps,
            rate=self.settings.tune_rate,
            anchor=self.settings.tune_anchor,
        )

    def fit(
        self,
        rows: np.ndarray,
        classes: np.ndarray | None = None,
        vectors: np.ndarray | None = None,
    ) -> classifier.LinearClassifier:
        """The classifier over the given phrasing rows.

        classes: the entry numbers its outputs stand for, in order (default: every entry).
        vectors: the phrasings' embeddings to use (default: the index's own).
        """
        if classes is None:
            classes = np.arange(len(self.entries))
        vectors = self.vectors if vectors is None else vectors
        return classifier.fit(
            vectors[rows],
            np.searchsorted(classes, self.owners[rows]),
            len(classes),
            l2=self.settings.l2,
            steps=self.settings.steps,
        )

    def fused(
        self,
        model: classifier.LinearClassifier,
        vector: np.ndarray,
        lexical: np.ndarray,
        rows: np.ndarray | None = None,
        classes: np.ndarray | None = None,
        vectors: np.ndarray | None = None,
    ) -> np.ndarray:
        """Fused score of every entry for one question (lexical: BM25 per phrasing row).

        The classifier's logit, plus the lexical weight times the entry's normalised BM25 score,
        plus the cosine weight times the cosine to the entry's nearest phrasing.
        rows: the phrasing rows the model knows (all by default); the others count for nothing.
        classes: the entries the model's outputs stand for (all by default), as in `fit`.
        vectors: the phrasings' embeddings (the index's own by default), as in `fit`.
        """
        entries = len(self.entries)
        logits = model.logits(vector[None, :])[0]
        cosine = (self.vectors if vectors is None else vectors) @ vector
        if rows is not None:
            mask = np.zeros(len(lexical), dtype=bool)
            mask[rows] = True
            lexical = np.where(mask, lexical, 0.0)
            cosine = np.where(mask, cosine, -1.0)
        nearest = np.full(entries, -1.0, dtype=np.float32)
        np.maximum.at(nearest, self.owners, cosine.astype(np.float32))
        words = entry_lexical(lexical, self.owners, entries)
        if classes is not None:
            nearest, words = nearest[classes], words[classes]
        return logits + self.settings.lexical_weight * words + self.settings.cosine_weight * nearest

    def match(self, question: str, *, language: str | None = None, limit: int = 5) -> Match:
        """The entries for a question, best first, with a calibrated confidence.

        language: the question's, if known; BM25 tokenises the question for every language of
        the index and the embeddings are multilingual, so it is not needed to match.
        """
        if not self.entries or self.model is None or not question.strip():
            return Match(candidates=(), confidence=0.0)
        with embeddings.one_blas_thread():
            vector = self.head.encode(embeddings.pooled([question]))[0]
        scores = self.fused(self.model, vector, self.lexical.scores(question))
        return self.to_match(scores, limit)

    def to_match(self, scores: np.ndarray, limit: int) -> Match:
        confidence = float(self.platt.probability(features(scores))[0])
        # Each other candidate: the best's confidence times its softmax share relative to it.
        shares = classifier.softmax(scores / self.settings.temperature)
        order = np.argsort(-scores, kind="stable")[: max(limit, 1)]
        top_share = float(shares[order[0]])
        candidates = tuple(
            Candidate(
                key=self.entries[i].key,
                score=float(scores[i]),
                confidence=confidence * float(shares[i]) / top_share,
            )
            for i in order
        )
        return Match(candidates=candidates, confidence=confidence)

    # Calibration.
    def calibrate(self) -> tuple[Platt, float | None]:
        """Platt fit and threshold from cross-validation on the phrasings (calibration.py)."""
        feats, right, out = self.cross_validate()
        if len(feats) == 0:
            return Platt(weights=np.zeros(1), bias=0.0), None
        # Out-of-scope questions weigh as `out_of_scope_share` of the traffic.
        share = self.settings.out_of_scope_share
        weights = np.ones(len(feats))
        if out.any() and (~out).any():
            weights[out] = share / (1 - share) * (~out).sum() / out.sum()
        platt = fit_platt(feats, right, weights=weights)
        self.calibration = (feats, right, out)  # kept for inspection (not saved)
        # The threshold keeps `keep_right` of the held-out questions the model got right.
        kept = feats[right]
        if len(kept) == 0:
            return platt, None
        cut = np.quantile(kept[:, 0], 1 - self.settings.keep_right)
        return platt, float(platt.probability(np.array([[cut]]))[0])

    def cross_validate(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Features of held-out phrasings, whether the best entry was right, whether left out.

        Past `calibration_entries` entries, the cross-validation runs on a fixed sample of them,
        so that building a large index costs one more fit of that size per fold, not of all.
        Each fold fine-tunes its own head on its training rows: held-out phrasings stay unseen.
        """
        entries = len(self.entries)
        classes = np.arange(entries)
        if entries > self.settings.calibration_entries:
            rng = np.random.default_rng(0)
            classes = np.sort(rng.choice(entries, self.settings.calibration_entries, replace=False))
        sampled = np.zeros(entries, dtype=bool)
        sampled[classes] = True
        rows = np.flatnonzero(sampled[self.owners])
        local_owners = np.searchsorted(classes, self.owners[rows])
        rows_feats: list[np.ndarray] = []
        rights: list[bool] = []
        outs: list[bool] = []
        for fold in folds(local_owners, len(classes), count=self.settings.folds):
            if len(fold.train) == 0:
                continue
            train = rows[fold.train]
            vectors = self.tune(train).encode(self.pooled)
            model = self.fit(train, classes, vectors)
            known = np.zeros(entries, dtype=bool)
            known[self.owners[train]] = True
            candidates = classes[known[classes]]
            for group, is_out in ((rows[fold.held_in], False), (rows[fold.held_out], True)):
                for row in group:
                    scores = self.fused(
                        model,
                        vectors[row],
                        self.lexical.scores(self.texts[row]),
                        train,
                        classes,
                        vectors,
                    )[known[classes]]
                    best = int(candidates[int(np.argmax(scores))])
                    rows_feats.append(features(scores)[0])
                    rights.append(not is_out and best == int(self.owners[row]))
                    outs.append(is_out)
        if not rows_feats:
            return np.zeros((0, 1)), np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
        return np.stack(rows_feats), np.asarray(rights), np.asarray(outs)

    # Caching a built index (embedding, fine-tuning and fitting are the slow parts).
    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        state = (
            self.entries,
            self.settings,
            self.pooled,
            self.head,
            self.model,
            self.platt,
            self.calibrated_threshold,
        )
        pickle.dump(state, buffer)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Index:
        entries, settings, pooled, head, model, platt, threshold = pickle.loads(data)  # noqa: S301 - our own cache files
        return cls(entries, settings, pooled, head, model, platt, threshold)

    def save(self, path: str | Path) -> None:
        Path(path).write_bytes(self.to_bytes())

    @classmethod
    def load(cls, path: str | Path) -> Index:
        return cls.from_bytes(Path(path).read_bytes())
