"""Fields kept once per language (`name_en`, `name_it`): the reader's, or English."""

from __future__ import annotations

from django.utils import translation

FALLBACK_LANGUAGE = "en"


def reader_language(language: str | None = None) -> str:
    """The two-letter language asked for, or the active one (`it-ch` reads as `it`)."""
    code = language or translation.get_language() or FALLBACK_LANGUAGE
    return code.split("-")[0].lower()


def localized(obj: object, field: str, language: str | None = None) -> str:
    """`obj.<field>_<language>` when it is filled, else the English `obj.<field>_en`."""
    value = getattr(obj, f"{field}_{reader_language(language)}", "") or ""
    return value or getattr(obj, f"{field}_{FALLBACK_LANGUAGE}", "") or ""


class LocalizedMixin:
    """`obj.localized("name")` in code; the properties the models add serve templates."""

    def localized(self, field: str, language: str | None = None) -> str:
        """The field in the reader's language, with English as the fallback."""
        return localized(self, field, language)
