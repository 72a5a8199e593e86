"""Every read of cases, scoped to what the asking user may see.

Visibility (product.md): a member sees the cases they opened or are CC'd on; an account admin
sees all of the account's cases; agents see their lines' cases (L1: L1; L2: L1 and L2;
engineers: engineering) plus any case assigned to them; supervisors and staff admins see all.
A case the user may not see answers 404, exactly like a case that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeGuard

from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In
from django.http import Http404

from tierdesk.accounts.models import User, Viewer
from tierdesk.accounts.roles import Role

from ..choices import Line
from ..models import Attachment, Case, Message

LINES_BY_ROLE: dict[str, tuple[str, ...]] = {
    Role.AGENT_L1: (Line.L1,),
    Role.AGENT_L2: (Line.L1, Line.L2),
    Role.ENGINEER: (Line.ENGINEERING,),
}


def is_agent(user: Viewer) -> TypeGuard[User]:
    """Whether the user works cases on the vendor side."""
    return bool(user.is_authenticated and user.is_active and user.account_id is None)


def sees_all_cases(user: Viewer) -> bool:
    """Supervisors and staff admins see every case."""
    return is_agent(user) and user.role in (Role.SUPERVISOR, Role.STAFF_ADMIN)


def visible_cases_q(user: Viewer) -> Q:
    """The filter of the cases this user may see (an empty filter for nobody)."""
    nothing = Q(pk__in=[])
    if not user.is_authenticated or not user.is_active:
        return nothing
    if user.account_id is not None:
        if user.role == Role.ACCOUNT_ADMIN:
            return Q(account_id=user.account_id)
        cc = Case.cc.through.objects.filter(case_id=OuterRef("pk"), user_id=user.pk)
        return Q(account_id=user.account_id) & (Q(requester_id=user.pk) | Q(Exists(cc)))
    if sees_all_cases(user):
        return Q()
    lines = LINES_BY_ROLE.get(user.role, ())
    return Q(line__in=lines) | Q(assignee_id=user.pk)


def visible_cases(user: Viewer) -> QuerySet[Case]:
    """The cases this user may see."""
    return Case.objects.filter(visible_cases_q(user))


def access_case(user: Viewer, case_id: int, *, for_update: bool = False) -> Case:
    """The case if this user may see it; Http404 otherwise (also for other tenants' cases)."""
    queryset = visible_cases(user).select_related(
        "account__license_plan", "account__support_plan", "region", "requester", "assignee"
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No such case.") from None


def visible_messages(user: Viewer, case: Case) -> QuerySet[Message]:
    """The case's messages this user may read: customers never see internal notes."""
    messages = case.messages.select_related("author")
    if not is_agent(user):
        messages = messages.filter(is_public=True)
    return messages


def visible_attachments(user: Viewer, case: Case) -> QuerySet[Attachment]:
    """The case's attachments this user may download."""
    attachments = case.attachments.all()
    if not is_agent(user):
        attachments = attachments.filter(is_public=True)
    return attachments


def access_attachment(user: Viewer, attachment_id: int) -> Attachment:
    """An attachment of a case the user may see (and, for customers, a public one); else 404."""
    attachment = (
        Attachment.objects.filter(pk=attachment_id).select_related("case").first()
        if isinstance(attachment_id, int)
        else None
    )
    if attachment is None:
        raise Http404("No such attachment.")
    case = access_case(user, attachment.case_id)
    if not visible_attachments(user, case).filter(pk=attachment.pk).exists():
        raise Http404("No such attachment.")
    return attachment


@dataclass(frozen=True)
class CaseFilters:
    """Filters of a case list; None means "any"."""

    status: str | None = None
    severity: int | None = None
    search: str | None = None
    mine: bool = False
    active_only: bool = False


def case_list(user: Viewer, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The user's visible cases, filtered, newest first, with what a list row shows."""
    filters = filters or CaseFilters()
    if filters.mine and is_agent(user):
        # An agent sees every case assigned to them (visible_cases_q), so "mine" needs no
        # visibility test: without the OR of lines and assignee the list walks one index
        # (case_list_assignee); with it SQLite may union two indexes at a million cases.
        cases = Case.objects.filter(assignee_id=user.pk)
    else:
        cases = visible_cases(user)
    cases = cases.select_related("account", "requester", "assignee")
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.active_only:
        cases = cases.filter(in_queue=True)
    if filters.severity:
        cases = cases.filter(severity=filters.severity)
    if filters.mine:
        # "Requested by or assigned to me": agents are never requesters (a case is for a
        # customer) and customers never assignees, so one column says it, and the list walks
        # one index (case_list_assignee or case_list_requester) instead of an OR and a sort.
        cases = (
            cases.filter(assignee_id=user.pk)
            if is_agent(user)
            else cases.filter(requester_id=user.pk)
        )
    if filters.search:
        cases = cases.filter(search_q(filters.search))
    return cases.order_by("-created_at", "-pk")


_WORD = re.compile(r"\w+")
MAX_SEARCH_WORDS = 8


def search_q(term: str) -> Q:
    """Cases whose subject or description has every word of `term` (as a word's beginning),
    or the case numbered `term` ("123" or "#123").

    Served by a full-text index (migration 0006), not by reading every case: SQLite's FTS5
    table `tickets_case_search`, PostgreSQL's GIN index on the cases' text vector (the
    'simple' configuration: words as written, any language, no stemming).
    """
    term = term.strip()
    digits = term.lstrip("#")
    if digits.isdigit():
        # A case number, not a word: looking the digits up as a word too found nothing and,
        # on PostgreSQL, read the whole table to learn it (the planner expects many matches).
        return Q(pk=int(digits)) if len(digits) <= 18 else Q(pk__in=[])
    by_number = Q(pk__in=[])
    words = [word.lower() for word in _WORD.findall(term)][:MAX_SEARCH_WORDS]
    if not words:
        return by_number
    if connection.vendor == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        by_words = Q(
            RawSQL(
                # The expression of the index case_search, so that the index serves it.
                "to_tsvector('simple'::regconfig, subject || ' ' || description) "
                "@@ to_tsquery('simple'::regconfig, %s)",
                [query],
                output_field=BooleanField(),
            )
        )
    else:
        match = " ".join(f'"{word}"*' for word in words)
        matches = RawSQL(
            "SELECT rowid FROM tickets_case_search WHERE tickets_case_search MATCH %s", [match]
        )
        if _sqlite_matches_over(match, SEARCH_FEW):
            # A common term: walk the list's index in its order and keep the cases among the
            # matches (a set built once), stopping after a page. The unary + keeps SQLite from
            # reading every match by id and sorting them all, its choice otherwise.
            plus_id = Func(F("pk"), template="+%(expressions)s", output_field=IntegerField())
            by_words = Q(In(plus_id, matches))
        else:
            # A rare term: read its few matches by id and sort them.
            by_words = Q(pk__in=matches)
    return by_number | by_words


# Past this many matches, a search walks the list's index instead of reading every match.
SEARCH_FEW = 1000


def _sqlite_matches_over(match: str, limit: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM tickets_case_search "
            "WHERE tickets_case_search MATCH %s LIMIT %s)",
            [match, limit + 1],
        )
        return bool(cursor.fetchone()[0] > limit)


def queue(user: Viewer, *, line: str, region_id: int | None = None) -> QuerySet[Case]:
    """A support line's queue, in the documented priority order.

    Order: severity (1 first), then the nearest due instant among the running clocks (cases
    without a running clock last), then the account's queue weight (higher first), then age.
    """
    cases = visible_cases(user).filter(line=line, in_queue=True)  # walks case_queue_walk*
    if region_id is not None:
        cases = cases.filter(region_id=region_id)
    return cases.select_related("account", "requester", "assignee", "region").order_by(
        "severity",
        F("next_due_at").asc(nulls_last=True),
        "-queue_weight",
        "created_at",
        "pk",
    )
