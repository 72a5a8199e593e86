"""A path converter for the languages of settings.LANGUAGES (`en`, `it`), and nothing else."""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import register_converter


class LanguageConverter:
    """`<lang:language>`: one of the site's language codes."""

    regex = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)

    def to_python(self, value: str) -> str:
        """The code as it is."""
        return value

    def to_url(self, value: str) -> str:
        """The code as it is."""
        return value


# Registered on import: route modules import LANG from here, so it exists before they use it.
LANG = "lang"
register_converter(LanguageConverter, LANG)
