"""Complete guides: ordered chapters made of articles, and which chapters a reader has read."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .articles import Article, visibility_field
from .localizing import LocalizedMixin


class Guide(LocalizedMixin, models.Model):
    """A path through several articles, read in order (Setting up single sign-on)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_it = models.CharField(_("title (Italian)"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_it = models.TextField(_("summary (Italian)"), blank=True)
    visibility = visibility_field()
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering: ClassVar = ["position", "slug"]
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    def __str__(self) -> str:
        return self.title_en

    @property
    def title(self) -> str:
        """The title in the active language, English when it has none."""
        return self.localized("title")

    @property
    def summary(self) -> str:
        """The summary in the active language, English when it has none."""
        return self.localized("summary")


class GuideChapter(LocalizedMixin, models.Model):
    """One chapter of a guide: an article, shown in the reader's language."""

    guide = models.ForeignKey(
        Guide, on_delete=models.CASCADE, related_name="chapters", verbose_name=_("guide")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # PROTECT: deleting an article must not silently drop a chapter from a guide.
    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="chapters", verbose_name=_("article")
    )
    title_en = models.CharField(
        _("title (English)"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the article's title."),
    )
    title_it = models.CharField(
        _("title (Italian)"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the article's title."),
    )

    class Meta:
        ordering: ClassVar = ["guide", "position", "pk"]
        verbose_name = _("guide chapter")
        verbose_name_plural = _("guide chapters")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["guide", "article"], name="chapter_article_once"),
        ]

    def __str__(self) -> str:
        return f"{self.guide} · {self.position}"

    @property
    def title_override(self) -> str:
        """The chapter's own title in the active language ('' when the article's is used)."""
        return self.localized("title")


class ChapterRead(models.Model):
    """A signed-in reader has read a chapter (once; the first time is kept)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="chapters_read",
        verbose_name=_("user"),
    )
    chapter = models.ForeignKey(
        GuideChapter, on_delete=models.CASCADE, related_name="reads", verbose_name=_("chapter")
    )
    read_at = models.DateTimeField(_("read"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-read_at"]
        verbose_name = _("chapter read")
        verbose_name_plural = _("chapters read")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "chapter"], name="chapter_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.chapter}"
