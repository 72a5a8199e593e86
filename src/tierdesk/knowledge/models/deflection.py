"""Deflection: the case form's suggested articles, and whether a case followed.

One row is one visit of the case form in a signed-in customer's session, from the first time
articles were suggested to them until they open a case (which closes the row). It records how
many suggestions were shown, which suggested article was opened first and when, and when a
case was opened. A visit is DEFLECTED when a suggested article was opened and no case was
opened afterwards; the figure counts only visits quiet for a while (selectors.deflection).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .articles import ArticleTranslation


class Deflection(models.Model):
    """A case-form visit that was shown suggested articles."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    # The session key is never stored: its SHA-256.
    session_hash = models.CharField(_("session"), max_length=64)
    started_at = models.DateTimeField(_("first suggestions"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last activity"), default=timezone.now)
    suggestions_shown = models.PositiveIntegerField(_("suggestions shown"), default=0)
    opened = models.ForeignKey(
        ArticleTranslation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("article opened"),
    )
    opened_count = models.PositiveIntegerField(_("articles opened"), default=0)
    opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    case_opened_at = models.DateTimeField(_("case opened"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-started_at"]
        verbose_name = _("case-form deflection")
        verbose_name_plural = _("case-form deflections")
        constraints: ClassVar = [
            # At most one open visit (no case yet) per user and session.
            models.UniqueConstraint(
                fields=["user", "session_hash"],
                condition=Q(case_opened_at__isnull=True),
                name="deflection_one_open_visit",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["started_at"], name="deflection_started")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def deflected(self) -> bool:
        """A suggested article was opened and no case followed."""
        return self.opened_at is not None and self.case_opened_at is None
