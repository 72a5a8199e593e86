"""The virtual assistant: FAQ entries, conversations, retrieval, hand-off."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "tierdesk.assistant"
    label = "assistant"
    verbose_name = _("Virtual assistant")
