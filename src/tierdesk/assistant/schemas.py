"""The API's shapes for the assistant."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from tierdesk.config.api_types import BodyId, Text

LanguageValue = Literal["en", "it"]


class AskIn(Schema):
    question: Text = Field(..., min_length=1, max_length=500)
    language: LanguageValue | None = Field(None, description="Default: the request's language.")
    conversation: Text | None = Field(
        None, max_length=64, description="The token an earlier answer gave; none: a new one."
    )
    turn: BodyId | None = Field(None, description="With `pick`: the clarifying question's turn.")
    pick: Text | None = Field(
        None, max_length=40, description="The candidate's key chosen after a clarifying question."
    )


class LinkOut(Schema):
    title: str
    url: str


class CandidateOut(Schema):
    key: str
    label: str


class PhoneOut(Schema):
    line: str
    label: str
    numbers: list[str]


class HandoffOut(Schema):
    id: int
    reason: str
    offers: list[str]
    search_results: list[LinkOut]
    community_url: str
    suggested_severity: int
    case_id: int | None
    phone: list[PhoneOut]
    support_pin: str


class AskOut(Schema):
    conversation: str
    turn: int
    decision: Literal["answer", "clarify", "handoff"]
    confidence: float
    answer_markdown: str
    answer_html: str
    citation: LinkOut | None
    more: LinkOut | None
    candidates: list[CandidateOut]
    handoff: HandoffOut | None


class FeedbackIn(Schema):
    conversation: Text = Field(..., max_length=64)
    helpful: bool


class FeedbackOut(Schema):
    turn: int
    helpful: bool | None


class HandoffCaseIn(Schema):
    conversation: Text = Field(..., max_length=64)


class FaqIn(Schema):
    question: Text = Field(..., min_length=1, max_length=300)
    phrasings: list[Text] = Field(default_factory=list, max_length=200)
    answer: Text = Field(..., min_length=1, max_length=20_000)
    article: BodyId | None = None
    language: LanguageValue
    published: bool = True


class FaqPatch(Schema):
    question: Text | None = Field(None, min_length=1, max_length=300)
    phrasings: list[Text] | None = Field(None, max_length=200)
    answer: Text | None = Field(None, min_length=1, max_length=20_000)
    article: BodyId | None = None
    language: LanguageValue | None = None
    published: bool | None = None


class FaqOut(Schema):
    id: int
    question: str
    phrasings: list[str]
    answer: str
    answer_html: str
    article: int | None
    language: str
    published: bool
    updated_at: datetime
