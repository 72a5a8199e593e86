"""Phone support: numbers, voice webhooks, the call queue, the call log."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhoneConfig(AppConfig):
    name = "tierdesk.phone"
    label = "phone"
    verbose_name = _("Phone support")
