"""Reads of the customer portal's pages, scoped to what the asking customer may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import User
from tierdesk.assistant import PAGE_URL_NAME as ASSISTANT_PAGE_URL_NAME

from ..choices import EventKind
from ..models import Case, CaseEvent
from .cases import CaseFilters, case_list

# The history a customer sees: the case's public course, never agents' notes or internal moves
# (assignment, tags, merges of other cases into this one).
PUBLIC_EVENT_KINDS = (
    EventKind.CREATED,
    EventKind.STATUS,
    EventKind.SEVERITY,
    EventKind.ESCALATED,
    EventKind.FIRST_RESPONSE,
    EventKind.SELF_ESCALATION_REQUESTED,
    EventKind.SELF_ESCALATION_DECIDED,
)

# Self-service places every plan includes: (URL name, label). All are routed: a wrong name
# fails loudly (NoReverseMatch) instead of dropping its link.
SELF_SERVICE = (
    ("knowledge:index", _("Help center: knowledge base, guides and video tutorials")),
    (ASSISTANT_PAGE_URL_NAME, _("Virtual assistant")),
    ("community:index", _("Community")),
)


@dataclass(frozen=True)
class Link:
    """A link to show on a page."""

    label: str | Promise
    url: str


def portal_cases(viewer: Any, filters: CaseFilters) -> QuerySet[Case]:
    """The viewer's visible cases for the list page, with what a row shows (bounded queries)."""
    # A row shows no description: do not carry up to 50,000 characters per row.
    return (
        case_list(viewer, filters)
        .select_related("region")
        .prefetch_related("clocks")
        .defer("description")
    )


def cc_candidates(viewer: Any) -> QuerySet[User]:
    """Who a customer may CC: the other active users of their own account."""
    if viewer.account_id is None:
        return User.objects.none()
    return (
        User.objects.filter(account_id=viewer.account_id, is_active=True)
        .exclude(pk=viewer.pk)
        .order_by("first_name", "last_name", "email")
    )


def public_history(case: Case) -> QuerySet[CaseEvent]:
    """The events of a case that its customers may see (status, severity, escalation)."""
    return (
        case.events.filter(kind__in=PUBLIC_EVENT_KINDS).select_related("actor").order_by("at", "pk")
    )


def self_service_links() -> list[Link]:
    """Links to the self-service places every plan includes."""
    return [Link(label=label, url=reverse(name)) for name, label in SELF_SERVICE]
