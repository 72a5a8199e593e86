"""PURE retrieval for the assistant and the community: embeddings, lexical index, fusion.

No Django import here: the assistant app turns its FAQ entries and articles into `Entry`
values, builds an `Index` once (at start and on change) and asks it `match` per question;
`decide` turns the match into an answer, a clarifying question or a hand-off.
"""

from tierdesk.assistant.retrieval.decision import decide
from tierdesk.assistant.retrieval.index import Index
from tierdesk.assistant.retrieval.types import (
    Candidate,
    Decision,
    Entry,
    Match,
    RetrievalSettings,
)

__all__ = ["Candidate", "Decision", "Entry", "Index", "Match", "RetrievalSettings", "decide"]
