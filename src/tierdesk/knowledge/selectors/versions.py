"""A translation's version history, and the difference between two of its versions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from tierdesk.accounts.models import Viewer

from ..models import ArticleTranslation, ArticleVersion
from .access import access_author


def translation_versions(user: Viewer, translation: ArticleTranslation) -> QuerySet[ArticleVersion]:
    """The translation's versions, newest first, with their authors; authors only (else 404)."""
    access_author(user)
    return translation.versions.select_related("author").order_by("-number")


def access_version(user: Viewer, translation: ArticleTranslation, number: int) -> ArticleVersion:
    """One version of the translation; Http404 for a missing one or a reader who is no author."""
    access_author(user)
    try:
        return translation.versions.select_related("author").get(number=number)
    except ArticleVersion.DoesNotExist:
        raise Http404("No such version.") from None


@dataclass(frozen=True)
class DiffLine:
    """One line of a unified diff: its kind (`add`, `remove`, `hunk`, `context`, `file`)."""

    kind: str
    text: str


def version_diff(old: ArticleVersion, new: ArticleVersion, *, context: int = 3) -> list[DiffLine]:
    """The unified diff (difflib) from `old` to `new`, title first as its own line."""
    before = [f"# {old.title}", "", *old.body.splitlines()]
    after = [f"# {new.title}", "", *new.body.splitlines()]
    lines = difflib.unified_diff(
        before,
        after,
        fromfile=f"v{old.number}",
        tofile=f"v{new.number}",
        n=context,
        lineterm="",
    )
    result = []
    for line in lines:
        if line.startswith(("---", "+++")):
            kind = "file"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "remove"
        else:
            kind = "context"
        result.append(DiffLine(kind=kind, text=line))
    return result


def version_diff_text(old: ArticleVersion, new: ArticleVersion) -> str:
    """The same diff as plain text (for the API and the command line)."""
    return "\n".join(line.text for line in version_diff(old, new))
