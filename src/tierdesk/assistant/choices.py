"""The assistant's vocabularies: what it decided, why it handed off, what it offered."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionKind(models.TextChoices):
    ANSWER = "answer", _("Answered")
    CLARIFY = "clarify", _("Asked which one")
    HANDOFF = "handoff", _("Handed off")


class HandoffReason(models.TextChoices):
    UNSURE = "unsure", _("Below the confidence threshold")
    ASKED = "asked", _("Asked for a person")


class Offer(models.TextChoices):
    SEARCH = "search", _("Help-center search")
    COMMUNITY = "community", _("Ask the community")
    CASE = "case", _("Open a case")
    PHONE = "phone", _("Phone support")
