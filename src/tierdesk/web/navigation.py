"""Navigation entries by role.

One declarative list: each entry names its URL, who sees it and where the layout shows it (the
top bar, or the signed-in user's menu). An entry whose URL does not exist (yet) is skipped, so an
app can list its pages here before they are routed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Viewer
from tierdesk.accounts.roles import AGENT_ROLES, CUSTOMER_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    """One link of the main navigation."""

    label: str
    url: str
    name: str
    menu: str = "main"


Audience = Callable[[Any], bool]


def everyone(user: Viewer) -> bool:
    """Visitors included."""
    return True


def signed_in(user: Viewer) -> bool:
    """Any signed-in user."""
    return bool(user is not None and user.is_authenticated)


def customers(user: Viewer) -> bool:
    """Members and admins of customer accounts."""
    return signed_in(user) and getattr(user, "role", None) in CUSTOMER_ROLES


def account_admins(user: Viewer) -> bool:
    """Admins of customer accounts."""
    return signed_in(user) and getattr(user, "role", None) == Role.ACCOUNT_ADMIN


def agents(user: Viewer) -> bool:
    """Agents, engineers and supervisors."""
    return signed_in(user) and getattr(user, "role", None) in AGENT_ROLES


def vendor_staff(user: Viewer) -> bool:
    """Agents, engineers, supervisors and staff admins: everyone who works the console."""
    return signed_in(user) and getattr(user, "role", None) in AGENT_ROLES | {Role.STAFF_ADMIN}


def supervisors(user: Viewer) -> bool:
    """Supervisors and staff admins."""
    return signed_in(user) and getattr(user, "role", None) in {Role.SUPERVISOR, Role.STAFF_ADMIN}


def phone_agents(user: Viewer) -> bool:
    """Who answers a phone line: agents L1 and L2, supervisors, staff admins (not engineers)."""
    roles = {Role.AGENT_L1, Role.AGENT_L2, Role.SUPERVISOR, Role.STAFF_ADMIN}
    return signed_in(user) and getattr(user, "role", None) in roles


def django_staff(user: Viewer) -> bool:
    """Users with access to the Django admin."""
    return signed_in(user) and bool(getattr(user, "is_staff", False))


MAIN = "main"  # the top bar
USER = "user"  # the signed-in user's menu: their own settings and their account's


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    audience: Audience
    menu: str = MAIN


# In display order. Other apps add their entries here (help center, tickets, queues, ...).
ENTRIES: list[NavEntry] = [
    NavEntry(_("Home"), "home", everyone),
    NavEntry(_("Help center"), "knowledge:index", everyone),
    NavEntry(_("Community"), "community:index", everyone),
    NavEntry(_("My cases"), "tickets:list", customers),
    NavEntry(_("Queues"), "tickets:queues", vendor_staff),
    NavEntry(_("Phone"), "phone:console", phone_agents),
    NavEntry(_("Escalations"), "tickets:escalations", supervisors),
    NavEntry(_("Reports"), "reports:index", supervisors),
    NavEntry(_("Account"), "account", customers, USER),
    NavEntry(_("Account users"), "account-users", account_admins, USER),
    NavEntry(_("Profile"), "profile", signed_in, USER),
    NavEntry(_("API tokens"), "api-tokens", signed_in, USER),
    NavEntry(_("Administration"), "admin:index", django_staff),
]


def navigation_for(user: Viewer) -> list[NavItem]:
    """The links a user sees in the main navigation; anonymous visitors see the public ones."""
    items = []
    for entry in ENTRIES:
        if not entry.audience(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append(NavItem(label=str(entry.label), url=url, name=entry.url_name, menu=entry.menu))
    return items
