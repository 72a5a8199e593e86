"""Writing articles: creating them, saving translations (each save a version), publishing,
restoring an old version, reviews and view counts.

History is appended, never rewritten: every change of a translation's title or body writes an
ArticleVersion with the next number, and a restore writes a new version equal to the old one.
The translation row is locked while its next version number is taken, so two saves at once get
two numbers rather than one IntegrityError.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tierdesk.accounts.models import User

from ..choices import TranslationStatus, Visibility
from ..models import Article, ArticleTag, ArticleTranslation, ArticleVersion, Category
from ..models.articles import DEFAULT_REVIEW_INTERVAL_DAYS
from .authoring import author_check, language_check
from .search import search_index_update

MAX_BODY = 200_000
SLUG_LENGTH = 200


def _free_slug(language: str, title: str, *, exclude_pk: int | None) -> str:
    """A slug made from the title, numbered when the language already has it."""
    base = slugify(title)[: SLUG_LENGTH - 8].strip("-") or "article"
    taken = ArticleTranslation.objects.filter(language=language)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    candidate, n = base, 1
    while taken.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _version_write(
    translation: ArticleTranslation, *, author: User | None, note: str, at: datetime
) -> ArticleVersion:
    """The translation's next version, equal to its current title and body (row locked)."""
    last = translation.versions.aggregate(last=Max("number"))["last"] or 0
    return ArticleVersion.objects.create(
        translation=translation,
        number=last + 1,
        title=translation.title,
        body=translation.body,
        author=author,
        note=note[:200],
        created_at=at,
    )


def _write(
    *,
    article: Article,
    language: str,
    title: str,
    body: str,
    summary: str | None,
    slug: str | None,
    actor: User | None,
    note: str,
    force_version: bool,
) -> ArticleTranslation:
    """Create or change a translation and version it; the caller holds the transaction."""
    language_check(language)
    title = (title or "").strip()
    if len(body or "") > MAX_BODY:
        raise ValidationError({"body": _("At most %(n)d characters.") % {"n": MAX_BODY}})
    now = timezone.now()
    translation = (
        ArticleTranslation.objects.select_for_update()
        .filter(article=article, language=language)
        .first()
    )
    created = translation is None
    if translation is None:
        translation = ArticleTranslation(article=article, language=language, updated_at=now)
    before = (translation.title, translation.body, translation.summary, translation.slug)
    translation.title = title
    translation.body = body or ""
    if summary is not None:
        translation.summary = summary.strip()
    if slug:
        translation.slug = slug.strip()
    elif not translation.slug:
        translation.slug = _free_slug(language, title, exclude_pk=translation.pk)
    after = (translation.title, translation.body, translation.summary, translation.slug)
    if not created and before == after and not force_version:
        return translation
    taken = ArticleTranslation.objects.filter(language=language, slug=translation.slug)
    if taken.exclude(pk=translation.pk).exists():
        message = _("Another article in this language has the slug %(slug)s.")
        raise ValidationError({"slug": message % {"slug": translation.slug}})
    translation.updated_at = now
    translation.full_clean()
    translation.save()
    content_changed = created or before[:2] != after[:2]
    if content_changed or force_version:
        _version_write(translation, author=actor, note=note, at=now)
    return translation


def article_create(
    *,
    category: Category,
    language: str,
    title: str,
    body: str,
    summary: str = "",
    slug: str | None = None,
    visibility: str = Visibility.PUBLIC,
    tags: Iterable[ArticleTag] = (),
    owner: User | None = None,
    review_interval_days: int = DEFAULT_REVIEW_INTERVAL_DAYS,
    actor: User | None = None,
    publish: bool = False,
    note: str = "",
) -> Article:
    """Create an article with its first translation (version 1), a draft unless `publish`."""
    author_check(actor)
    with transaction.atomic():
        article = Article(
            category=category,
            visibility=visibility,
            owner=owner if owner is not None else actor,
            review_interval_days=review_interval_days,
        )
        article.full_clean()
        article.save()
        article.tags.set(list(tags))
        translation = _write(
            article=article,
            language=language,
            title=title,
            body=body,
            summary=summary,
            slug=slug,
            actor=actor,
            note=note or _("Created."),
            force_version=False,
        )
        if publish:
            _publish(translation, at=translation.updated_at)
        search_index_update(translation=translation)
    return article


def translation_save(
    *,
    article: Article,
    language: str,
    title: str,
    body: str,
    summary: str | None = None,
    slug: str | None = None,
    actor: User | None = None,
    note: str = "",
) -> ArticleTranslation:
    """Create or change one language of an article; a changed title or body writes a version."""
    author_check(actor)
    with transaction.atomic():
        translation = _write(
            article=article,
            language=language,
            title=title,
            body=body,
            summary=summary,
            slug=slug,
            actor=actor,
            note=note,
            force_version=False,
        )
        search_index_update(translation=translation)
        return translation


def _publish(translation: ArticleTranslation, *, at: datetime) -> None:
    translation.status = TranslationStatus.PUBLISHED
    translation.published_at = translation.published_at or at
    translation.save(update_fields=["status", "published_at"])


def translation_publish(
    *, translation: ArticleTranslation, actor: User | None = None, at: datetime | None = None
) -> ArticleTranslation:
    """Publish a translation (readers see it by visibility); the first publication date stays."""
    author_check(actor)
    with transaction.atomic():
        locked = ArticleTranslation.objects.select_for_update().get(pk=translation.pk)
        if locked.status != TranslationStatus.PUBLISHED:
            _publish(locked, at=at or timezone.now())
        search_index_update(translation=locked)
    return locked


def translation_unpublish(
    *, translation: ArticleTranslation, actor: User | None = None
) -> ArticleTranslation:
    """Take a translation back to draft: readers no longer see it, its history stays."""
    author_check(actor)
    with transaction.atomic():
        locked = ArticleTranslation.objects.select_for_update().get(pk=translation.pk)
        if locked.status != TranslationStatus.DRAFT:
            locked.status = TranslationStatus.DRAFT
            locked.save(update_fields=["status"])
        search_index_update(translation=locked)
    return locked


def version_restore(
    *, version: ArticleVersion, actor: User | None = None, note: str = ""
) -> ArticleVersion:
    """Make an old version current again by writing a NEW version equal to it."""
    author_check(actor)
    with transaction.atomic():
        translation = ArticleTranslation.objects.get(pk=version.translation_id)
        _write(
            article=translation.article,
            language=translation.language,
            title=version.title,
            body=version.body,
            summary=None,
            slug=None,
            actor=actor,
            note=note or _("Restored version %(n)d.") % {"n": version.number},
            force_version=True,
        )
        search_index_update(translation=translation)
        return translation.versions.order_by("-number").first()  # type: ignore[return-value]


def article_mark_reviewed(
    *, article: Article, actor: User | None = None, at: datetime | None = None
) -> Article:
    """Record that the article was checked and is still right; its next review is due later."""
    author_check(actor)
    at = at or timezone.now()
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(last_reviewed_at=at)
    article.last_reviewed_at = at
    return article


def translation_view_record(*, translation: ArticleTranslation) -> None:
    """Count one view (F(): concurrent views all count; updated_at is left alone)."""
    ArticleTranslation.objects.filter(pk=translation.pk).update(view_count=F("view_count") + 1)
