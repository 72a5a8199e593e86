"""E-mail notifications, sent from a transactional outbox by the worker."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "tierdesk.notifications"
    verbose_name = _("Notifications")
