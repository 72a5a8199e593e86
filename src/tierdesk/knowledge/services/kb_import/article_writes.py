"""Writing the articles: new ones in bulk, stored ones only where their files differ."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from tierdesk.accounts.models import User

from ... import kbfiles
from ...kbfiles import FormatError
from ...models import Article
from ..articles import article_create, translation_save
from ..catalogue import (
    NewArticle,
    NewTranslation,
    article_settings_set,
    articles_bulk_create,
    translation_state_set,
)
from .article_plan import ArticleState, PreparedArticle, article_prepare
from .import_files import ArticleFile, article_file_read, owners_by_email
from .import_report import ImportReport, error_text

BATCH = 250


def _note(file: ArticleFile) -> str:
    return _("Imported from %(file)s.") % {"file": file.rel}


def _create_many(
    items: list[PreparedArticle], state: ArticleState, report: ImportReport, actor: User | None
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
            translations=[
                NewTranslation(
                    language=f.language,
                    slug=f.slug,
                    title=f.title,
                    summary=f.summary,
                    body=f.body,
                    status=f.status,
                    published_at=f.published_at,
                    note=_note(f),  # each translation's version names its own file
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
    item: PreparedArticle, state: ArticleState, report: ImportReport, actor: User | None
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


def _update(
    item: PreparedArticle, state: ArticleState, report: ImportReport, actor: User | None
) -> None:
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
    item: PreparedArticle, state: ArticleState, report: ImportReport, actor: User | None
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
    state: ArticleState,
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
    article: Article, file: ArticleFile, state: ArticleState, actor: User | None
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
            note=_note(file),
        )
    assert translation is not None
    if translation_state_set(
        translation=translation, status=file.status, published_at=file.published_at, actor=actor
    ):
        outcome = True if outcome is False else outcome
    state.remember(translation)
    return outcome


def articles_import(
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
            file = article_file_read(root, path)
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
    emails = (f.settings.get("owner", "") for files in groups.values() for f in files)
    owners = owners_by_email(emails)
    for files in groups.values():
        for file in list(files):
            email = file.settings.get("owner")
            if email and email not in owners:
                message = _("unknown owner %(email)r (no user with this e-mail)")
                report.fail(file.rel, message % {"email": email})
                files.remove(file)
                tick(1)
    state = ArticleState()
    by_key: dict[str, Article] = {}
    keys = [key for key, files in groups.items() if files]
    for start in range(0, len(keys), BATCH):
        batch = keys[start : start + BATCH]
        with transaction.atomic():
            new: list[PreparedArticle] = []
            for key in batch:
                files = groups[key]
                try:
                    with transaction.atomic():
                        item = article_prepare(key, files, state, owners, report, actor)
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
                    state = ArticleState()  # the rolled-back writes may be in the cache
                    new = []
            if new:
                by_key.update(_create_many(new, state, report, actor))
        tick(sum(len(groups[key]) for key in batch))
    return by_key
