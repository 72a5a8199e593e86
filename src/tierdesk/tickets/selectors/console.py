"""Reads for the agent console: queues and their counts, a case's page, explanations.

Customers' escalation requests are read through `selectors.escalations` (shared with the API).

Every function is scoped to the asking user through `selectors.visible_cases`; the console is
vendor staff's only: a customer asking for any of it gets 404, like for a case of another tenant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from tierdesk.accounts.entitlements import Capability, account_may
from tierdesk.accounts.models import SupportRegion, User, Viewer
from tierdesk.accounts.roles import Role
from tierdesk.sla.explain import Explanation

from ..choices import Line, Status, TargetKind
from ..models import Attachment, Case, CaseEvent, Message, SlaClock
from ..permissions import may_decide_self_escalation, may_escalate_to
from .cases import LINES_BY_ROLE, access_case, is_agent, queue, sees_all_cases, visible_cases
from .clocks import case_clock_inputs

LINE_ORDER: tuple[str, ...] = (Line.L1, Line.L2, Line.ENGINEERING)
QUEUE_PAGE_SIZE = 25


def access_console(user: Viewer) -> None:
    """Http404 unless the user is vendor staff: the console does not exist for customers."""
    if not is_agent(user):
        raise Http404("No such page.")


def access_escalation_desk(user: Viewer) -> None:
    """Http404 unless the user decides customers' escalation requests (supervisors)."""
    access_console(user)
    if not may_decide_self_escalation(user):
        raise Http404("No such page.")


def console_lines(user: Viewer) -> list[str]:
    """The support lines whose queues the user works, in escalation order (supervisors: all)."""
    if not is_agent(user):
        return []
    if sees_all_cases(user):
        return list(LINE_ORDER)
    allowed = LINES_BY_ROLE.get(user.role, ())
    return [line for line in LINE_ORDER if line in allowed]


def console_regions() -> QuerySet[SupportRegion]:
    """The support regions a queue can be filtered by."""
    return SupportRegion.objects.order_by("name")


def queue_counts(user: Viewer, *, region_id: int | None) -> dict[str, int]:
    """How many active cases wait in each of the user's lines (one query)."""
    lines = console_lines(user)
    cases = visible_cases(user).filter(line__in=lines, in_queue=True)
    if region_id is not None:
        cases = cases.filter(region_id=region_id)
    counted = dict(cases.order_by().values_list("line").annotate(n=Count("pk")))
    return {line: int(counted.get(line, 0)) for line in lines}


def console_queue(user: Viewer, *, line: str, region_id: int | None) -> QuerySet[Case]:
    """A line's queue in the documented priority order, with the clocks its badges need."""
    access_console(user)
    if line not in console_lines(user):
        raise Http404("No such queue.")
    return (
        queue(user, line=line, region_id=region_id)
        .prefetch_related(Prefetch("clocks", queryset=SlaClock.objects.order_by("target")))
        .defer("description")  # a queue row shows none
    )


def console_case(user: Viewer, case_id: int) -> Case:
    """A case for the console's pages (vendor staff who may see it; 404 otherwise)."""
    access_console(user)
    return access_case(user, case_id)


def case_clocks(case: Case) -> list[SlaClock]:
    """The case's stored clock rows (first response first)."""
    return list(case.clocks.order_by("target"))


def case_thread(case: Case) -> QuerySet[Message]:
    """All messages of a case, internal notes included, oldest first, with their files."""
    return case.messages.select_related("author").prefetch_related("attachments")


def case_files(case: Case) -> QuerySet[Attachment]:
    """All files of a case (public and internal)."""
    return case.attachments.select_related("uploaded_by")


def case_history(case: Case) -> QuerySet[CaseEvent]:
    """The case's history, oldest first, with who did each change."""
    return case.events.select_related("actor").order_by("at", "pk")


def assignable_people(case: Case) -> QuerySet[User]:
    """Active vendor staff who may work the case: its line's agents and the supervisors."""
    roles = [role for role, lines in LINES_BY_ROLE.items() if case.line in lines]
    return (
        User.objects.filter(is_active=True, account__isnull=True)
        .filter(Q(role__in=[*roles, Role.SUPERVISOR]) | Q(pk=case.assignee_id or 0))
        .order_by("last_name", "first_name", "email")
    )


@dataclass(frozen=True)
class EscalationOption:
    """A line above the case's: whether the user may escalate there, and why not."""

    line: str
    label: str
    allowed: bool
    why_not: str


def escalation_options(user: Viewer, case: Case) -> list[EscalationOption]:
    """The lines above the case's line, each allowed or refused with a reason to show."""
    from django.utils.translation import gettext as _

    options = []
    above = LINE_ORDER[LINE_ORDER.index(case.line) + 1 :] if case.line in LINE_ORDER else ()
    for line in above:
        allowed = may_escalate_to(user, case, line)
        why_not = ""
        if not allowed:
            if line == Line.ENGINEERING and not account_may(
                case.account, Capability.ENGINEERING_ESCALATION
            ):
                why_not = _(
                    "The account's plan (%(plan)s) does not include technical intervention."
                ) % {"plan": case.account.license_plan}
            elif not Status.is_active(case.status):
                why_not = _("Only an active case can be escalated.")
            else:
                why_not = _("You may not escalate this case.")
        options.append(
            EscalationOption(
                line=line, label=str(Line(line).label), allowed=allowed, why_not=why_not
            )
        )
    return options


def queue_neighbours(user: Viewer, case: Case) -> tuple[int | None, int | None]:
    """The previous and next case of the case's queue (its line and region), for j/k."""
    if case.line not in console_lines(user):
        return None, None
    ids = list(queue(user, line=case.line, region_id=case.region_id).values_list("pk", flat=True))
    if case.pk not in ids:
        return None, None
    index = ids.index(case.pk)
    previous = ids[index - 1] if index > 0 else None
    following = ids[index + 1] if index + 1 < len(ids) else None
    return previous, following


def case_explanation(case: Case, target: str, *, now: datetime) -> Explanation:
    """Why the target's due instant is what it is: the counted intervals, minus pauses.

    From the case's clock inputs (`selectors.clocks`), the ones its clock is computed from: the
    explanation ends at the clock's due instant. Http404 when the case has no such target.
    """
    found = case_clock_inputs(case)
    spec = found.target(target) if target in TargetKind.values else None
    if spec is None:
        raise Http404("No such target.")
    return found.explanation(spec, now=now)
