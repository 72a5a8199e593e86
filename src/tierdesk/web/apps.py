"""Base layout, shared template tags, static files, health and the worker heartbeat."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "tierdesk.web"
    verbose_name = _("Web")
