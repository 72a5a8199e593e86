"""The help center as files ("docs as code"): the layout and the front-matter format.

Pure: no database. `selectors.kb_export` writes these documents, `services.kb_import` reads them.

    DIR/categories.yaml                         the categories, in order (names per language)
    DIR/tags.yaml                               the article tags (slug and name)
    DIR/articles/<category>/<key>.<lang>.md     one article translation; the folder is its category
    DIR/guides/<slug>.md                        a guide and its ordered chapters (article keys)
    DIR/videos/<slug>/video.md                  a video (also DIR/videos/<name>.md), its media
                                                files and WebVTT transcript beside it

A document is `---`, a YAML mapping, `---`, a blank line and the markdown body. Every file is
UTF-8 with `\\n` line ends; the export is canonical (same database, same bytes), so a help center
kept in git shows real changes only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import yaml
from django.utils.translation import gettext as _

try:  # libyaml's C parser: ten times faster than the pure-Python one on large imports
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

CATEGORIES_FILE = "categories.yaml"
TAGS_FILE = "tags.yaml"
ARTICLES_DIR = "articles"
GUIDES_DIR = "guides"
VIDEOS_DIR = "videos"
VIDEO_FILE = "video.md"

FENCE = "---"
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
# <key>.<lang>.md: the key is any slug, the language two or more lowercase letters.
ARTICLE_NAME_RE = re.compile(r"^(?P<key>[-a-zA-Z0-9_]+)\.(?P<language>[a-z]{2,8})\.md$")


class FormatError(ValueError):
    """A file that cannot be read as a help-center document; the message says why."""


@dataclass(frozen=True)
class Document:
    """A parsed markdown file: its front matter and its body (without the blank line)."""

    meta: dict[str, Any]
    body: str


def normalise_text(text: str) -> str:
    """`\\n` line ends, no leading or trailing blank lines: the form bodies are compared in."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")


def yaml_load(text: str, *, what: str = "YAML") -> Any:
    """The YAML value of a text; FormatError naming the line on a syntax error."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        if mark is not None:
            message = _("bad %(what)s (line %(line)d): %(problem)s")
            raise FormatError(
                message % {"what": what, "line": mark.line + 1, "problem": problem}
            ) from None
        message = _("bad %(what)s: %(problem)s")
        raise FormatError(message % {"what": what, "problem": problem}) from None


def yaml_dump(value: Any) -> str:
    """Block-style YAML, keys in the given order, non-ASCII kept as is."""
    return yaml.dump(
        value,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,  # one line per value: diffs of the files show whole sentences
    )


def parse_document(text: str) -> Document:
    """A markdown file with front matter; FormatError when the front matter is missing or bad."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not text.startswith(FENCE + "\n"):
        raise FormatError(_("bad front matter: the file must start with a '---' line"))
    end = text.find("\n" + FENCE + "\n", len(FENCE))
    if end == -1:
        if text.endswith("\n" + FENCE):
            end = len(text) - len(FENCE) - 1
        else:
            raise FormatError(_("bad front matter: no closing '---' line"))
    meta = yaml_load(text[len(FENCE) + 1 : end + 1], what="front matter")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FormatError(_("bad front matter: it must be a mapping of keys to values"))
    return Document(meta=meta, body=normalise_text(text[end + len(FENCE) + 2 :]))


def render_document(meta: dict[str, Any], body: str) -> str:
    """The canonical text of a document (what `parse_document` reads back to the same values)."""
    body = normalise_text(body)
    head = f"{FENCE}\n{yaml_dump(meta)}{FENCE}\n"
    return f"{head}\n{body}\n" if body else head


def as_datetime(value: Any, *, field: str) -> datetime | None:
    """A front-matter instant: a YAML timestamp, a date (midnight UTC) or an ISO string."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    message = _("bad %(field)s: %(value)r is not a date or an ISO 8601 instant")
    raise FormatError(message % {"field": field, "value": value})


def dump_datetime(value: datetime) -> datetime:
    """An instant as the export writes it: in UTC (YAML writes `2026-05-01 09:00:00+00:00`)."""
    return value.astimezone(UTC)


def localized_map(value: Any, *, field: str) -> dict[str, str]:
    """`{en: ..., it: ...}` (or a plain string, read as English) as a dict of strings."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {"en": value}
    if isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str | None) for k, v in value.items()
    ):
        return {k: v or "" for k, v in value.items()}
    message = _("bad %(field)s: expected a text or a mapping of languages to texts")
    raise FormatError(message % {"field": field})


def dump_localized(values: dict[str, str]) -> dict[str, str]:
    """Only the languages that have a text, English first."""
    return {code: text for code, text in sorted(values.items(), key=_en_first) if text}


def _en_first(item: tuple[str, str]) -> tuple[int, str]:
    return (item[0] != "en", item[0])


def text_field(meta: dict[str, Any], key: str, *, required: bool = False, default: str = "") -> str:
    """A string value of the front matter (numbers are read as text)."""
    value = meta.get(key)
    if value is None:
        if required:
            raise FormatError(_("missing %(field)s") % {"field": key})
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FormatError(_("bad %(field)s: expected a text") % {"field": key})
    return str(value).strip()


def int_field(meta: dict[str, Any], key: str, *, default: int, minimum: int = 0) -> int:
    """A whole number of the front matter, at least `minimum`."""
    value = meta.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        message = _("bad %(field)s: expected a whole number of at least %(minimum)d")
        raise FormatError(message % {"field": key, "minimum": minimum})
    return value


def slug_check(value: str, *, field: str = "slug") -> str:
    """The value if it is a slug (letters, digits, '-' and '_'); else FormatError."""
    if not value or not SLUG_RE.match(value):
        message = _("bad %(field)s: %(value)r is not a slug (letters, digits, - and _)")
        raise FormatError(message % {"field": field, "value": value})
    return value
