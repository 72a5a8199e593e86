"""From a match to what the assistant does: answer, ask which one was meant, or hand off."""

from __future__ import annotations

from tierdesk.assistant.retrieval.types import Decision, Match


def decide(match: Match, *, threshold: float, margin: float) -> Decision:
    """Answer with the best entry, ask between the close ones, or hand off.

    - handoff when there is no candidate or the calibrated confidence is below `threshold`
      (keys: the best guesses, for the search results shown with the offer);
    - clarify when the runner-up's confidence is within `margin` of the best one's
      (keys: every candidate within `margin` of the best, at most three, best first);
    - answer otherwise (keys: the best entry).
    """
    if not match.candidates or match.confidence < threshold:
        return Decision(
            kind="handoff",
            keys=tuple(c.key for c in match.candidates[:3]),
            confidence=match.confidence,
        )
    best = match.candidates[0]
    close = tuple(c.key for c in match.candidates[1:3] if best.confidence - c.confidence < margin)
    if close:
        return Decision(kind="clarify", keys=(best.key, *close), confidence=match.confidence)
    return Decision(kind="answer", keys=(best.key,), confidence=match.confidence)
