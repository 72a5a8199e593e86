"""`tierdesk kb import DIR`: load the help center from files (the format: knowledge.kbfiles).

Idempotent: every item (category, tag, article translation, guide, video) is compared with what
is stored and written only when it differs, through the same services as the pages
(translation_save writes a version only when a title or body changed), so importing the same
folder twice writes nothing the second time. An import adds and changes; it never deletes.

A bad file is reported (its path and one reason) and skipped; everything else is imported. Each
article (all its translations) is written in a savepoint of its own, inside transactions of a few
hundred articles, so a failure rolls back only that file and a large import stays fast.

An article is recognised by the slug of any of its translations: the files `<key>.en.md` and
`<key>.it.md` are one article, and re-importing them finds it again even when one of the slugs
changed. Guides name their chapters by article key.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from tierdesk.accounts.models import User

from .. import kbfiles
from ..choices import TranslationStatus, Visibility
from ..kbfiles import FormatError
from ..models import Article, ArticleTag, ArticleTranslation, Category, Guide, Video
from ..models.articles import DEFAULT_REVIEW_INTERVAL_DAYS
from .articles import article_create, translation_save
from .catalogue import (
    ChapterSpec,
    NewArticle,
    NewTranslation,
    article_settings_set,
    articles_bulk_create,
    category_save,
    guide_save,
    tag_save,
    translation_state_set,
    video_save,
)
from .videos import video_transcript_set, vtt_parse

BATCH = 250
CREATED, CHANGED, UNCHANGED = "created", "changed", "unchanged"
KINDS = ("categories", "tags", "articles", "guides", "videos")
ARTICLE_FIELDS = ("visibility", "tags", "owner", "last_reviewed", "review_interval_days")

Progress = Callable[[int, int], None]


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


def _languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def _visibility(value: Any) -> str:
    if value not in Visibility.values:
        choices = ", ".join(Visibility.values)
        message = _("bad visibility %(value)r (one of %(choices)s)")
        raise FormatError(message % {"value": value, "choices": choices})
    return str(value)


# --- categories and tags -------------------------------------------------------------------


def _read_yaml_list(root: Path, name: str, report: ImportReport) -> list[Any]:
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


def _import_categories(
    root: Path, report: ImportReport, actor: User | None, *, create_only: bool
) -> None:
    rows = _read_yaml_list(root, kbfiles.CATEGORIES_FILE, report)
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        where = _("%(file)s: category %(n)d") % {"file": kbfiles.CATEGORIES_FILE, "n": n}
        try:
            if not isinstance(row, dict):
                raise FormatError(_("expected a mapping"))
            slug = kbfiles.slug_check(kbfiles.text_field(row, "slug", required=True))
            where = f"{kbfiles.CATEGORIES_FILE}: {slug}"
            if slug in seen:
                raise FormatError(_("duplicate slug %(slug)r") % {"slug": slug})
            seen.add(slug)
            name = kbfiles.localized_map(row.get("name"), field="name")
            if not name.get("en"):
                raise FormatError(_("missing name (en)"))
            description = kbfiles.localized_map(row.get("description"), field="description")
            values = {
                "name_en": name.get("en", ""),
                "name_it": name.get("it", ""),
                "description_en": description.get("en", ""),
                "description_it": description.get("it", ""),
                "icon": kbfiles.text_field(row, "icon"),
                "position": kbfiles.int_field(row, "position", default=n),
            }
            if create_only and Category.objects.filter(slug=slug).exists():
                outcome: bool | None = False
            else:
                _category, outcome = category_save(slug=slug, values=values, actor=actor)
        except (FormatError, ValidationError, DatabaseError) as error:
            report.fail(where, error_text(error))
        else:
            report.add("categories", outcome)


def _import_tags(
    root: Path, report: ImportReport, actor: User | None, *, create_only: bool
) -> None:
    for n, row in enumerate(_read_yaml_list(root, kbfiles.TAGS_FILE, report), start=1):
        where = _("%(file)s: tag %(n)d") % {"file": kbfiles.TAGS_FILE, "n": n}
        try:
            if not isinstance(row, dict):
                raise FormatError(_("expected a mapping"))
            slug = kbfiles.slug_check(kbfiles.text_field(row, "slug", required=True))
            where = f"{kbfiles.TAGS_FILE}: {slug}"
            name = kbfiles.text_field(row, "name")
            if create_only and ArticleTag.objects.filter(slug=slug).exists():
                outcome: bool | None = False
            else:
                _tag, outcome = tag_save(slug=slug, name=name, actor=actor)
        except (FormatError, ValidationError, DatabaseError) as error:
            report.fail(where, error_text(error))
        else:
            report.add("tags", outcome)


# --- articles ------------------------------------------------------------------------------


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


def _parse_article(root: Path, path: Path) -> ArticleFile:
    rel = path.relative_to(root).as_posix()
    match = kbfiles.ARTICLE_NAME_RE.match(path.name)
    if match is None:
        raise FormatError(_("bad file name: expected <key>.<language>.md"))
    language = match["language"]
    if language not in _languages():
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
        settings_["visibility"] = _visibility(meta["visibility"])
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


def _owners(emails: Iterable[str]) -> dict[str, User]:
    """The users with these e-mails, by lower-cased e-mail (one query)."""
    wanted = {email for email in emails if email}
    if not wanted:
        return {}
    users = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=wanted)
    return {user.email.lower(): user for user in users}


class _Articles:
    """The state an article import compares against, read once in a few queries."""

    def __init__(self) -> None:
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.tags = {t.slug: t for t in ArticleTag.objects.all()}
        self.by_slug: dict[tuple[str, str], ArticleTranslation] = {}
        self.by_article: dict[int, dict[str, ArticleTranslation]] = defaultdict(dict)
        for translation in ArticleTranslation.objects.select_related("article"):
            self.by_slug[(translation.language, translation.slug)] = translation
            self.by_article[translation.article_id][translation.language] = translation
        self.tag_ids: dict[int, set[int]] = defaultdict(set)
        through = Article.tags.through.objects.values_list("article_id", "articletag_id")
        for article_id, tag_id in through:
            self.tag_ids[article_id].add(tag_id)

    def remember(self, translation: ArticleTranslation) -> None:
        self.by_slug[(translation.language, translation.slug)] = translation
        self.by_article[translation.article_id][translation.language] = translation


def _settings_of(
    files: list[ArticleFile], report: ImportReport
) -> tuple[list[ArticleFile], dict[str, Any]]:
    """The article's settings the files agree on; a file that contradicts the first fails."""
    merged: dict[str, Any] = {}
    source: dict[str, str] = {}
    kept = []
    for file in files:
        clash = next(
            (
                name
                for name, value in file.settings.items()
                if name in merged and merged[name] != value
            ),
            None,
        )
        if clash is not None:
            message = _("%(field)s differs from %(file)s")
            report.fail(file.rel, message % {"field": clash, "file": source[clash]})
            continue
        for name, value in file.settings.items():
            merged.setdefault(name, value)
            source.setdefault(name, file.rel)
        kept.append(file)
    return kept, merged


@dataclass
class _Prepared:
    """An article's files, checked, with the settings they agree on resolved to rows."""

    key: str
    files: list[ArticleFile]
    category: Category
    tags: list[ArticleTag]
    owner: User | None
    visibility: str
    interval: int
    last_reviewed: datetime | None
    article: Article | None


def _prepare(
    key: str,
    files: list[ArticleFile],
    state: _Articles,
    owners: dict[str, User],
    report: ImportReport,
    actor: User | None,
) -> _Prepared | None:
    """Check an article's files together and find the stored article they are (or None)."""
    files = sorted(files, key=lambda f: (f.language != "en", f.language))
    files, merged = _settings_of(files, report)
    if not files:
        return None
    category = state.categories.get(files[0].folder)
    if category is None:
        for file in files:
            message = _("unknown category %(slug)r (not in categories.yaml)")
            report.fail(file.rel, message % {"slug": file.folder})
        return None
    found = {
        state.by_slug[(f.language, f.slug)].article_id
        for f in files
        if (f.language, f.slug) in state.by_slug
    }
    if len(found) > 1:
        for file in files:
            report.fail(file.rel, _("its translations' slugs belong to different articles"))
        return None
    article = None
    if found:
        (article_id,) = found
        article = next(iter(state.by_article[article_id].values())).article
    tags = []
    for slug in merged.get("tags", ()):
        tag = state.tags.get(slug)
        if tag is None:
            tag, _created = tag_save(slug=slug, name=slug, actor=actor)
            state.tags[slug] = tag
        tags.append(tag)
    return _Prepared(
        key=key,
        files=files,
        category=category,
        tags=tags,
        owner=owners.get(merged.get("owner") or ""),
        visibility=merged.get("visibility", Visibility.PUBLIC),
        interval=merged.get("review_interval_days", DEFAULT_REVIEW_INTERVAL_DAYS),
        last_reviewed=merged.get("last_reviewed"),
        article=article,
    )


def _note(file: ArticleFile) -> str:
    return _("Imported from %(file)s.") % {"file": file.rel}


def _create_many(
    items: list[_Prepared], state: _Articles, report: ImportReport, actor: User | None
) -> dict[str, Article]:
    """New articles in a few multi-row INSERTs; one by one (each file its error) on failure."""
    specs = [
        NewArticle(
            category=item.category,
            visibility=item.visibility,
            tags=item.tags,
            owner=item.owner,
            review_interval_days=item.interval,
            last_reviewed_at=item.last_reviewed,
            note=_note(item.files[0]),
            translations=[
                NewTranslation(
                    language=f.language,
                    slug=f.slug,
                    title=f.title,
                    summary=f.summary,
                    body=f.body,
                    status=f.status,
                    published_at=f.published_at,
                )
                for f in item.files
            ],
        )
        for item in items
    ]
    made: dict[str, Article] = {}
    try:
        with transaction.atomic():
            created = articles_bulk_create(items=specs, actor=actor)
    except (ValidationError, DatabaseError):
        for item in items:
            article = _create_one(item, state, report, actor)
            if article is not None:
                made[item.key] = article
        return made
    for item, (article, translations) in zip(items, created, strict=True):
        for translation in translations:
            translation.article = article
            state.remember(translation)
            report.add("articles", None)
        state.tag_ids[article.pk] = {tag.pk for tag in item.tags}
        made[item.key] = article
    return made


def _create_one(
    item: _Prepared, state: _Articles, report: ImportReport, actor: User | None
) -> Article | None:
    """A new article through article_create, then its other translations."""
    first, *others = item.files
    try:
        with transaction.atomic():
            article = article_create(
                category=item.category,
                language=first.language,
                title=first.title,
                body=first.body,
                summary=first.summary,
                slug=first.slug,
                visibility=item.visibility,
                tags=item.tags,
                owner=item.owner,
                review_interval_days=item.interval,
                actor=actor,
                note=_note(first),
            )
            translation = article.translations.get()
            translation_state_set(
                translation=translation,
                status=first.status,
                published_at=first.published_at,
                actor=actor,
            )
            if item.last_reviewed is not None:
                article_settings_set(
                    article=article,
                    category=item.category,
                    visibility=item.visibility,
                    tags=item.tags,
                    owner=item.owner,
                    review_interval_days=item.interval,
                    last_reviewed_at=item.last_reviewed,
                    actor=actor,
                    current_tag_ids={tag.pk for tag in item.tags},
                )
    except (ValidationError, DatabaseError) as error:
        report.fail(first.rel, error_text(error))
        for file in others:
            report.fail(file.rel, _("not imported: %(file)s failed") % {"file": first.rel})
        return None
    state.remember(translation)
    state.tag_ids[article.pk] = {tag.pk for tag in item.tags}
    report.add("articles", None)
    _write_translations(article, others, state, report, actor, changed_settings=False)
    return article


def _update(item: _Prepared, state: _Articles, report: ImportReport, actor: User | None) -> None:
    """A stored article: its settings, then each translation, written only where they differ."""
    article = item.article
    assert article is not None
    try:
        with transaction.atomic():
            changed = article_settings_set(
                article=article,
                category=item.category,
                visibility=item.visibility,
                tags=item.tags,
                owner=item.owner,
                review_interval_days=item.interval,
                last_reviewed_at=item.last_reviewed,
                actor=actor,
                current_tag_ids=state.tag_ids[article.pk],
            )
    except (ValidationError, DatabaseError) as error:
        for file in item.files:
            report.fail(file.rel, error_text(error))
        return
    state.tag_ids[article.pk] = {tag.pk for tag in item.tags}
    _write_translations(article, item.files, state, report, actor, changed_settings=changed)


def _add_missing(
    item: _Prepared, state: _Articles, report: ImportReport, actor: User | None
) -> None:
    """A stored article, create-only: only its missing translations are written."""
    article = item.article
    assert article is not None
    stored = state.by_article[article.pk]
    missing = [file for file in item.files if file.language not in stored]
    for _file in item.files:
        if _file.language in stored:
            report.add("articles", False)
    _write_translations(article, missing, state, report, actor, changed_settings=False)


def _write_translations(
    article: Article,
    files: list[ArticleFile],
    state: _Articles,
    report: ImportReport,
    actor: User | None,
    *,
    changed_settings: bool,
) -> None:
    for n, file in enumerate(files):
        try:
            with transaction.atomic():
                outcome = _import_translation(article, file, state, actor)
        except (ValidationError, DatabaseError) as error:
            report.fail(file.rel, error_text(error))
            continue
        if n == 0 and changed_settings and outcome is False:
            outcome = True  # the article's settings changed: counted on its first file
        report.add("articles", outcome)


def _import_translation(
    article: Article, file: ArticleFile, state: _Articles, actor: User | None
) -> bool | None:
    current = state.by_article[article.pk].get(file.language)
    outcome: bool | None
    if current is None:
        outcome = None
        body = file.body
    else:
        same_body = kbfiles.normalise_text(current.body) == file.body
        body = current.body if same_body else file.body
        outcome = not (
            same_body
            and current.title == file.title
            and current.summary == file.summary
            and current.slug == file.slug
        )
    translation = current
    if outcome is not False:
        translation = translation_save(
            article=article,
            language=file.language,
            title=file.title,
            body=body,
            summary=file.summary,
            slug=file.slug,
            actor=actor,
            note=_("Imported from %(file)s.") % {"file": file.rel},
        )
    assert translation is not None
    if translation_state_set(
        translation=translation, status=file.status, published_at=file.published_at, actor=actor
    ):
        outcome = True if outcome is False else outcome
    state.remember(translation)
    return outcome


def _import_articles(
    root: Path,
    paths: list[Path],
    report: ImportReport,
    actor: User | None,
    tick: Callable[[int], None],
    *,
    create_only: bool,
) -> dict[str, Article]:
    """Every article file; answers the articles by key (for the guides)."""
    groups: dict[str, list[ArticleFile]] = defaultdict(list)
    folders: dict[str, str] = {}
    seen_slugs: dict[tuple[str, str], str] = {}
    for path in paths:
        rel = path.relative_to(root).as_posix()
        try:
            if path.parent.parent != root / kbfiles.ARTICLES_DIR:
                raise FormatError(_("not in a category folder (articles/<category>/<file>)"))
            file = _parse_article(root, path)
            folder = folders.setdefault(file.key, file.folder)
            if folder != file.folder:
                message = _("duplicate key %(key)r (also in articles/%(folder)s/)")
                raise FormatError(message % {"key": file.key, "folder": folder})
            other = seen_slugs.setdefault((file.language, file.slug), rel)
            if other != rel:
                message = _("duplicate slug %(slug)r (also in %(file)s)")
                raise FormatError(message % {"slug": file.slug, "file": other})
        except (FormatError, OSError) as error:
            report.fail(rel, error_text(error) if isinstance(error, FormatError) else str(error))
            tick(1)
            continue
        groups[file.key].append(file)
    owners = _owners(f.settings.get("owner", "") for files in groups.values() for f in files)
    for files in groups.values():
        for file in list(files):
            email = file.settings.get("owner")
            if email and email not in owners:
                message = _("unknown owner %(email)r (no user with this e-mail)")
                report.fail(file.rel, message % {"email": email})
                files.remove(file)
                tick(1)
    state = _Articles()
    by_key: dict[str, Article] = {}
    keys = [key for key, files in groups.items() if files]
    for start in range(0, len(keys), BATCH):
        batch = keys[start : start + BATCH]
        with transaction.atomic():
            new: list[_Prepared] = []
            for key in batch:
                files = groups[key]
                try:
                    with transaction.atomic():
                        item = _prepare(key, files, state, owners, report, actor)
                        if item is not None and item.article is not None:
                            if create_only:
                                _add_missing(item, state, report, actor)
                            else:
                                _update(item, state, report, actor)
                            by_key[key] = item.article
                        elif item is not None:
                            new.append(item)
                except (ValidationError, DatabaseError) as error:
                    for file in files:
                        report.fail(file.rel, error_text(error))
                    state = _Articles()  # the rolled-back writes may be in the cache
                    new = []
            if new:
                by_key.update(_create_many(new, state, report, actor))
        tick(sum(len(groups[key]) for key in batch))
    return by_key


# --- guides and videos ---------------------------------------------------------------------


def _article_for_key(key: str, by_key: dict[str, Article]) -> Article | None:
    """The article a guide's chapter names: imported now, else a stored one with that slug."""
    if key in by_key:
        return by_key[key]
    for language in ("en", *sorted(_languages() - {"en"})):
        translation = (
            ArticleTranslation.objects.select_related("article")
            .filter(language=language, slug=key)
            .first()
        )
        if translation is not None:
            return translation.article
    return None


def _import_guide(
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
    _claim(slug, path.relative_to(root).as_posix(), seen)
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
        "visibility": _visibility(meta.get("visibility", Visibility.PUBLIC)),
        "position": kbfiles.int_field(meta, "position", default=0),
    }
    _guide, outcome = guide_save(slug=slug, values=values, chapters=chapters, actor=actor)
    return outcome


def _media(folder: Path, meta: dict[str, Any], key: str) -> Path | None:
    name = kbfiles.text_field(meta, key)
    if not name:
        return None
    path = (folder / name).resolve()
    if path.parent != folder.resolve():
        message = _("bad %(field)s: %(name)r must be a file beside the video's markdown")
        raise FormatError(message % {"field": key, "name": name})
    if not path.is_file():
        raise FormatError(_("missing %(field)s %(name)r") % {"field": key, "name": name})
    return path


def _claim(slug: str, rel: str, seen: dict[str, str]) -> None:
    """FormatError when another file of this import already has the slug."""
    other = seen.setdefault(slug, rel)
    if other != rel:
        message = _("duplicate slug %(slug)r (also in %(file)s)")
        raise FormatError(message % {"slug": slug, "file": other})


def _import_video(
    root: Path, path: Path, actor: User | None, *, create_only: bool, seen: dict[str, str]
) -> bool | None:
    doc = kbfiles.parse_document(path.read_text(encoding="utf-8"))
    meta = doc.meta
    own_folder = path.name == kbfiles.VIDEO_FILE
    folder = path.parent
    default_slug = folder.name if own_folder else path.stem
    slug = kbfiles.slug_check(kbfiles.text_field(meta, "slug", default=default_slug))
    _claim(slug, path.relative_to(root).as_posix(), seen)
    if create_only and Video.objects.filter(slug=slug).exists():
        return False
    title = kbfiles.text_field(meta, "title", required=True)
    language = kbfiles.text_field(meta, "language", default="en")
    if language not in _languages():
        raise FormatError(_("unknown language %(code)r") % {"code": language})
    published = meta.get("published", True)
    if not isinstance(published, bool):
        raise FormatError(_("bad published: expected true or false"))
    file = _media(folder, meta, "file")
    poster = _media(folder, meta, "poster")
    external_url = kbfiles.text_field(meta, "external_url")
    if (file is None) == (not external_url):
        raise FormatError(_("give either a video file or an external_url, not both"))
    transcript = _media(folder, meta, "transcript")
    if transcript is None and own_folder and (folder / "transcript.vtt").is_file():
        transcript = folder / "transcript.vtt"
    vtt = transcript.read_text(encoding="utf-8").replace("\r\n", "\n") if transcript else ""
    if vtt.strip():
        try:
            vtt_parse(vtt)
        except ValidationError as error:
            raise FormatError(
                _("bad VTT: %(reason)s")
                % {"reason": error_text(error).removeprefix("transcript_vtt: ")}
            ) from None
    rows = meta.get("chapters") or []
    if not isinstance(rows, list):
        raise FormatError(_("bad chapters: expected a list of {start, title}"))
    chapters = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise FormatError(_("bad chapter %(n)d: expected start and title") % {"n": n})
        chapters.append(
            (
                kbfiles.int_field(row, "start", default=0),
                kbfiles.text_field(row, "title", required=True),
            )
        )
    if len({start for start, _title in chapters}) != len(chapters):
        raise FormatError(_("two chapters start at the same second"))
    values = {
        "language": language,
        "title": title,
        "description": doc.body or kbfiles.text_field(meta, "description"),
        "visibility": _visibility(meta.get("visibility", Visibility.PUBLIC)),
        "external_url": external_url,
        "duration_seconds": kbfiles.int_field(meta, "duration_seconds", default=0),
        "published": published,
    }
    with transaction.atomic():
        video, outcome = video_save(
            slug=slug, values=values, chapters=chapters, file=file, poster=poster, actor=actor
        )
        stored = Video.objects.values_list("transcript_vtt", flat=True).get(pk=video.pk)
        if stored != vtt:
            video_transcript_set(video=video, vtt=vtt, actor=actor)
            if outcome is False:
                outcome = True
    return outcome


# --- the whole import ----------------------------------------------------------------------


def kb_import_paths(root: Path) -> dict[str, list[Path]]:
    """The files an import of `root` reads, by kind, in a fixed order."""
    articles = root / kbfiles.ARTICLES_DIR
    videos = root / kbfiles.VIDEOS_DIR
    return {
        "articles": sorted(p for p in articles.rglob("*.md") if p.is_file()),
        "guides": sorted((root / kbfiles.GUIDES_DIR).glob("*.md")),
        "videos": sorted([*videos.glob(f"*/{kbfiles.VIDEO_FILE}"), *videos.glob("*.md")]),
    }


def kb_import(
    *,
    root: Path,
    actor: User | None = None,
    progress: Progress | None = None,
    create_only: bool = False,
) -> ImportReport:
    """Import the help center from `root`; answers what was created, changed, left alone and
    which files failed (each with its reason). `progress(done, total)` follows the files.

    `create_only` adds what is missing and leaves every stored item as it is, even where its
    file differs (the demo: people may have edited the demo articles since it was loaded).
    """
    report = ImportReport()
    paths = kb_import_paths(root)
    total = 2 + sum(len(p) for p in paths.values())
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    tick(0)
    _import_categories(root, report, actor, create_only=create_only)
    tick(1)
    _import_tags(root, report, actor, create_only=create_only)
    tick(1)
    by_key = _import_articles(root, paths["articles"], report, actor, tick, create_only=create_only)
    guides_seen: dict[str, str] = {}
    videos_seen: dict[str, str] = {}
    for kind, importer in (
        (
            "guides",
            lambda p: _import_guide(
                root, p, by_key, actor, create_only=create_only, seen=guides_seen
            ),
        ),
        (
            "videos",
            lambda p: _import_video(root, p, actor, create_only=create_only, seen=videos_seen),
        ),
    ):
        for path in paths[kind]:
            rel = path.relative_to(root).as_posix()
            try:
                with transaction.atomic():
                    outcome = importer(path)
            except (FormatError, ValidationError, DatabaseError, UnicodeDecodeError) as error:
                report.fail(rel, error_text(error))
            except OSError as error:
                report.fail(rel, error.strerror or str(error))
            else:
                report.add(kind, outcome)
            tick(1)
    return report
