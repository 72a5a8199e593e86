"""The search index: one row per thing a reader can find (SearchEntry), written only by
services.search and read by selectors.search through the full-text index of the database.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .articles import Category, language_field, visibility_field


class SearchKind(models.TextChoices):
    """What a search hit is: the page it opens."""

    ARTICLE = "article", _("Article")
    GUIDE = "guide", _("Guide")
    VIDEO = "video", _("Video")
    TRANSCRIPT = "transcript", _("Video transcript")
    # A community thread (tierdesk.community keeps its entries: services.forum_search).
    THREAD = "thread", _("Community thread")


class SearchEntry(models.Model):
    """One findable thing in one language: a published article translation, a guide, a video,
    or a passage of a video's transcript (opened at `seek_seconds`).

    A copy kept by services.search (search_index_update/search_index_remove) from the rows it
    describes; only what readers may find is here (published things). `visibility` is the
    source's, filtered with selectors.access.visibilities_for, and the page of hits is checked
    again against the access querysets, so a stale row can never show a reader more.

    Full text: SQLite's FTS5 table `knowledge_search` (external content: this table) over
    `title_terms`, `body_terms` and `filters`; PostgreSQL's generated `search_vector` with one
    partial GIN index per language (migrations 0003 and 0005). Both hold the stems of
    search_text.terms, not the raw text.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=SearchKind.choices)
    # The ArticleTranslation's id for an article, else the Guide's or the Video's.
    object_id = models.PositiveIntegerField(_("object"))
    # A transcript passage's number within its video; 0 for everything else.
    part = models.PositiveIntegerField(_("part"), default=0)
    language = language_field()
    # Not indexed: a search filters it on the rows its full-text index found (an index on it,
    # "public" for 60 % of the rows, led PostgreSQL's planner away from the GIN index).
    visibility = visibility_field(db_index=False)
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    slug = models.CharField(_("slug"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    seek_seconds = models.PositiveIntegerField(_("seek to (seconds)"), null=True, blank=True)
    title_terms = models.TextField(_("title terms"), blank=True)
    body_terms = models.TextField(_("text terms"), blank=True)
    # Words that let FTS5 filter inside its own index: "kindarticle langen vispublic cat3".
    filters = models.CharField(_("filters"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    # The multilingual sentence embedding of the title and the text's beginning (512 float16,
    # services.search); null until computed (large batches are embedded by a task).
    embedding = models.BinaryField(_("embedding"), null=True, blank=True, editable=False)

    class Meta:
        ordering: ClassVar = ["kind", "object_id", "part"]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language", "part"], name="search_entry_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.title} [{self.language}]"


class SearchIndexVersion(models.Model):
    """One row whose number grows with every change of the index (services.search): the
    semantic side of the search keeps its matrix per process and reloads it when this moves."""

    number = models.PositiveBigIntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("search index version")
        verbose_name_plural = _("search index versions")

    def __str__(self) -> str:
        return str(self.number)
