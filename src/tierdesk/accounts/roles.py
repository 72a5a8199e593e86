"""The roles of product.md and which side (customer or vendor) each belongs to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    ACCOUNT_ADMIN = "account_admin", _("Account admin")
    AGENT_L1 = "agent_l1", _("Agent L1")
    AGENT_L2 = "agent_l2", _("Agent L2")
    ENGINEER = "engineer", _("Engineer")
    SUPERVISOR = "supervisor", _("Supervisor")
    STAFF_ADMIN = "staff_admin", _("Staff admin")


CUSTOMER_ROLES = frozenset({Role.MEMBER, Role.ACCOUNT_ADMIN})
VENDOR_ROLES = frozenset(set(Role) - CUSTOMER_ROLES)
AGENT_ROLES = frozenset({Role.AGENT_L1, Role.AGENT_L2, Role.ENGINEER, Role.SUPERVISOR})
