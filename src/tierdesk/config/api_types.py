"""Shapes every API router shares: bounded ids and numbers, clean text, one error schema, paging.

Bounds are part of the contract (they appear in openapi.json): an input outside them answers
422 before any query runs, so no value can overflow a database integer (SQLite's and
PostgreSQL's `bigint` keys: at most 2**63-1) or carry what a database refuses to store (a NUL
character, which PostgreSQL rejects, or an unpaired surrogate, which is not UTF-8).

JSON bodies take strict integers and booleans: `"severity": true` or `"severity": "1"` is a 422,
not severity 1. Query, path and form values arrive as text and are read leniently ("5" is 5).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from ninja import Field, Path, Schema
from ninja.pagination import LimitOffsetPagination, PageNumberPagination
from pydantic import AfterValidator, StrictInt

# Every key is a BigAutoField (DEFAULT_AUTO_FIELD): a signed 64-bit integer on both databases.
MAX_ID = 2**63 - 1
# How far a list can be paged: far beyond any real list, far below any integer overflow.
MAX_OFFSET = 2**31 - 1
MAX_PAGE_SIZE = 200


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


# Text a database can store; use it for every string an API reads.
Text = Annotated[str, AfterValidator(_storable)]
# An id in a JSON body (strict: no booleans, no strings).
BodyId = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
# An id read from a query or form (text, read leniently).
LaxId = Annotated[int, Field(ge=1, le=MAX_ID)]
# An id in the path: out of range is 422, like any other bad input.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
# A slug in a path (help-center articles, guides, videos; forum categories).
PathSlug = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]+$", max_length=200)]


class FieldErrorOut(Schema):
    """One reason for a 422: `loc` ends with the field, `msg` says why."""

    loc: list[str | int]
    msg: str
    type: str


class ErrorOut(Schema):
    """Every error answer: a sentence, or (422) the list of fields and reasons."""

    detail: str | list[FieldErrorOut]


def error_responses(*statuses: int) -> dict[int, Any]:
    """`response={...}` entries: each status answered with the one error schema."""
    return dict.fromkeys(statuses, ErrorOut)


# What any operation may answer besides its success: no or a bad credential (401), a role that
# may not or a missing CSRF token (403), an object the caller may not see (404), bad input (422).
READ_ERRORS = error_responses(401, 403, 404, 422)
# Operations that read a body also answer 400 (a body that does not parse) and 413 (too large).
WRITE_ERRORS = error_responses(400, 401, 403, 404, 413, 422)


class LimitOffsetInput(LimitOffsetPagination.Input):
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class Pagination(LimitOffsetPagination):
    """`limit` (1-200, default 50) and `offset`; the answer carries `items` and `count`."""

    # Named apart from other pagination inputs: OpenAPI components are keyed by name.
    Input = LimitOffsetInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)


class PageNumberInput(PageNumberPagination.Input):
    page: int = Field(1, ge=1, le=MAX_OFFSET)
    page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)


class PageNumbers(PageNumberPagination):
    """`page` (from 1) and `page_size` (1-200); the answer carries `items` and `count`."""

    Input = PageNumberInput

    def __init__(self, *, page_size: int = 50, **kwargs: Any) -> None:
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)


class PageRows:
    """A queryset for ninja's paginators: they count and slice it; only the page asked for is
    read, and each of its objects becomes an answer row."""

    def __init__(self, queryset: Any, row: Callable[[Any], dict[str, Any]]) -> None:
        self.queryset = queryset
        self.row = row

    def all(self) -> PageRows:
        return self

    def count(self) -> int:
        return int(self.queryset.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [self.row(found) for found in self.queryset[window]]
