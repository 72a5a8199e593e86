"""The call flow: each provider webhook moves the call one step and answers TwiML.

    incoming -> language (1 English, 2 Italian) -> [pin] -> severity -> queue
                                                      (region closed) -> voicemail
             not entitled / unknown: a short message, hang up

A known caller number skips the PIN. The line is the dialled number's (first or second); an
account admin whose support plan gives direct second line goes to the second line; a caller who
dials the second line without it, but has the first, goes to the first. Severity 1 of a support
plan in PHONE_ROUND_THE_CLOCK_PLANS is answered at any hour; any other call outside the region's
business hours (its calendar: weekly windows and holidays) goes to voicemail, which becomes a case.

Each step runs in the webhook's transaction (`views.webhooks`), which also stores the answer:
a replay of the same request gets the stored TwiML and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from twilio.twiml.voice_response import VoiceResponse

from tierdesk.accounts.entitlements import (
    Capability,
    account_may,
    may_reach_second_line_directly,
    queue_weight,
)
from tierdesk.accounts.selectors.regions import region_business_calendar
from tierdesk.tickets.choices import Channel
from tierdesk.tickets.services.cases import case_open

from .. import prompts
from ..models import Call, Callback, CallLine, QueueEntry
from ..selectors.calls import (
    Caller,
    account_requester,
    caller_by_number,
    caller_by_pin,
    dialled_number,
    entry_estimate,
)

log = logging.getLogger(__name__)
MAX_PIN_ATTEMPTS = 2
MAX_LOCKED_CALLS = 3
PIN_LOCK_WINDOW = timedelta(hours=1)
ENDED_STATUSES = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})


@dataclass(frozen=True)
class Urls:
    """The absolute or relative URLs of the steps, for the TwiML's actions."""

    language: str
    pin: Callable[[int], str]
    severity: str
    hold: str
    wait: str
    dequeued: str
    recording: str


def queue_name(entry: QueueEntry) -> str:
    """The provider's queue of an entry: one per region and line."""
    return f"{entry.region.code}-{entry.line}"


def call_start(*, params: Mapping[str, str], now: datetime) -> Call:
    """A new call for this CallSid, at its first webhook (a second one breaks the unique key)."""
    sid = params.get("CallSid", "")
    to_number = params.get("To", "")
    dialled = dialled_number(to_number)
    return Call.objects.create(
        call_sid=sid,
        from_number=params.get("From", ""),
        to_number=to_number,
        region=dialled.region if dialled else None,
        line=dialled.line if dialled else CallLine.FIRST,
        started_at=now,
    )


def step_incoming(call: Call, digits: str, urls: Urls, now: datetime) -> VoiceResponse:
    """The first answer: the language menu."""
    return prompts.language_menu(urls.language)


def step_language(call: Call, digits: str, urls: Urls, now: datetime) -> VoiceResponse:
    """Keep the language; a known number is identified at once, anyone else gives the PIN."""
    call.language = "it" if digits == "2" else "en"
    caller = caller_by_number(call.from_number)
    if caller is None:
        call.save(update_fields=["language"])
        return prompts.ask_pin(urls.pin(1), call.language)
    return _identified(call, caller, urls)


def pin_locked(from_number: str, now: datetime) -> bool:
    """Whether this number failed the PIN on MAX_LOCKED_CALLS calls in the last hour."""
    failed = Call.objects.filter(
        from_number=from_number,
        state=Call.State.TURNED_AWAY,
        account__isnull=True,
        pin_attempts__gte=MAX_PIN_ATTEMPTS,
        started_at__gte=now - PIN_LOCK_WINDOW,
    )
    return failed.count() >= MAX_LOCKED_CALLS


def step_pin(
    call: Call, digits: str, urls: Urls, now: datetime, *, attempt: int = 1
) -> VoiceResponse:
    """Identify the account by its support PIN; after MAX_PIN_ATTEMPTS wrong ones, hang up.

    A number that failed on MAX_LOCKED_CALLS calls within PIN_LOCK_WINDOW is not heard any more
    for the rest of the window: PINs cannot be tried call after call.
    """
    call.pin_attempts = max(call.pin_attempts, attempt)
    if pin_locked(call.from_number, now):
        call.state = Call.State.TURNED_AWAY
        call.ended_at = now
        call.save(update_fields=["pin_attempts", "state", "ended_at"])
        return prompts.unknown_caller(call.language)
    caller = caller_by_pin("".join(ch for ch in digits if ch.isdigit()), call.from_number)
    if caller is not None:
        return _identified(call, caller, urls)
    if attempt < MAX_PIN_ATTEMPTS:
        call.save(update_fields=["pin_attempts"])
        return prompts.ask_pin(urls.pin(attempt + 1), call.language, again=True)
    call.state = Call.State.TURNED_AWAY
    call.ended_at = now
    call.save(update_fields=["pin_attempts", "state", "ended_at"])
    return prompts.unknown_caller(call.language)


def routed_line(caller: Caller, dialled_line: str) -> str | None:
    """The line the caller reaches from the dialled one; None: not entitled (module docstring)."""
    account = caller.account
    if may_reach_second_line_directly(caller.user):
        return CallLine.SECOND
    if dialled_line == CallLine.SECOND and account_may(account, Capability.PHONE_SECOND_LINE):
        return CallLine.SECOND
    if account_may(account, Capability.PHONE_FIRST_LINE):
        return CallLine.FIRST
    return None


def _identified(call: Call, caller: Caller, urls: Urls) -> VoiceResponse:
    call.account = caller.account
    call.caller = caller.user
    call.region = caller.account.region
    line = routed_line(caller, call.line)
    if line is None:
        call.state = Call.State.TURNED_AWAY
        call.save()
        return prompts.not_entitled(call.language)
    call.line = line
    call.save()
    return prompts.ask_severity(urls.severity, call.language, second_line=line == CallLine.SECOND)


def round_the_clock(call: Call, severity: int) -> bool:
    """Whether this call is answered at any hour: severity 1 on Premier and Premier+."""
    assert call.account is not None
    return severity == 1 and call.account.support_plan.code in settings.PHONE_ROUND_THE_CLOCK_PLANS


def region_open(call: Call, now: datetime) -> bool:
    """Whether the call's region is in its business hours now (weekly windows, holidays)."""
    assert call.region is not None
    return region_business_calendar(call.region).is_open(now)


def step_severity(call: Call, digits: str, urls: Urls, now: datetime) -> VoiceResponse:
    """Keep the severity; then the queue, or voicemail when the region is closed."""
    if call.account is None or call.state != Call.State.IN_MENU:
        return prompts.unknown_caller(call.language)
    if digits not in {"1", "2", "3", "4"}:
        return prompts.ask_severity(
            urls.severity, call.language, second_line=call.line == CallLine.SECOND
        )
    call.severity = int(digits)
    if not round_the_clock(call, call.severity) and not region_open(call, now):
        call.state = Call.State.VOICEMAIL
        call.save()
        return prompts.voicemail(urls.recording, call.language)
    call.state = Call.State.QUEUED
    call.save()
    assert call.region is not None
    entry = QueueEntry.objects.create(
        call=call,
        region=call.region,
        line=call.line,
        severity=call.severity,
        plan_weight=queue_weight(call.account),
        entered_at=now,
    )
    _position, wait = entry_estimate(entry, now=now)
    entry.estimated_wait_seconds = wait
    entry.save(update_fields=["estimated_wait_seconds"])
    if wait > settings.PHONE_CALLBACK_AFTER_SECONDS:
        return prompts.offer_callback(
            action=urls.hold,
            queue=queue_name(entry),
            dequeued=urls.dequeued,
            wait_url=urls.wait,
            language=call.language,
            wait_seconds=wait,
        )
    return _enqueue(call, entry, urls, wait)


def _enqueue(call: Call, entry: QueueEntry, urls: Urls, wait_seconds: int | None) -> VoiceResponse:
    """The caller on hold in the entry's queue: the wait URL plays music, the action hears how
    they left it; `wait_seconds`, when given, is announced first."""
    return prompts.enqueue(
        VoiceResponse(),
        queue=queue_name(entry),
        action=urls.dequeued,
        wait_url=urls.wait,
        language=call.language,
        wait_seconds=wait_seconds,
    )


def _waiting_entry(call: Call) -> QueueEntry | None:
    return (
        call.entries.select_related("region")
        .filter(state=QueueEntry.State.WAITING, kind=QueueEntry.Kind.CALL)
        .first()
    )


def step_hold(call: Call, digits: str, urls: Urls, now: datetime) -> VoiceResponse:
    """The answer to the callback offer: 1 books a callback (the entry keeps its place)."""
    entry = _waiting_entry(call)
    if entry is None:
        return prompts.unknown_caller(call.language)
    if digits == "1":
        entry.kind = QueueEntry.Kind.CALLBACK
        entry.save(update_fields=["kind"])
        Callback.objects.create(call=call, entry=entry, number=call.from_number, requested_at=now)
        call.state = Call.State.CALLBACK
        call.save(update_fields=["state"])
        return prompts.callback_booked(call.from_number, call.language)
    return _enqueue(call, entry, urls, None)


def _taken_entry(call: Call) -> QueueEntry | None:
    """The caller's entry an agent took and has not wrapped up: the caller is to be connected."""
    return (
        call.entries.select_related("agent__phone_presence")
        .filter(state=QueueEntry.State.TAKEN, kind=QueueEntry.Kind.CALL, wrapped_up_at=None)
        .order_by("-taken_at", "-pk")
        .first()
    )


def hold_message(call: Call, now: datetime) -> VoiceResponse:
    """What the waiting caller hears (the wait URL; a read: it writes nothing).

    Once an agent took the caller's entry, the answer is Leave: the provider then requests the
    Enqueue's action with QueueResult=leave, which dials the agent (`step_dequeued`).
    """
    entry = _waiting_entry(call)
    if entry is None:
        return prompts.leave() if _taken_entry(call) is not None else prompts.empty()
    _position, wait = entry_estimate(entry, now=now)
    return prompts.hold_music(call.language, wait)


def call_left(call: Call, now: datetime) -> None:
    """The caller hung up or the call ended: a waiting call is abandoned; a callback stays."""
    entry = _waiting_entry(call)
    if entry is not None:
        entry.state = QueueEntry.State.ABANDONED
        entry.left_at = now
        entry.save(update_fields=["state", "left_at"])
        call.state = Call.State.ABANDONED
    elif call.state in (Call.State.IN_MENU, Call.State.ANSWERED, Call.State.QUEUED):
        call.state = Call.State.ENDED
    if call.ended_at is None:
        call.ended_at = now
    call.save(update_fields=["state", "ended_at"])


def step_status(call: Call, digits: str, urls: Urls, now: datetime) -> VoiceResponse:
    """The provider's status callback (digits: CallStatus): an ended call leaves the queue."""
    if digits in ENDED_STATUSES:
        call_left(call, now)
    return prompts.empty()


def _ring_number(entry: QueueEntry) -> str:
    presence = getattr(entry.agent, "phone_presence", None) if entry.agent else None
    return presence.ring_number if presence is not None else ""


def step_dequeued(call: Call, digits: str, urls: Urls, now: datetime) -> VoiceResponse:
    """The Enqueue's action (digits: QueueResult).

    leave, after an agent took the call (the wait URL answered Leave): "connecting you", then
    Dial to the agent's number, from the dialled support number when known; its outcome comes
    back to this URL (`step_dialed`). A caller who hung up (or any other leave) leaves the queue.
    """
    if digits == "leave":
        entry = _taken_entry(call)
        number = _ring_number(entry) if entry is not None else ""
        if number:
            return prompts.connect_agent(
                number,
                caller_id=call.to_number if dialled_number(call.to_number) else "",
                action=urls.dequeued,
                language=call.language,
            )
    if digits in {"hangup", "error", "system-error", "leave"}:
        call_left(call, now)
    return prompts.empty()


DIAL_CONNECTED = frozenset({"completed", "answered"})


def step_dialed(call: Call, digits: str, urls: Urls, now: datetime) -> VoiceResponse:
    """The Dial's action (digits: DialCallStatus): the call with the agent ended, or never began.

    Transferred (the agent sent the caller to the second line, which left a waiting entry): the
    agent's leg ends and the caller goes back on hold, in the second line's queue, keeping their
    place. Not answered (busy, no-answer, failed, canceled): the caller hears that the agent will
    call back; the entry, still the agent's, becomes a callback to the caller's number, which the
    console shows.
    """
    waiting = _waiting_entry(call)
    if waiting is not None:
        _position, wait = entry_estimate(waiting, now=now)
        return _enqueue(call, waiting, urls, wait)
    entry = _taken_entry(call)
    if digits in DIAL_CONNECTED or entry is None:
        if call.ended_at is None:
            call.ended_at = now
            call.save(update_fields=["ended_at"])
        return prompts.empty()
    entry.kind = QueueEntry.Kind.CALLBACK
    entry.save(update_fields=["kind"])
    Callback.objects.get_or_create(
        call=call, defaults={"entry": entry, "number": call.from_number, "requested_at": now}
    )
    return prompts.agent_unreachable(call.from_number, call.language)


def step_recording(
    call: Call, digits: str, urls: Urls, now: datetime, *, recording_url: str = ""
) -> VoiceResponse:
    """The voicemail was recorded: it becomes a case with the recording's link."""
    if call.account is None or call.state != Call.State.VOICEMAIL:
        return prompts.voicemail_saved(call.language, None)
    call.recording_url = recording_url[:500]
    call.ended_at = now
    case_id = None
    requester = account_requester(call.account, call.caller)
    if requester is not None:
        try:
            with translation.override(call.language):
                subject = _("Voicemail from %(number)s") % {"number": call.from_number}
                description = _(
                    "Voicemail left outside business hours by %(number)s (severity "
                    "%(severity)s).\n\nRecording: <%(url)s>"
                ) % {
                    "number": call.from_number,
                    "severity": call.severity,
                    "url": call.recording_url,
                }
            opened = case_open(
                actor=requester,
                requester=requester,
                subject=subject,
                description=description,
                severity=call.severity or 3,
                channel=Channel.PHONE,
                idempotency_key=f"phone-voicemail-{call.call_sid}",
                now=now,
            )
            call.case = opened.case
            case_id = opened.case.pk
        except (PermissionDenied, ValidationError):
            log.warning("voicemail of call %s: no case could be opened", call.call_sid)
    call.save()
    return prompts.voicemail_saved(call.language, case_id)
