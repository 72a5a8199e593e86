"""The help center's vocabularies: who may read a thing, and whether a translation is out."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who may read an article, a guide or a video (the rule: selectors.access.visibilities_for)."""

    PUBLIC = "public", _("Everyone")
    SIGNED_IN = "signed_in", _("Signed-in users")
    PAID = "paid", _("Paid plans")
    AGENTS = "agents", _("Vendor staff only")


class TranslationStatus(models.TextChoices):
    """A translation is a draft (authors only) or published (readers, by visibility)."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
