"""The help center's API shapes (knowledge.api): what readers get and what authors send."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from tierdesk.config.api_types import Text

from .models.articles import MAX_SUMMARY, MAX_TITLE

# The site's languages (settings.LANGUAGES); a test keeps the two equal.
LanguageValue = Literal["en", "it"]
VisibilityValue = Literal["public", "signed_in", "paid", "agents"]
StatusValue = Literal["draft", "published"]
SearchKindValue = Literal["article", "guide", "video", "transcript", "thread"]
MAX_BODY = 200_000


class CategoryOut(Schema):
    slug: str
    name: str = Field(description="In the language asked for, English when it has none.")
    description: str
    icon: str = Field(description="A Bootstrap Icons name ('' for none).")
    article_count: int = Field(description="The articles in it that the caller may read.")
    url: str


class CategoryRef(Schema):
    slug: str
    name: str


class ArticleOut(Schema):
    """One translation of an article, as lists show it."""

    id: int = Field(description="The article's id (shared by its translations).")
    language: LanguageValue
    slug: str
    title: str
    summary: str
    status: StatusValue
    visibility: VisibilityValue
    category: CategoryRef
    tags: list[str]
    published_at: datetime | None
    updated_at: datetime
    view_count: int
    url: str = Field(description="The reader's page of this translation.")


class AlternateOut(Schema):
    language: LanguageValue
    slug: str
    title: str
    url: str


class ArticleDetailOut(ArticleOut):
    body_markdown: str
    body_html: str = Field(description="The body rendered and sanitised (as the page shows it).")
    alternates: list[AlternateOut] = Field(
        description="The article's other languages the caller may read."
    )


class ArticleIn(Schema):
    """A new article and its first translation (staff)."""

    category: Text = Field(max_length=80, description="The category's slug.")
    language: LanguageValue
    title: Text = Field(min_length=1, max_length=MAX_TITLE)
    body: Text = Field(max_length=MAX_BODY, description="Markdown.")
    summary: Text = Field("", max_length=MAX_SUMMARY)
    slug: Text | None = Field(None, max_length=200, description="Made from the title if empty.")
    visibility: VisibilityValue = "public"
    tags: list[Text] = Field(default_factory=list, max_length=50, description="Tag slugs.")
    publish: bool = False
    note: Text = Field("", max_length=200, description="Kept with the version.")


class TranslationIn(Schema):
    """A translation's new text (staff); a changed title or body writes a version."""

    title: Text = Field(min_length=1, max_length=MAX_TITLE)
    body: Text = Field(max_length=MAX_BODY, description="Markdown.")
    summary: Text | None = Field(None, max_length=MAX_SUMMARY, description="Null: unchanged.")
    slug: Text | None = Field(None, max_length=200, description="Null: unchanged (or made).")
    note: Text = Field("", max_length=200, description="Kept with the version.")


class ChapterOut(Schema):
    number: int
    title: str
    article: AlternateOut


class GuideOut(Schema):
    slug: str
    title: str
    summary: str
    visibility: VisibilityValue
    chapter_count: int = Field(description="The chapters the caller may read.")
    url: str


class GuideDetailOut(GuideOut):
    chapters: list[ChapterOut]


class VideoChapterOut(Schema):
    start_seconds: int
    title: str


class CueOut(Schema):
    start_ms: int
    end_ms: int
    text: str


class VideoOut(Schema):
    slug: str
    language: LanguageValue
    title: str
    visibility: VisibilityValue
    duration_seconds: int
    external_url: str
    url: str


class VideoDetailOut(VideoOut):
    description_markdown: str
    description_html: str
    chapters: list[VideoChapterOut]
    transcript: list[CueOut]


class SearchHitOut(Schema):
    kind: SearchKindValue
    title: str
    url: str
    snippet_html: str = Field(description="Sanitised HTML with the matches in <mark>.")
    language: str
    category: str | None
    score: float
    seek_seconds: int | None = Field(description="For a transcript line: where to start.")


class SearchOut(Schema):
    total: int = Field(description="The hits the filters keep (page on with offset).")
    items: list[SearchHitOut]
