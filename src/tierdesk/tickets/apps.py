"""Cases: messages, workflow, assignment, escalation and SLA timers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tierdesk.tickets"
    verbose_name = _("Cases")
