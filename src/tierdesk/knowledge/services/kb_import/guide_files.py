"""Importing a guide file (guides/<slug>.md): its titles and its chapters by article key."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from tierdesk.accounts.models import User

from ... import kbfiles
from ...choices import Visibility
from ...kbfiles import FormatError
from ...models import Article, ArticleTranslation, Guide
from ..catalogue import ChapterSpec, guide_save
from .import_files import languages_known, slug_claim, visibility_check


def _article_for_key(key: str, by_key: dict[str, Article]) -> Article | None:
    """The article a guide's chapter names: imported now, else a stored one with that slug."""
    if key in by_key:
        return by_key[key]
    for language in ("en", *sorted(languages_known() - {"en"})):
        translation = (
            ArticleTranslation.objects.select_related("article")
            .filter(language=language, slug=key)
            .first()
        )
        if translation is not None:
            return translation.article
    return None


def guide_import(
    root: Path,
    path: Path,
    by_key: dict[str, Article],
    actor: User | None,
    *,
    create_only: bool,
    seen: dict[str, str],
) -> bool | None:
    doc = kbfiles.parse_document(path.read_text(encoding="utf-8"))
    meta = doc.meta
    slug = kbfiles.slug_check(kbfiles.text_field(meta, "slug", default=path.stem))
    slug_claim(slug, path.relative_to(root).as_posix(), seen)
    if create_only and Guide.objects.filter(slug=slug).exists():
        return False
    title = kbfiles.localized_map(meta.get("title"), field="title")
    if not title.get("en"):
        raise FormatError(_("missing title (en)"))
    summary = kbfiles.localized_map(meta.get("summary"), field="summary")
    if doc.body and not summary.get("en"):
        summary["en"] = doc.body
    rows = meta.get("chapters") or []
    if not isinstance(rows, list):
        raise FormatError(_("bad chapters: expected a list of article keys"))
    chapters = []
    used: set[int] = set()
    for n, row in enumerate(rows, start=1):
        if isinstance(row, str):
            row = {"article": row}
        if not isinstance(row, dict):
            raise FormatError(_("bad chapter %(n)d: expected an article key") % {"n": n})
        key = kbfiles.text_field(row, "article", required=True)
        article = _article_for_key(key, by_key)
        if article is None:
            message = _("chapter %(n)d: unknown article key %(key)r")
            raise FormatError(message % {"n": n, "key": key})
        if article.pk in used:
            message = _("chapter %(n)d: article %(key)r is already a chapter")
            raise FormatError(message % {"n": n, "key": key})
        used.add(article.pk)
        titles = kbfiles.localized_map(row.get("title"), field=_("chapter %(n)d title") % {"n": n})
        chapters.append(
            ChapterSpec(
                article=article, title_en=titles.get("en", ""), title_it=titles.get("it", "")
            )
        )
    values = {
        "title_en": title.get("en", ""),
        "title_it": title.get("it", ""),
        "summary_en": summary.get("en", ""),
        "summary_it": summary.get("it", ""),
        "visibility": visibility_check(meta.get("visibility", Visibility.PUBLIC)),
        "position": kbfiles.int_field(meta, "position", default=0),
    }
    _guide, outcome = guide_save(slug=slug, values=values, chapters=chapters, actor=actor)
    return outcome
