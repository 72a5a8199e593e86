"""The provider's voice webhooks: POST, signed, answered with TwiML; replays change nothing.

Every request must carry an X-Twilio-Signature that validates with PHONE_AUTH_TOKEN (else 403,
nothing read or written). A processed request is stored with its answer (WebhookRequest, unique
on CallSid + step + digits): the same request again gets the same TwiML and runs nothing twice,
also when two copies race (the unique constraint decides, the loser reads the winner's answer).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.twiml.voice_response import VoiceResponse

from ..models import Call, QueueEntry, WebhookRequest
from ..security import request_is_signed
from ..services import flow

TWIML = "application/xml"


def _twiml(text: str) -> HttpResponse:
    return HttpResponse(text, content_type=TWIML)


def urls() -> flow.Urls:
    """The step URLs the TwiML points to (relative: the provider resolves them)."""
    return flow.Urls(
        language=reverse("phone:voice-language"),
        pin=lambda attempt: f"{reverse('phone:voice-pin')}?attempt={attempt}",
        severity=reverse("phone:voice-severity"),
        hold=reverse("phone:voice-hold"),
        wait=reverse("phone:voice-wait"),
        dequeued=reverse("phone:voice-dequeued"),
        recording=reverse("phone:voice-recording"),
    )


def _signed(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    @csrf_exempt
    @require_POST
    @wraps(view)
    def checked(request: HttpRequest) -> HttpResponse:
        if not request_is_signed(request):
            return HttpResponse("Invalid signature.", status=403, content_type="text/plain")
        return view(request)

    return checked


Step = Callable[[Call, str, flow.Urls, object], VoiceResponse]


def _once(
    request: HttpRequest, step: str, digits: str, run: Step, *, round_key: str = ""
) -> HttpResponse:
    """Run a step once per (CallSid, step, digits, round); a replay answers what was answered.

    `round_key` tells apart the same request made again on purpose: a caller transferred to the
    second line leaves the queue and ends a Dial a second time, with the same CallSid.
    """
    sid = request.POST.get("CallSid", "")
    if not sid:
        return HttpResponse("CallSid is required.", status=400, content_type="text/plain")
    key = f"{digits}{round_key}"[:64]
    done = WebhookRequest.objects.filter(call_sid=sid, step=step, digits=key).first()
    if done is not None:
        return _twiml(done.twiml)
    now = timezone.now()
    try:
        with transaction.atomic():
            call = (
                Call.objects.select_for_update(of=("self",))
                .select_related(
                    "account__license_plan", "account__support_plan", "region", "caller"
                )
                .filter(call_sid=sid)
                .first()
            ) or flow.call_start(params=request.POST, now=now)
            text = str(run(call, digits, urls(), now))
            WebhookRequest.objects.create(call_sid=sid, step=step, digits=key, twiml=text, at=now)
    except IntegrityError:
        done = WebhookRequest.objects.filter(call_sid=sid, step=step, digits=key).first()
        if done is None:
            raise
        return _twiml(done.twiml)
    return _twiml(text)


def _digits(request: HttpRequest) -> str:
    return request.POST.get("Digits", "")[:64]


@_signed
def voice_incoming(request: HttpRequest) -> HttpResponse:
    """A call comes in: the language menu."""
    return _once(request, "incoming", "", flow.step_incoming)  # type: ignore[arg-type]


@_signed
def voice_language(request: HttpRequest) -> HttpResponse:
    """1 English, 2 Italian; then the PIN or, for a known number, the severity."""
    return _once(request, "language", _digits(request), flow.step_language)  # type: ignore[arg-type]


@_signed
def voice_pin(request: HttpRequest) -> HttpResponse:
    """The support PIN (attempt 1 or 2)."""
    try:
        attempt = max(1, min(int(request.GET.get("attempt", "1")), flow.MAX_PIN_ATTEMPTS))
    except ValueError:
        attempt = 1

    def run(call: Call, digits: str, step_urls: flow.Urls, now: object) -> VoiceResponse:
        return flow.step_pin(call, digits, step_urls, now, attempt=attempt)  # type: ignore[arg-type]

    return _once(request, f"pin-{attempt}", _digits(request), run)


@_signed
def voice_severity(request: HttpRequest) -> HttpResponse:
    """The severity; then the queue or voicemail."""
    return _once(request, "severity", _digits(request), flow.step_severity)  # type: ignore[arg-type]


@_signed
def voice_hold(request: HttpRequest) -> HttpResponse:
    """The answer to the callback offer."""
    return _once(request, "hold", _digits(request), flow.step_hold)  # type: ignore[arg-type]


@_signed
def voice_wait(request: HttpRequest) -> HttpResponse:
    """The queue's wait URL, requested again and again: a read, it writes nothing (no
    WebhookRequest row, so no replay key swallows a poll). Hold music while the entry waits;
    Leave once an agent took it."""
    call = Call.objects.filter(call_sid=request.POST.get("CallSid", "")).first()
    if call is None:
        return _twiml(str(VoiceResponse()))
    return _twiml(str(flow.hold_message(call, timezone.now())))


@_signed
def voice_dequeued(request: HttpRequest) -> HttpResponse:
    """The Enqueue's action: how the caller left the queue (QueueResult); Leave after an agent
    took the call answers Dial to the agent. Also the Dial's action (DialCallStatus)."""
    taken = _taken_round(request.POST.get("CallSid", ""))
    if "DialCallStatus" in request.POST:
        status = request.POST.get("DialCallStatus", "")[:48]
        return _once(request, "dialed", status, flow.step_dialed, round_key=taken)  # type: ignore[arg-type]
    result = request.POST.get("QueueResult", "")[:48]
    return _once(request, "dequeued", result, flow.step_dequeued, round_key=taken)  # type: ignore[arg-type]


def _taken_round(sid: str) -> str:
    """The call's latest take by an agent ("@<entry id>", "" before any): a Leave and a Dial's
    outcome belong to one take, so a transferred caller's second round is not a replay."""
    if not sid:
        return ""
    pk = (
        QueueEntry.objects.filter(call__call_sid=sid, taken_at__isnull=False)
        .order_by("-taken_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return f"@{pk}" if pk else ""


@_signed
def voice_status(request: HttpRequest) -> HttpResponse:
    """The call's status callback (CallStatus)."""
    status = request.POST.get("CallStatus", "")[:64]
    return _once(request, "status", status, flow.step_status)  # type: ignore[arg-type]


@_signed
def voice_recording(request: HttpRequest) -> HttpResponse:
    """The voicemail's recording (RecordingUrl): it becomes a case."""
    recording = request.POST.get("RecordingUrl", "")

    def run(call: Call, digits: str, step_urls: flow.Urls, now: object) -> VoiceResponse:
        return flow.step_recording(call, digits, step_urls, now, recording_url=recording)  # type: ignore[arg-type]

    return _once(request, "recording", request.POST.get("RecordingSid", "")[:64], run)
