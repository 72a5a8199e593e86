"""Reading an import's files: YAML lists, an article file's front matter, checked values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from tierdesk.accounts.models import User

from ... import kbfiles
from ...choices import TranslationStatus, Visibility
from ...kbfiles import FormatError
from ...models.articles import DEFAULT_REVIEW_INTERVAL_DAYS
from .import_report import ImportReport, error_text


def languages_known() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def visibility_check(value: Any) -> str:
    if value not in Visibility.values:
        choices = ", ".join(Visibility.values)
        message = _("bad visibility %(value)r (one of %(choices)s)")
        raise FormatError(message % {"value": value, "choices": choices})
    return str(value)


def yaml_list_read(root: Path, name: str, report: ImportReport) -> list[Any]:
    path = root / name
    if not path.is_file():
        return []
    try:
        data = kbfiles.yaml_load(path.read_text(encoding="utf-8"), what=name)
    except (OSError, UnicodeDecodeError, FormatError) as error:
        report.fail(name, error_text(error) if isinstance(error, FormatError) else str(error))
        return []
    if data is None:
        return []
    if not isinstance(data, list):
        report.fail(name, _("bad YAML: expected a list"))
        return []
    return data


@dataclass
class ArticleFile:
    """One parsed and checked article translation file."""

    rel: str
    key: str
    folder: str
    language: str
    title: str
    slug: str
    summary: str
    body: str
    status: str
    published_at: datetime | None
    # The article's settings this file states (a translation may leave some to the others).
    settings: dict[str, Any]


def article_file_read(root: Path, path: Path) -> ArticleFile:
    rel = path.relative_to(root).as_posix()
    match = kbfiles.ARTICLE_NAME_RE.match(path.name)
    if match is None:
        raise FormatError(_("bad file name: expected <key>.<language>.md"))
    language = match["language"]
    if language not in languages_known():
        raise FormatError(_("unknown language %(code)r") % {"code": language})
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FormatError(_("not UTF-8 text")) from None
    doc = kbfiles.parse_document(text)
    meta = doc.meta
    title = kbfiles.text_field(meta, "title", required=True)
    if not title:
        raise FormatError(_("missing title"))
    slug = kbfiles.slug_check(kbfiles.text_field(meta, "slug", default=match["key"]))
    status = kbfiles.text_field(meta, "status", default=TranslationStatus.PUBLISHED)
    if status not in TranslationStatus.values:
        raise FormatError(_("bad status %(value)r (draft or published)") % {"value": status})
    settings_: dict[str, Any] = {}
    if "visibility" in meta:
        settings_["visibility"] = visibility_check(meta["visibility"])
    if "tags" in meta:
        tags = meta["tags"] or []
        if not isinstance(tags, list):
            raise FormatError(_("bad tags: expected a list of tag slugs"))
        settings_["tags"] = tuple(
            sorted({kbfiles.slug_check(str(tag), field="tag") for tag in tags})
        )
    if "owner" in meta:
        settings_["owner"] = kbfiles.text_field(meta, "owner").lower()
    if "last_reviewed" in meta:
        settings_["last_reviewed"] = kbfiles.as_datetime(
            meta["last_reviewed"], field="last_reviewed"
        )
    if "review_interval_days" in meta:
        settings_["review_interval_days"] = kbfiles.int_field(
            meta, "review_interval_days", default=DEFAULT_REVIEW_INTERVAL_DAYS, minimum=1
        )
    return ArticleFile(
        rel=rel,
        key=match["key"],
        folder=path.parent.name,
        language=language,
        title=title,
        slug=slug,
        summary=kbfiles.text_field(meta, "summary"),
        body=doc.body,
        status=status,
        published_at=kbfiles.as_datetime(meta.get("published"), field="published"),
        settings=settings_,
    )


def owners_by_email(emails: Iterable[str]) -> dict[str, User]:
    """The users with these e-mails, by lower-cased e-mail (one query)."""
    wanted = {email for email in emails if email}
    if not wanted:
        return {}
    users = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=wanted)
    return {user.email.lower(): user for user in users}


def slug_claim(slug: str, rel: str, seen: dict[str, str]) -> None:
    """FormatError when another file of this import already has the slug."""
    other = seen.setdefault(slug, rel)
    if other != rel:
        message = _("duplicate slug %(slug)r (also in %(file)s)")
        raise FormatError(message % {"slug": slug, "file": other})
