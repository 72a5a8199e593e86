"""Reads of customers' escalation requests: the one place that says who may see and decide them.

The region rule is written here once and used by the console's pages and by the API alike: a
supervisor decides the requests of cases in their own support region (a supervisor without a
region, and staff admins, decide every region's); nobody else decides any. Another region's
request answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from tierdesk.accounts.models import User
from tierdesk.accounts.roles import Role

from ..models import Case, SelfEscalation
from ..permissions import may_decide_self_escalation
from .cases import visible_cases


def decidable_scope_q(user: User) -> Q:
    """The filter of the requests this user may decide (an empty filter for nobody)."""
    if not may_decide_self_escalation(user):
        return Q(pk__in=[])
    if user.role == Role.STAFF_ADMIN or user.region_id is None:
        return Q()
    return Q(case__region_id=user.region_id)


def decidable_self_escalations(user: User) -> QuerySet[SelfEscalation]:
    """Every request (pending or decided) that this user may decide."""
    return SelfEscalation.objects.filter(decidable_scope_q(user))


def decides_for_case(user: User, case: Case) -> bool:
    """Whether the user decides this case's requests (the same scope: its region's supervisors)."""
    return decidable_self_escalations(user).filter(case=case).exists()


def access_self_escalation(user: User, request_id: int) -> SelfEscalation:
    """A request to decide, with its case; Http404 for one the user has no business with.

    Supervisors and staff admins get only the requests of their scope (`decidable_scope_q`):
    another region's request answers 404, on the console and in the API alike. Anyone else gets
    a request of a case they may see, so that deciding it is refused by the service (403, "only
    supervisors decide"), and any other request answers 404.
    """
    if may_decide_self_escalation(user):
        scope = decidable_scope_q(user)
    else:
        scope = Q(case__in=visible_cases(user))
    try:
        return SelfEscalation.objects.filter(scope).select_related("case").get(pk=request_id)
    except (SelfEscalation.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such escalation request.") from None


def pending_self_escalations(user: User) -> QuerySet[SelfEscalation]:
    """The pending requests the user may decide, oldest first, with what a row shows."""
    return (
        decidable_self_escalations(user)
        .filter(decision=SelfEscalation.Decision.PENDING)
        .select_related("case__account__license_plan", "case__region", "requested_by")
        .order_by("requested_at", "pk")
    )


def recent_self_escalation_decisions(user: User, *, limit: int = 20) -> list[SelfEscalation]:
    """The latest decided requests the user may decide, newest first."""
    return list(
        decidable_self_escalations(user)
        .exclude(decision=SelfEscalation.Decision.PENDING)
        .select_related("case", "decided_by", "requested_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def case_self_escalations(case: Case) -> QuerySet[SelfEscalation]:
    """The escalation requests of a case the caller already may see, newest first."""
    return case.self_escalations.select_related("requested_by", "decided_by").order_by(
        "-requested_at", "-pk"
    )
