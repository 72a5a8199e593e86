"""What notifications need of objects owned by other apps, so this app imports none of them."""

from __future__ import annotations

from typing import Protocol


class CaseLike(Protocol):
    """What a notification needs of a case (tierdesk.tickets.models.Case fits)."""

    @property
    def id(self) -> int: ...
    @property
    def subject(self) -> str: ...
    @property
    def severity(self) -> int: ...
    @property
    def account_id(self) -> int: ...
    @property
    def region_id(self) -> int: ...
    @property
    def assignee_id(self) -> int | None: ...
