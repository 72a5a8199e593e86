"""Opening cases, replying, and the workflow of statuses.

Every function here is a write at the outer boundary: it opens the transaction, re-reads the case
under a row lock, checks the actor's rights, records history, recomputes the SLA clocks and
writes the notifications, all in one commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tierdesk.accounts.entitlements import queue_weight
from tierdesk.accounts.models import Account, User

from ..choices import Channel, EventKind, Status
from ..models import Case, IdempotencyKey, Message, SlaClock, Tag
from ..permissions import (
    may_open_case,
    may_open_case_for,
    may_reply_as_customer,
    may_work,
)
from . import notices
from .clocks import clocks_recompute
from .history import event_record
from .workflow import case_lock, status_move

MAX_SUBJECT = 200
MAX_BODY = 50_000


def _clean_text(value: str, *, field: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > max_length:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": max_length}})
    return text


def _clean_severity(severity: object) -> int:
    if isinstance(severity, bool) or not isinstance(severity, int) or not 1 <= severity <= 4:
        raise ValidationError({"severity": _("Severity must be 1, 2, 3 or 4.")})
    return severity


def _clean_cc(account: Account, cc: Iterable[User], requester: User) -> list[User]:
    people = []
    for person in cc:
        if person.account_id != account.pk or not person.is_active:
            raise ValidationError(
                {"cc": _("CC'd people must be active users of the same account.")}
            )
        if person.pk != requester.pk:
            people.append(person)
    return people


@dataclass(frozen=True)
class CaseOpened:
    """What opening a case did: the case, whether this call created it, and its clock rows.

    `created` is False when the Idempotency-Key was already used by this actor (a replay, or a
    concurrent request that committed first): `case` is then the first case, read again, and
    `clocks` is empty. The caller decides what a replay may show (the API: what a read shows).
    """

    case: Case
    created: bool
    clocks: list[SlaClock]


def _case_of_key(actor: User, key: str) -> Case | None:
    found = IdempotencyKey.objects.filter(user=actor, key=key).select_related("case").first()
    return found.case if found is not None else None


def case_create(
    *,
    actor: User,
    subject: str,
    description: str,
    severity: int,
    channel: str = Channel.WEB,
    requester: User | None = None,
    cc: Iterable[User] = (),
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """Open a case: by a customer for themselves, or by an agent for a customer (phone, e-mail).

    With an idempotency key, a repeated call by the same actor returns the first case and
    creates nothing, also when the two calls race. See `case_open`.
    """
    return case_open(
        actor=actor,
        subject=subject,
        description=description,
        severity=severity,
        channel=channel,
        requester=requester,
        cc=cc,
        idempotency_key=idempotency_key,
        now=now,
    ).case


def case_open(
    *,
    actor: User,
    subject: str,
    description: str,
    severity: int,
    channel: str = Channel.WEB,
    requester: User | None = None,
    cc: Iterable[User] = (),
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> CaseOpened:
    """Open a case as `case_create` does, saying whether it was created and with its clocks.

    The Idempotency-Key is looked up only when it is already taken: the case and the key are
    written first, and the key's unique constraint refuses a second one. A replay then rolls
    back what it wrote (the whole transaction of `_case_create`) and reads the first case, once;
    a request that races another with the same key waits for it to commit and does the same.
    """
    if idempotency_key and len(idempotency_key) > 200:
        raise ValidationError({"idempotency_key": _("At most 200 characters.")})
    try:
        return _case_create(
            actor=actor,
            subject=subject,
            description=description,
            severity=severity,
            channel=channel,
            requester=requester,
            cc=cc,
            idempotency_key=idempotency_key,
            now=now or timezone.now(),
        )
    except IntegrityError:
        # Everything `_case_create` wrote was rolled back with its transaction (or savepoint).
        first = _case_of_key(actor, idempotency_key) if idempotency_key else None
        if first is None:
            raise  # another constraint than the key's
        return CaseOpened(case=first, created=False, clocks=[])


@transaction.atomic
def _case_create(
    *,
    actor: User,
    subject: str,
    description: str,
    severity: int,
    channel: str,
    requester: User | None,
    cc: Iterable[User],
    idempotency_key: str | None,
    now: datetime,
) -> CaseOpened:
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    if actor.account_id is not None:
        if requester is not None and requester.pk != actor.pk:
            raise ValidationError({"requester": _("Customers open cases for themselves.")})
        requester = actor
        if not may_open_case(actor):
            raise PermissionDenied(_("Your plan does not include support cases."))
    else:
        if requester is None or requester.account_id is None:
            raise ValidationError({"requester": _("Choose the customer the case is for.")})
        if not may_open_case_for(actor, requester.account):
            raise PermissionDenied(_("This account's plan does not include support cases."))
    account = requester.account
    assert account is not None
    subject = _clean_text(subject, field="subject", max_length=MAX_SUBJECT)
    description = _clean_text(description, field="description", max_length=MAX_BODY)
    severity = _clean_severity(severity)
    cc_people = _clean_cc(account, cc, requester)

    # Not saved yet: the clocks are computed first, so that the case's INSERT carries its
    # queue order (`next_due_at`) and no UPDATE follows (see clocks_recompute).
    case = Case(
        account=account,
        requester=requester,
        subject=subject,
        description=description,
        severity=severity,
        channel=channel,
        region_id=account.region_id,
        queue_weight=queue_weight(account),
        created_at=now,
    )
    if Account.region.is_cached(account):
        case.region = account.region  # the clocks read the region's calendar
    clocks = clocks_recompute(case=case, now=now, new_case=True)
    if idempotency_key:
        # Without a savepoint: a taken key raises IntegrityError out of this transaction,
        # which undoes the case; case_open then answers with the first case.
        IdempotencyKey.objects.create(user=actor, key=idempotency_key, case=case)
    if cc_people:
        # A new case has no CC yet: one INSERT, not the read-then-write of `cc.set`.
        Case.cc.through.objects.bulk_create(
            Case.cc.through(case_id=case.pk, user_id=person.pk) for person in cc_people
        )
    event_record(
        case=case,
        actor=actor,
        at=now,
        kind=EventKind.CREATED,
        after={"severity": severity, "channel": channel, "subject": subject},
    )
    notices.case_opened(case=case, cc=cc_people, clocks=clocks)
    return CaseOpened(case=case, created=True, clocks=clocks)


@transaction.atomic
def case_reply(
    *,
    actor: User,
    case: Case,
    body: str,
    public: bool = True,
    then_status: str | None = None,
    channel: str = Channel.WEB,
    now: datetime | None = None,
) -> Message:
    """Add a reply (or, for agents, an internal note) and apply its effect on the workflow.

    An agent's first public reply meets the first-response target. A customer's reply to a case
    waiting on them, or solved, reopens it.
    """
    now = now or timezone.now()
    case = case_lock(case)
    body = _clean_text(body, field="body", max_length=MAX_BODY)
    agent = may_work(actor, case)
    if not agent:
        if not may_reply_as_customer(actor, case) or not public:
            raise PermissionDenied(_("You may not reply to this case."))
        if then_status is not None:
            raise ValidationError({"status": _("Customers cannot set the status.")})
    elif case.status == Status.CLOSED:
        raise ValidationError({"body": _("The case is closed; open a follow-up case.")})
    if then_status is not None and then_status not in Status.agent_settable():
        raise ValidationError({"status": _("Unknown status.")})

    message = Message.objects.create(
        case=case, author=actor, body=body, is_public=public, channel=channel, created_at=now
    )
    if agent:
        if public and case.first_responded_at is None:
            case.first_responded_at = now
            event_record(
                case=case, actor=actor, at=now, kind=EventKind.FIRST_RESPONSE, after=now.isoformat()
            )
        target = then_status or (Status.OPEN if case.status == Status.NEW else case.status)
        status_event = status_move(case, target, actor=actor, at=now)
    else:
        status_event = None
        if case.status in Status.pausing():
            status_move(case, Status.OPEN, actor=actor, at=now)
    case.save()
    clocks_recompute(case=case, now=now)
    if public:
        notices.public_reply(case=case, message=message)
    if status_event is not None and case.status == Status.SOLVED:
        notices.solved(case=case, event_id=status_event.pk)
    return message


@transaction.atomic
def case_set_status(
    *, actor: User, case: Case, status: str, note: str = "", now: datetime | None = None
) -> Case:
    """An agent moves a case: open, wait on customer, put on hold, solve."""
    now = now or timezone.now()
    case = case_lock(case)
    if not may_work(actor, case):
        raise PermissionDenied(_("You may not work this case."))
    if status not in Status.agent_settable():
        raise ValidationError({"status": _("Agents may set open, waiting, on hold or solved.")})
    if case.status == Status.CLOSED:
        raise ValidationError({"status": _("The case is closed.")})
    if case.status == status:
        return case
    event = status_move(case, status, actor=actor, at=now, note=note)
    case.save()
    clocks_recompute(case=case, now=now)
    if status == Status.SOLVED and event is not None:
        notices.solved(case=case, event_id=event.pk)
    return case


@transaction.atomic
def case_change_severity(
    *, actor: User, case: Case, severity: int, note: str = "", now: datetime | None = None
) -> Case:
    """Change the severity: clocks recompute from the start as if it had applied all along."""
    from ..models import SeverityChange

    now = now or timezone.now()
    case = case_lock(case)
    if not may_work(actor, case):
        raise PermissionDenied(_("You may not work this case."))
    severity = _clean_severity(severity)
    if not Status.is_active(case.status):
        raise ValidationError({"severity": _("Only an active case's severity can change.")})
    if severity == case.severity:
        return case
    SeverityChange.objects.create(
        case=case, at=now, from_severity=case.severity, to_severity=severity
    )
    event_record(
        case=case,
        actor=actor,
        at=now,
        kind=EventKind.SEVERITY,
        before=case.severity,
        after=severity,
        note=note,
    )
    case.severity = severity
    case.save()
    clocks_recompute(case=case, now=now)
    notices.severity_changed(case=case)
    return case


@transaction.atomic
def case_assign(
    *, actor: User, case: Case, assignee: User | None, now: datetime | None = None
) -> Case:
    """Assign a case: agents claim for themselves; supervisors assign anyone who may work it."""
    from ..permissions import may_assign_others

    now = now or timezone.now()
    case = case_lock(case)
    if not may_work(actor, case):
        raise PermissionDenied(_("You may not work this case."))
    if assignee is not None and assignee.pk != actor.pk and not may_assign_others(actor):
        raise PermissionDenied(_("Only supervisors assign cases to others."))
    if assignee is not None and not may_work(assignee, case):
        raise ValidationError({"assignee": _("This person does not work this case's line.")})
    if case.assignee_id == (assignee.pk if assignee else None):
        return case
    before = case.assignee.email if case.assignee else None
    case.assignee = assignee
    if case.status == Status.NEW and assignee is not None:
        status_move(case, Status.OPEN, actor=actor, at=now)
    case.save()
    event = event_record(
        case=case,
        actor=actor,
        at=now,
        kind=EventKind.ASSIGNEE,
        before=before,
        after=assignee.email if assignee else None,
    )
    clocks_recompute(case=case, now=now)
    if assignee is not None and assignee.pk != actor.pk:
        notices.assigned(case=case, assignee=assignee, event_id=event.pk, by=actor)
    return case


@transaction.atomic
def case_set_tags(
    *, actor: User, case: Case, tags: Iterable[str], now: datetime | None = None
) -> Case:
    """Replace the case's tags (agents only); tags are lower-case slugs."""
    from django.utils.text import slugify

    now = now or timezone.now()
    case = case_lock(case)
    if not may_work(actor, case):
        raise PermissionDenied(_("You may not work this case."))
    names = sorted({slugify(t)[:50] for t in tags if slugify(t)})
    before = sorted(case.tags.values_list("name", flat=True))
    if names == before:
        return case
    case.tags.set([Tag.objects.get_or_create(name=name)[0] for name in names])
    event_record(case=case, actor=actor, at=now, kind=EventKind.TAGS, before=before, after=names)
    return case


@transaction.atomic
def case_set_cc(
    *, actor: User, case: Case, cc: Iterable[User], now: datetime | None = None
) -> Case:
    """Replace the people CC'd on the case (its requester, account admins and agents)."""
    now = now or timezone.now()
    case = case_lock(case)
    if not (
        may_work(actor, case)
        or (
            actor.account_id == case.account_id
            and (actor.pk == case.requester_id or actor.role == "account_admin")
        )
    ):
        raise PermissionDenied(_("You may not change who is CC'd."))
    people = _clean_cc(case.account, cc, case.requester)
    before = sorted(case.cc.values_list("email", flat=True))
    after = sorted(p.email for p in people)
    if before != after:
        case.cc.set(people)
        event_record(case=case, actor=actor, at=now, kind=EventKind.CC, before=before, after=after)
    return case


@transaction.atomic
def case_merge(*, actor: User, source: Case, target: Case, now: datetime | None = None) -> Case:
    """Merge a duplicate into another case of the same account: the duplicate closes."""
    now = now or timezone.now()
    if source.pk == target.pk:
        raise ValidationError({"target": _("A case cannot be merged into itself.")})
    # Both rows in one statement, lowest primary key first: locked one by one in the callers'
    # orders, merges of A into B and of B into A at the same moment would deadlock on
    # PostgreSQL. Validated after locking: a concurrent merge may have merged either meanwhile.
    rows = Case.objects.select_for_update(of=("self",)).select_related("account__support_plan")
    locked = rows.filter(pk__in=(source.pk, target.pk)).order_by("pk").in_bulk()
    source, target = locked[source.pk], locked[target.pk]
    if not (may_work(actor, source) and may_work(actor, target)):
        raise PermissionDenied(_("You may not work these cases."))
    if source.account_id != target.account_id:
        raise ValidationError({"target": _("Only cases of the same account can be merged.")})
    for case in (source, target):
        if case.merged_into_id is not None:
            message = _("Case #%(n)d was already merged into another case.") % {"n": case.pk}
            raise ValidationError({"target": message})
    if target.status == Status.CLOSED or source.status == Status.CLOSED:
        raise ValidationError({"target": _("Closed cases cannot be merged.")})
    people = {source.requester_id, *source.cc.values_list("pk", flat=True)} - {target.requester_id}
    target.cc.add(*people)
    Message.objects.create(
        case=target,
        author=actor,
        body=_("Case #%(n)d was merged into this case.") % {"n": source.pk},
        is_public=False,
        created_at=now,
    )
    event_record(case=target, actor=actor, at=now, kind=EventKind.MERGED_IN, after=source.pk)
    source.merged_into = target
    status_move(source, Status.CLOSED, actor=actor, at=now, note=f"merged into #{target.pk}")
    source.save()
    event_record(case=source, actor=actor, at=now, kind=EventKind.MERGED_INTO, after=target.pk)
    clocks_recompute(case=source, now=now)
    return target
