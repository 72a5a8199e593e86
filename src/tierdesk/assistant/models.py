"""FAQ entries the staff write, and the conversations visitors and customers have with it."""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import DecisionKind, HandoffReason

MAX_QUESTION = 500


def new_token() -> str:
    """A conversation's unguessable key (the session and the API's clients hold it)."""
    return secrets.token_urlsafe(24)


class FaqEntry(models.Model):
    """A frequent question, the other ways people ask it, and the answer in markdown."""

    question = models.CharField(_("question"), max_length=300)
    phrasings = models.TextField(
        _("known phrasings"),
        blank=True,
        help_text=_("Other ways people ask this question, one a line."),
    )
    answer = models.TextField(_("answer"), help_text=_("Markdown."))
    article = models.ForeignKey(
        "knowledge.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="faq_entries",
        verbose_name=_("linked article"),
        help_text=_("An article that says more; the answer links to it."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    published = models.BooleanField(_("published"), default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Set by services.faq on every change: with the count, the index's version (services.faq_index).
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)

    class Meta:
        ordering: ClassVar = ["language", "question"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self) -> str:
        return f"{self.question} [{self.language}]"

    @property
    def phrasing_list(self) -> list[str]:
        """The known phrasings, one per non-empty line."""
        return [line.strip() for line in self.phrasings.splitlines() if line.strip()]


class Conversation(models.Model):
    """One visitor's or customer's chat, found through their session (or the API's token)."""

    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assistant_conversations",
        verbose_name=_("user"),
    )
    # The user's account when they signed in: the tenant the conversation belongs to.
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assistant_conversations",
        verbose_name=_("account"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("last question"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        verbose_name = _("assistant conversation")
        verbose_name_plural = _("assistant conversations")

    def __str__(self) -> str:
        return f"#{self.pk}"


class Turn(models.Model):
    """A question and what the assistant did with it, with the asker's feedback."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="turns", verbose_name=_("conversation")
    )
    question = models.CharField(_("question"), max_length=MAX_QUESTION)
    decision = models.CharField(_("decision"), max_length=16, choices=DecisionKind.choices)
    handoff_reason = models.CharField(
        _("hand-off reason"), max_length=16, choices=HandoffReason.choices, blank=True
    )
    entry = models.ForeignKey(
        FaqEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="turns",
        verbose_name=_("FAQ entry"),
    )
    article = models.ForeignKey(
        "knowledge.ArticleTranslation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("article"),
    )
    # The index's keys of the two entries a clarifying question offered ("faq:12", "article:7").
    candidates = models.JSONField(_("candidates"), default=list, blank=True)
    confidence = models.FloatField(_("confidence"), default=0.0)
    milliseconds = models.PositiveIntegerField(_("milliseconds"), default=0)
    helpful = models.BooleanField(_("helpful"), null=True, blank=True)
    feedback_at = models.DateTimeField(_("feedback given"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["conversation", "pk"]
        verbose_name = _("assistant turn")
        verbose_name_plural = _("assistant turns")
        indexes: ClassVar = [
            models.Index(fields=["decision", "-created_at"], name="assistant_turn_decision"),
        ]

    def __str__(self) -> str:
        return self.question


class Handoff(models.Model):
    """What the assistant offered when it could not answer, and the case it opened, if any."""

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="handoffs",
        verbose_name=_("conversation"),
    )
    turn = models.OneToOneField(
        Turn, on_delete=models.CASCADE, related_name="handoff", verbose_name=_("turn")
    )
    offers = models.JSONField(_("offers"), default=list)
    # The help center's best hits when it was offered: [{"title", "url"}], at most three.
    results = models.JSONField(_("search results"), default=list, blank=True)
    suggested_severity = models.PositiveSmallIntegerField(_("suggested severity"), default=3)
    case = models.OneToOneField(
        "tickets.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assistant_handoff",
        verbose_name=_("case"),
    )
    created_at = models.DateTimeField(_("offered"), default=timezone.now)
    case_opened_at = models.DateTimeField(_("case opened"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        verbose_name = _("assistant hand-off")
        verbose_name_plural = _("assistant hand-offs")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(suggested_severity__gte=1) & Q(suggested_severity__lte=4),
                name="assistant_handoff_severity_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation} → {self.offers}"
