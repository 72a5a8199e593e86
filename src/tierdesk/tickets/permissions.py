"""Who may do what to a case: pure checks on a user and a case, used by services and pages."""

from __future__ import annotations

from typing import Any

from tierdesk.accounts.entitlements import Capability, account_may, user_may
from tierdesk.accounts.models import Viewer

from .choices import Line, Status
from .models import Case
from .selectors.cases import LINES_BY_ROLE, is_agent, sees_all_cases


def may_open_case(user: Viewer) -> bool:
    """A customer whose plan includes web tickets may open cases."""
    return bool(
        user.is_authenticated and user.account_id and user_may(user, Capability.WEB_TICKETS)
    )


def may_open_case_for(user: Viewer, account: Any) -> bool:
    """An agent may log a case (a phone call, an e-mail) for an account with first-line support."""
    return is_agent(user) and account_may(account, Capability.WEB_TICKETS)


def may_work(user: Viewer, case: Case) -> bool:
    """Agents work the cases of their lines, cases assigned to them, and supervisors all."""
    if not is_agent(user):
        return False
    if sees_all_cases(user) or case.assignee_id == user.pk:
        return True
    return case.line in LINES_BY_ROLE.get(user.role, ())


def may_reply_as_customer(user: Viewer, case: Case) -> bool:
    """The case's customers may reply while it is not closed."""
    return bool(
        user.is_authenticated
        and user.account_id == case.account_id
        and case.status != Status.CLOSED
    )


def may_escalate_to(user: Viewer, case: Case, line: str) -> bool:
    """Escalation moves up one or two lines; engineering needs the plan's technical intervention."""
    if not may_work(user, case) or not Status.is_active(case.status):
        return False
    order: list[str] = [Line.L1, Line.L2, Line.ENGINEERING]
    if line not in order or order.index(line) <= order.index(case.line):
        return False
    if line == Line.ENGINEERING:
        return account_may(case.account, Capability.ENGINEERING_ESCALATION)
    return True


def may_decide_self_escalation(user: Viewer) -> bool:
    """Supervisors (and staff admins) accept or reject customers' escalation requests."""
    return sees_all_cases(user)


def may_assign_others(user: Viewer) -> bool:
    """Supervisors reassign; agents may only claim for themselves."""
    return may_decide_self_escalation(user)
