"""Escalation: agents move a case up a line; customers ask for it and a supervisor decides."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tierdesk.accounts.entitlements import Capability, account_may, may_self_escalate
from tierdesk.accounts.models import User

from ..choices import EscalationReason, EventKind, Line, Status
from ..models import Case, SelfEscalation
from ..permissions import may_decide_self_escalation, may_escalate_to
from . import notices
from .clocks import clocks_recompute
from .history import event_record
from .workflow import case_lock

LINE_ORDER = (Line.L1, Line.L2, Line.ENGINEERING)


def _move_line(case: Case, line: str, *, actor: User | None, at: datetime, reason: str) -> None:
    event_record(
        case=case,
        actor=actor,
        at=at,
        kind=EventKind.ESCALATED,
        before=case.line,
        after=line,
        note=reason,
    )
    case.line = line
    # The case goes back to the new line's queue: whoever held it on the old line lets go.
    case.assignee = None
    case.save()


@transaction.atomic
def case_escalate(
    *, actor: User, case: Case, line: str, reason: str, now: datetime | None = None
) -> Case:
    """Escalate to L2 or engineering with a reason; the case joins that line's queue."""
    now = now or timezone.now()
    case = case_lock(case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case is escalated.")})
    if line not in Line.values:
        raise ValidationError({"line": _("Unknown support line.")})
    if not may_escalate_to(actor, case, line):
        if line == Line.ENGINEERING and not account_may(
            case.account, Capability.ENGINEERING_ESCALATION
        ):
            raise ValidationError(
                {"line": _("This account's plan does not include technical intervention.")}
            )
        raise PermissionDenied(_("You may not escalate this case to that line."))
    _move_line(case, line, actor=actor, at=now, reason=reason)
    clocks_recompute(case=case, now=now)
    return case


def next_line(case: Case) -> str | None:
    """The line above the case's, if the account's plan reaches it."""
    index = LINE_ORDER.index(Line(case.line))
    if index + 1 >= len(LINE_ORDER):
        return None
    line = LINE_ORDER[index + 1]
    if line == Line.ENGINEERING and not account_may(
        case.account, Capability.ENGINEERING_ESCALATION
    ):
        return None
    return line


@transaction.atomic
def self_escalation_request(
    *, actor: User, case: Case, reason: str, details: str = "", now: datetime | None = None
) -> SelfEscalation:
    """A customer asks to escalate a case open for long enough, with one of the seed's reasons."""
    now = now or timezone.now()
    case = case_lock(case)
    if actor.account_id != case.account_id:
        raise PermissionDenied(_("You may not escalate this case."))
    if reason not in EscalationReason.values:
        raise ValidationError({"reason": _("Choose one of the listed reasons.")})
    if not Status.is_active(case.status):
        raise ValidationError({"reason": _("Only an open case can be escalated.")})
    if not may_self_escalate(actor, opened_at=case.created_at, now=now):
        raise PermissionDenied(
            _("Your plan allows escalation of cases open for at least %(h)d hours.")
            % {"h": case.account.license_plan.self_escalation_after_hours}
        )
    if case.self_escalations.filter(decision=SelfEscalation.Decision.PENDING).exists():
        raise ValidationError({"reason": _("An escalation request is already pending.")})
    request = SelfEscalation.objects.create(
        case=case,
        requested_by=actor,
        reason=reason,
        details=(details or "").strip()[:5000],
        requested_at=now,
    )
    event_record(
        case=case, actor=actor, at=now, kind=EventKind.SELF_ESCALATION_REQUESTED, after=reason
    )
    notices.self_escalation_requested(case=case, request=request)
    return request


@transaction.atomic
def self_escalation_decide(
    *,
    actor: User,
    request: SelfEscalation,
    accept: bool,
    reason: str,
    now: datetime | None = None,
) -> SelfEscalation:
    """A supervisor accepts (the case moves up a line) or rejects a request, with a reason."""
    now = now or timezone.now()
    if not may_decide_self_escalation(actor):
        raise PermissionDenied(_("Only supervisors decide escalation requests."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    request = SelfEscalation.objects.select_for_update().get(pk=request.pk)
    if request.decision != SelfEscalation.Decision.PENDING:
        raise ValidationError({"decision": _("This request was already decided.")})
    case = case_lock(request.case)
    request.decision = (
        SelfEscalation.Decision.ACCEPTED if accept else SelfEscalation.Decision.REJECTED
    )
    request.decided_by = actor
    request.decided_at = now
    request.decision_reason = reason
    request.save()
    event_record(
        case=case,
        actor=actor,
        at=now,
        kind=EventKind.SELF_ESCALATION_DECIDED,
        after=request.decision,
        note=reason,
    )
    if accept:
        line = next_line(case)
        if line is not None and Status.is_active(case.status):
            _move_line(case, line, actor=actor, at=now, reason=reason)
            clocks_recompute(case=case, now=now)
    notices.self_escalation_decided(case=case, request=request)
    return request
