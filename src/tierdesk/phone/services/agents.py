"""What agents do with calls: take the next one, wrap it up on a case, transfer it, log a case.

Taking a call is a conditional UPDATE (`state = waiting` in its WHERE clause) inside a
transaction that first locks the chosen row (select_for_update): two agents who pick the same
entry at once serialise on it, and the second finds it taken and moves on to the next one.
"""

from __future__ import annotations

from datetime import datetime

import phonenumbers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tierdesk.accounts.entitlements import Capability, account_may
from tierdesk.accounts.models import User
from tierdesk.accounts.models.support_numbers import e164_validator
from tierdesk.tickets.choices import Channel
from tierdesk.tickets.models import Case
from tierdesk.tickets.permissions import may_work
from tierdesk.tickets.selectors.cases import is_agent
from tierdesk.tickets.services.cases import case_assign, case_open, case_reply

from ..models import AgentPresence, Call, CallLine, QueueEntry
from ..selectors.calls import account_requester, agent_entries, agent_lines, waiting_order

MAX_TAKE_TRIES = 5


def presence_touch(*, agent: User, now: datetime | None = None) -> None:
    """The agent has the console open: they count as available on their lines."""
    lines = list(agent_lines(agent))
    if not lines:
        return
    AgentPresence.objects.update_or_create(
        agent=agent,
        defaults={"region_id": agent.region_id, "lines": lines, "seen_at": now or timezone.now()},
    )


class NoRingNumber(ValidationError):
    """The agent has not said where they answer: a call cannot be connected to them."""


def ring_number_of(agent: User) -> str:
    """The number where the agent answers the calls they take ("" when not set)."""
    return (
        AgentPresence.objects.filter(agent=agent).values_list("ring_number", flat=True).first()
        or ""
    )


def ring_number_clean(number: str) -> str:
    """An E.164 number that phonenumbers reads as a valid one, normalised; "" clears it."""
    number = "".join((number or "").split())
    if not number:
        return ""
    message = _(
        "Enter a valid phone number in E.164 form: + and the country code, then the digits."
    )
    try:
        e164_validator(number)
        parsed = phonenumbers.parse(number, None)
    except (ValidationError, phonenumbers.NumberParseException):
        raise ValidationError({"ring_number": message}) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError({"ring_number": message})
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def ring_number_set(*, agent: User, number: str, now: datetime | None = None) -> str:
    """Keep where the agent answers the calls they take (validated, E.164); "" clears it."""
    if not agent_lines(agent):
        raise PermissionDenied(_("Your role answers no phone line."))
    number = ring_number_clean(number)
    presence, created = AgentPresence.objects.get_or_create(
        agent=agent,
        defaults={
            "region_id": agent.region_id,
            "lines": list(agent_lines(agent)),
            "seen_at": now or timezone.now(),
            "ring_number": number,
        },
    )
    if not created and presence.ring_number != number:
        presence.ring_number = number
        presence.save(update_fields=["ring_number"])
    return number


def call_take_next(*, agent: User, now: datetime | None = None) -> QueueEntry | None:
    """Assign the next waiting entry of the agent's queues to them (None: nothing waits).

    Refused (NoRingNumber, nothing changed) while the agent has no number to be connected at.
    """
    if not agent_lines(agent):
        raise PermissionDenied(_("Your role answers no phone line."))
    if not ring_number_of(agent):
        raise NoRingNumber(_("Set the number where you answer (ring me at) before taking a call."))
    now = now or timezone.now()
    skipped: set[int] = set()
    for _try in range(MAX_TAKE_TRIES):
        candidates = [e for e in waiting_order(agent_entries(agent)) if e.pk not in skipped]
        if not candidates:
            return None
        chosen = candidates[0]
        with transaction.atomic():
            locked = (
                QueueEntry.objects.select_for_update()
                .filter(pk=chosen.pk, state=QueueEntry.State.WAITING)
                .first()
            )
            taken = (
                QueueEntry.objects.filter(pk=chosen.pk, state=QueueEntry.State.WAITING).update(
                    state=QueueEntry.State.TAKEN, agent=agent, taken_at=now
                )
                if locked is not None
                else 0
            )
            if taken:
                Call.objects.filter(pk=chosen.call_id).update(state=Call.State.ANSWERED)
                chosen.refresh_from_db()
                return chosen
        skipped.add(chosen.pk)  # another agent took it first: the next one
    return None


def _own_open_entry(agent: User, entry: QueueEntry) -> QueueEntry:
    locked = (
        QueueEntry.objects.select_for_update(of=("self",))
        .select_related("call__account__license_plan", "call__account__support_plan", "region")
        .filter(pk=entry.pk)
        .first()
    )
    if (
        locked is None
        or locked.agent_id != agent.pk
        or locked.state != QueueEntry.State.TAKEN
        or locked.wrapped_up_at is not None
    ):
        raise ValidationError(_("This call is not one of your open calls."))
    return locked


@transaction.atomic
def call_wrap_up(
    *,
    agent: User,
    entry: QueueEntry,
    notes: str,
    case: Case | None = None,
    subject: str = "",
    now: datetime | None = None,
) -> Case:
    """Log the call on a case: the one given (the caller's account's) or a new phone case.

    The agent's answer is the case's first response: a public reply on the phone channel dated
    when the agent took the call (`tickets.services.cases.case_reply`, which records the first
    response and moves the clocks), in the language the caller chose. A new case starts when the
    call reached the queue, assigned to the agent. The notes become an internal note only: the
    customer never reads them.
    """
    now = now or timezone.now()
    entry = _own_open_entry(agent, entry)
    call = entry.call
    notes = _notes_required(notes)
    account = call.account
    assert account is not None and entry.taken_at is not None
    if case is not None:
        if case.account_id != account.pk:
            raise ValidationError({"case": _("The case belongs to another account.")})
    else:
        requester = account_requester(account, call.caller)
        if requester is None:
            raise ValidationError({"case": _("The account has no active user to file it for.")})
        with translation.override(call.language):
            subject = subject.strip() or _("Phone call from %(number)s") % {
                "number": call.from_number
            }
        case = _phone_case_open(
            agent=agent,
            requester=requester,
            subject=subject,
            severity=call.severity or 3,
            language=call.language,
            opened_at=entry.entered_at,
            taken_at=entry.taken_at,
            idempotency_key=f"phone-call-{entry.pk}",
        )
    _phone_answer(
        agent=agent, case=case, language=call.language, at=max(entry.taken_at, case.created_at)
    )
    case_reply(actor=agent, case=case, body=notes, public=False, channel=Channel.PHONE, now=now)
    entry.wrapped_up_at = now
    entry.state = QueueEntry.State.DONE
    entry.save(update_fields=["wrapped_up_at", "state"])
    call.case = case
    call.state = Call.State.ENDED if call.state == Call.State.ANSWERED else call.state
    call.save(update_fields=["case", "state"])
    return case


def may_transfer(entry: QueueEntry) -> bool:
    """A first-line call moves to the second line when the caller's plan includes it."""
    account = entry.call.account
    return (
        entry.line == CallLine.FIRST
        and account is not None
        and account_may(account, Capability.PHONE_SECOND_LINE)
    )


@transaction.atomic
def call_transfer(*, agent: User, entry: QueueEntry, now: datetime | None = None) -> QueueEntry:
    """Send the caller to the second line's queue, keeping their place by the time they called."""
    now = now or timezone.now()
    entry = _own_open_entry(agent, entry)
    if not may_transfer(entry):
        raise ValidationError(_("The caller's plan does not include the second line."))
    entry.state = QueueEntry.State.TRANSFERRED
    entry.wrapped_up_at = now
    entry.save(update_fields=["state", "wrapped_up_at"])
    call = entry.call
    call.line = CallLine.SECOND
    call.state = Call.State.QUEUED
    call.save(update_fields=["line", "state"])
    return QueueEntry.objects.create(
        call=call,
        kind=entry.kind,
        region=entry.region,
        line=CallLine.SECOND,
        severity=entry.severity,
        plan_weight=entry.plan_weight,
        entered_at=entry.entered_at,
    )


def phone_case_log(
    *,
    agent: User,
    requester: User,
    subject: str,
    notes: str,
    severity: int,
    now: datetime | None = None,
) -> Case:
    """An agent logs a phone case for a customer they picked (the call answered: first response).

    As for a wrap-up, the customer reads a neutral description and the agent's answer in their
    own language; the notes are an internal note; the case is the agent's.
    """
    if not is_agent(agent):
        raise PermissionDenied(_("Only agents log phone cases."))
    now = now or timezone.now()
    notes = _notes_required(notes)
    with transaction.atomic():
        case = _phone_case_open(
            agent=agent,
            requester=requester,
            subject=subject,
            severity=severity,
            language=requester.language,
            opened_at=now,
            taken_at=now,
        )
        _phone_answer(agent=agent, case=case, language=requester.language, at=now)
        case_reply(actor=agent, case=case, body=notes, public=False, channel=Channel.PHONE, now=now)
    return case


def _notes_required(notes: str) -> str:
    """The call's notes, stripped; a ValidationError when there are none."""
    notes = (notes or "").strip()
    if not notes:
        raise ValidationError({"notes": _("Write what the call was about.")})
    return notes


def _phone_case_open(
    *,
    agent: User,
    requester: User,
    subject: str,
    severity: int,
    language: str,
    opened_at: datetime,
    taken_at: datetime,
    idempotency_key: str | None = None,
) -> Case:
    """A phone case whose description the customer can read (never the agent's notes), the
    agent's own from the moment they took the call."""
    with translation.override(language):
        description = _("This case was opened during a phone call with our support.")
    case = case_open(
        actor=agent,
        requester=requester,
        subject=subject,
        description=description,
        severity=severity,
        channel=Channel.PHONE,
        idempotency_key=idempotency_key,
        now=opened_at,
    ).case
    if case.assignee_id is None and may_work(agent, case):
        case = case_assign(actor=agent, case=case, assignee=agent, now=max(taken_at, opened_at))
    return case


def _phone_answer(*, agent: User, case: Case, language: str, at: datetime) -> None:
    """The agent's answer on the phone, as the case's public reply in the customer's language."""
    with translation.override(language):
        name = agent.get_full_name() or agent.email
        body = _("Answered by phone by %(agent)s.") % {"agent": name}
    case_reply(actor=agent, case=case, body=body, public=True, channel=Channel.PHONE, now=at)


__all__ = [
    "NoRingNumber",
    "account_requester",
    "call_take_next",
    "call_transfer",
    "call_wrap_up",
    "may_transfer",
    "phone_case_log",
    "presence_touch",
    "ring_number_clean",
    "ring_number_of",
    "ring_number_set",
]
