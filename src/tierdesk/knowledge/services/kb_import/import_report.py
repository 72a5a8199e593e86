"""What an import did: counts per kind of item and outcome, and the files that failed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

CREATED, CHANGED, UNCHANGED = "created", "changed", "unchanged"
KINDS = ("categories", "tags", "articles", "guides", "videos")


@dataclass(frozen=True)
class FileError:
    """A file that was not imported, and why (one line)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did, per kind of item: created, changed, left alone; and the bad files."""

    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {kind: Counter() for kind in KINDS}
    )
    errors: list[FileError] = field(default_factory=list)

    def add(self, kind: str, outcome: bool | None) -> None:
        """Count one item: None created, True changed, False left alone."""
        key = CREATED if outcome is None else CHANGED if outcome else UNCHANGED
        self.counts[kind][key] += 1

    def fail(self, path: str, reason: str) -> None:
        self.errors.append(FileError(path, " ".join(str(reason).split())))

    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())

    @property
    def created(self) -> int:
        return self.total(CREATED)

    @property
    def changed(self) -> int:
        return self.total(CHANGED)

    @property
    def unchanged(self) -> int:
        return self.total(UNCHANGED)


def error_text(error: Exception) -> str:
    """One line out of a ValidationError (its messages), a FormatError or a database error."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            parts = [
                f"{name}: {message}" if name != "__all__" else message
                for name, messages in error.message_dict.items()
                for message in messages
            ]
            return "; ".join(parts)
        return "; ".join(error.messages)
    return str(error)
