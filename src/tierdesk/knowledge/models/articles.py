"""Articles: a language-independent topic, its translations, their versions and feedback."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import TranslationStatus, Visibility
from .localizing import LocalizedMixin

MAX_TITLE = 200
MAX_SUMMARY = 300
MAX_COMMENT = 1000
DEFAULT_REVIEW_INTERVAL_DAYS = 180


def language_field(default: str | None = None) -> models.CharField[str, str]:
    """A language of settings.LANGUAGES (`en`, `it`), optionally with a default."""
    if default is None:
        return models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    return models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=default
    )


def visibility_field(*, db_index: bool = True) -> models.CharField[str, str]:
    """Who may read the row: one of Visibility, public by default."""
    return models.CharField(
        _("visibility"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        db_index=db_index,
    )


class Category(LocalizedMixin, models.Model):
    """A shelf of the help center (Billing, Getting started), named in each language."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_it = models.CharField(_("name (Italian)"), max_length=120, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_it = models.TextField(_("description (Italian)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    icon = models.CharField(
        _("icon"),
        max_length=64,
        blank=True,
        help_text=_("A Bootstrap Icons name listed in assets/icons.txt, e.g. credit-card."),
    )

    class Meta:
        ordering: ClassVar = ["position", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        """The name in the active language, English when it has none."""
        return self.localized("name")

    @property
    def description(self) -> str:
        """The description in the active language, English when it has none."""
        return self.localized("description")


class ArticleTag(models.Model):
    """A label that links related articles across categories (`sso`, `invoices`)."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering: ClassVar = ["slug"]
        verbose_name = _("article tag")
        verbose_name_plural = _("article tags")

    def __str__(self) -> str:
        return self.name


def review_due_expression() -> models.Expression:
    """When an article is next due for review: last review (or creation) plus its interval."""
    since = Coalesce(F("last_reviewed_at"), F("created_at"))
    interval = models.ExpressionWrapper(
        # Wrapped as a plain integer: SQLite's backend multiplies only Integer/Duration fields.
        models.ExpressionWrapper(F("review_interval_days"), output_field=models.IntegerField())
        * models.Value(timedelta(days=1), output_field=models.DurationField()),
        output_field=models.DurationField(),
    )
    return models.ExpressionWrapper(since + interval, output_field=models.DateTimeField())


class Article(models.Model):
    """The topic of an article, whatever its language: where it sits, who may read it, upkeep."""

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("category")
    )
    tags = models.ManyToManyField(
        ArticleTag, blank=True, related_name="articles", verbose_name=_("tags")
    )
    visibility = visibility_field()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_articles",
        verbose_name=_("owner"),
        help_text=_("Who keeps the article correct and reviews it."),
    )
    last_reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    review_interval_days = models.PositiveSmallIntegerField(
        _("review every (days)"),
        default=DEFAULT_REVIEW_INTERVAL_DAYS,
        validators=[MinValueValidator(1)],
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["category__position", "pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(review_interval_days__gte=1), name="article_review_interval_positive"
            ),
        ]

    def __str__(self) -> str:
        titles = getattr(self, "_prefetched_objects_cache", {}).get("translations")
        first = titles[0] if titles else self.translations.order_by("language").first()
        return first.title if first else f"#{self.pk}"

    @property
    def review_due_at(self) -> datetime:
        """The instant the article is next due for review (the list: selectors.reviews)."""
        since = self.last_reviewed_at or self.created_at
        return since + timedelta(days=self.review_interval_days)

    @property
    def due_for_review(self) -> bool:
        """Whether its review is due now."""
        return self.review_due_at <= timezone.now()


class ArticleTranslation(models.Model):
    """One language of an article: what readers read, with its own slug, state and counters."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="translations", verbose_name=_("article")
    )
    language = language_field()
    slug = models.SlugField(_("slug"), max_length=200)
    title = models.CharField(_("title"), max_length=MAX_TITLE)
    summary = models.CharField(
        _("summary"),
        max_length=MAX_SUMMARY,
        blank=True,
        help_text=_("One or two sentences, shown in lists and link previews."),
    )
    body = models.TextField(_("body"), help_text=_("Markdown."))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TranslationStatus.choices,
        default=TranslationStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Set by services.articles.translation_save when the title, summary or body changes; the
    # counters below are written with F() and leave it alone.
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    # Kept equal to the feedback rows by services.feedback.feedback_record (one transaction).
    helpful_count = models.PositiveIntegerField(_("helpful"), default=0)
    unhelpful_count = models.PositiveIntegerField(_("not helpful"), default=0)

    class Meta:
        ordering: ClassVar = ["article", "language"]
        verbose_name = _("article translation")
        verbose_name_plural = _("article translations")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["article", "language"], name="translation_one_per_language"
            ),
            models.UniqueConstraint(fields=["language", "slug"], name="translation_slug_unique"),
            models.CheckConstraint(
                condition=Q(status=TranslationStatus.DRAFT) | Q(published_at__isnull=False),
                name="translation_published_has_date",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["language", "status"], name="translation_lang_status"),
        ]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"

    @property
    def is_published(self) -> bool:
        """Whether readers (by visibility) may see it."""
        return self.status == TranslationStatus.PUBLISHED


class ArticleVersion(models.Model):
    """A saved state of a translation's title and body; history is appended, never rewritten."""

    translation = models.ForeignKey(
        ArticleTranslation,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("translation"),
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=MAX_TITLE)
    body = models.TextField(_("body"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["translation", "-number"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["translation", "number"], name="version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.translation} v{self.number}"


class ArticleFeedback(models.Model):
    """A reader's "was this helpful?": one per signed-in user, or per visitor's session."""

    translation = models.ForeignKey(
        ArticleTranslation,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("translation"),
    )
    helpful = models.BooleanField(_("helpful"))
    comment = models.CharField(_("comment"), max_length=MAX_COMMENT, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # A visitor's session key is never stored: its SHA-256, salted with the translation's id.
    session_hash = models.CharField(_("session"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-updated_at"]
        verbose_name = _("article feedback")
        verbose_name_plural = _("article feedback")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["translation", "user"],
                condition=Q(user__isnull=False),
                name="feedback_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["translation", "session_hash"],
                condition=Q(user__isnull=True) & ~Q(session_hash=""),
                name="feedback_one_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.translation}: {'+' if self.helpful else '-'}"


class SearchMiss(models.Model):
    """A search that found nothing, counted per normalised query and language (content gaps)."""

    query = models.CharField(_("query"), max_length=200)
    language = language_field()
    count = models.PositiveIntegerField(_("count"), default=1)
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-count", "-last_seen_at"]
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["query", "language"], name="search_miss_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.query} [{self.language}]"
