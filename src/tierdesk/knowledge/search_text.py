"""The text side of the help center's search: pure functions, no database.

Documents and queries go through the same steps, so that SQLite and PostgreSQL find the same
things: markdown to plain text; words (`\\w+`) case-folded with their accents removed ("Caffè"
and "caffe" are one word); each word stemmed by the Snowball stemmer of the document's language
(snowballstemmer: "invoices" and "invoice", "fatture" and "fattura" are one stem). The stems are
what the full-text indexes hold (SearchEntry.title_terms/body_terms); the plain text is what the
snippets are cut from, with the words whose stems matched in <mark>, everything else escaped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

WORD = re.compile(r"\w+")
# Snowball's algorithm per help-center language; another language is folded, not stemmed.
STEMMERS = {"en": "english", "it": "italian"}
MAX_QUERY_WORDS = 8
# A last word shorter than this is matched whole, not as a prefix (a 1- or 2-letter prefix
# matches most of the index and says little while the reader is still typing).
MIN_PREFIX = 3
SNIPPET_CHARS = 180
# Highlighting looks for the first matching word this far into a text (a title-only match in a
# long article would otherwise read it all); past it the snippet is the text's beginning.
SNIPPET_SCAN = 6000

# Words dropped from a query that has other words ("how to reset my password" looks for
# "reset password"); kept when they are all it has. Documents keep them.
_EN_STOP = (
    "a an and are as at be by can do does for from how i in is it my of on or the this to "
    "what when where which who why with you your"
)
_IT_STOP = (
    "a ad al alla alle come con da dal dalla de dei del della di e ed gli ha i il in la le "
    "lo mi mio nel nella non o per perche che chi cosa si su sul sulla un una uno"
)
STOPWORDS = {"en": frozenset(_EN_STOP.split()), "it": frozenset(_IT_STOP.split())}


class _Combining(dict[int, int | None]):
    """str.translate's table that drops combining marks (accents), filled as characters come:
    a C-level lookup per character instead of a Python call (indexing is mostly this)."""

    def __missing__(self, code: int) -> int | None:
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_DROP_COMBINING = _Combining()


def fold(text: str) -> str:
    """Case-folded, without accents: "Caffè Città" -> "caffe citta"."""
    decomposed = unicodedata.normalize("NFKD", text)
    if not decomposed.isascii():
        decomposed = decomposed.translate(_DROP_COMBINING)
    return decomposed.casefold()


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Any:
    algorithm = STEMMERS.get(language)
    return snowballstemmer.stemmer(algorithm) if algorithm else None


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The stem of one folded word in a language (the word itself without a stemmer)."""
    stemmer = _stemmer(language)
    return str(stemmer.stemWord(word)) if stemmer is not None else word


@lru_cache(maxsize=200_000)
def word_stem(word: str, language: str) -> str:
    """The stem of a word as written in a text (folded first): what highlighting compares."""
    return stem(fold(word), language)


def words(text: str) -> list[str]:
    """The folded words of a text."""
    return WORD.findall(fold(text))


class _Stems(dict[str, str]):
    """One language's word -> stem, filled as words come (a C-level lookup per word of a
    document; lru_cache's two-argument key costs more than the stemming it saves)."""

    LIMIT = 200_000

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def __missing__(self, word: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        value = self[word] = stem(word, self.language)
        return value


_STEMS: dict[str, _Stems] = {}


def terms(text: str, language: str) -> str:
    """What the index holds for a text: its stems, space-separated."""
    stems = _STEMS.get(language)
    if stems is None:
        stems = _STEMS[language] = _Stems(language)
    return " ".join(map(stems.__getitem__, words(text)))


_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def plain_text(markdown: str) -> str:
    """The readable text of markdown, on one line: no markup, links as their words.

    Raw HTML is text here (html=False), so a hostile `<script>` is indexed as the words it has
    and shown escaped, never as markup.
    """
    parts: list[str] = []
    for token in _MARKDOWN.parse(markdown or ""):
        if token.type == "inline":
            for child in token.children or []:
                if child.type in {"text", "code_inline"}:
                    parts.append(child.content)
                elif child.type in {"softbreak", "hardbreak"}:
                    parts.append(" ")
                elif child.type == "image":
                    parts.append(child.content)
            parts.append(" ")
        elif token.type in {"fence", "code_block"}:
            parts.append(token.content)
            parts.append(" ")
    return " ".join("".join(parts).split())


@dataclass(frozen=True)
class Query:
    """A reader's query, made into stems once per language.

    `stems[language]` are the stems to find (all of them); the last is also a prefix when
    the reader is still typing it (`prefixes[language]`). Empty when the query has no word.
    """

    text: str
    stems: dict[str, tuple[str, ...]]
    prefixes: dict[str, bool]

    @property
    def empty(self) -> bool:
        return not any(self.stems.values())

    def matches(self, word_stem: str, language: str) -> bool:
        """Whether a document's stem is one the query asks for (for highlighting)."""
        wanted = self.stems.get(language, ())
        if not wanted:
            return False
        if word_stem in wanted[:-1] or word_stem == wanted[-1]:
            return True
        return self.prefixes.get(language, False) and word_stem.startswith(wanted[-1])


def parse_query(text: str, languages: Iterable[str]) -> Query:
    """The query's stems in each language (stopwords dropped when other words remain)."""
    folded = words(text or "")[:MAX_QUERY_WORDS]
    # The reader is still typing the last word unless a space or punctuation followed it.
    still_typing = bool(folded) and bool(re.search(r"\w$", text or ""))
    prefix = still_typing and len(folded[-1]) >= MIN_PREFIX
    stems: dict[str, tuple[str, ...]] = {}
    prefixes: dict[str, bool] = {}
    for language in languages:
        stop = STOPWORDS.get(language, frozenset())
        kept = [w for w in folded if w not in stop] or folded
        if still_typing and folded and kept and kept[-1] != folded[-1]:
            prefix_here = False  # the last word typed was a stopword: nothing is a prefix
        else:
            prefix_here = prefix
        # The last word's stem is also a prefix while it is being typed ("passwor" finds
        # "password"); a whole word's stem matches itself and its longer forms' stems.
        unique: list[str] = []
        for word in kept:
            s = stem(word, language)
            if s in unique:
                unique.remove(s)
            unique.append(s)
        stems[language] = tuple(unique)
        prefixes[language] = prefix_here
    return Query(text=text or "", stems=stems, prefixes=prefixes)


def highlight(text: str, query: Query, language: str, *, limit: int = SNIPPET_CHARS) -> SafeString:
    """A window of `text` around the query's words, those words in <mark>, the rest escaped.

    The window starts a little before the first matching word (the text's start when none
    matches, e.g. a title-only match) and is about `limit` characters long.
    """
    text = text or ""
    first = None
    for match in WORD.finditer(text, 0, SNIPPET_SCAN):
        if query.matches(word_stem(match.group(), language), language):
            first = match.start()
            break
    start = 0
    if first is not None and first > limit // 3:
        # Back to a word boundary about a third of the window before the first match.
        start = text.rfind(" ", 0, first - limit // 3) + 1
    end = min(len(text), start + limit)
    if end < len(text):
        space = text.rfind(" ", start + limit // 2, end)
        end = space if space > 0 else end
    window = text[start:end]
    out: list[str] = ["…" if start > 0 else ""]
    position = 0
    for match in WORD.finditer(window):
        if query.matches(word_stem(match.group(), language), language):
            out.append(escape(window[position : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
    out.append(escape(window[position:]))
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped
