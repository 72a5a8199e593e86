"""Accounts (tenants), plans, entitlements, users, roles and support regions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tierdesk.accounts"
    verbose_name = _("Accounts")
