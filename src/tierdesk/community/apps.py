"""The community forum: categories, threads, replies, votes, moderation."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "tierdesk.community"
    label = "community"
    verbose_name = _("Community")
