"""A caller without a provider: drives the voice webhooks with signed requests, like the provider.

`Simulator.call(digits)` posts what a provider posts (CallSid, From, To, Digits, CallStatus,
QueueResult, RecordingUrl), signed with the auth token, follows each answer's Gather, Record,
Enqueue, Redirect and Hangup, and returns what the caller heard. The transport is a function
(path, params, signature) -> (status, body): the Django test client in-process, or HTTP against
a running server (`tierdesk phone simulate --url`).
"""

from __future__ import annotations

import secrets
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from .security import sign

Transport = Callable[[str, Mapping[str, str], str], tuple[int, str]]


@dataclass
class Turn:
    """One request and what it answered."""

    path: str
    params: dict[str, str]
    status: int
    said: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    verbs: list[str] = field(default_factory=list)
    twiml: str = ""


@dataclass
class CallResult:
    """What happened on a simulated call."""

    call_sid: str
    turns: list[Turn]
    outcome: str  # "queued", "hangup", "voicemail", "refused", "no-input"
    queue: str = ""

    @property
    def heard(self) -> list[str]:
        """Every sentence said to the caller, in order."""
        return [text for turn in self.turns for text in turn.said]


def django_transport(host: str = "testserver") -> Transport:
    """Post through Django's test client (in-process; the database of the current settings)."""
    from django.test import Client

    client = Client(HTTP_HOST=host)

    def post(path: str, params: Mapping[str, str], signature: str) -> tuple[int, str]:
        response = client.post(path, dict(params), HTTP_X_TWILIO_SIGNATURE=signature)
        return response.status_code, response.content.decode()

    return post


def http_transport(base_url: str, timeout: float = 10.0) -> Transport:
    """Post over HTTP to a running server."""

    def post(path: str, params: Mapping[str, str], signature: str) -> tuple[int, str]:
        body = urllib.parse.urlencode(dict(params)).encode()
        request = urllib.request.Request(  # noqa: S310 (the operator's own URL)
            base_url.rstrip("/") + path,
            data=body,
            headers={
                "X-Twilio-Signature": signature,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    return post


class Simulator:
    """Drives the webhook flow of one call at a time (see the module docstring)."""

    def __init__(
        self,
        transport: Transport,
        *,
        base_url: str = "http://testserver",
        token: str | None = None,
        start_path: str = "/phone/voice/",
    ) -> None:
        self.transport = transport
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.start_path = start_path

    def post(self, path: str, params: Mapping[str, str]) -> Turn:
        """One signed POST, parsed."""
        signature = sign(self.base_url + path, params, self.token)
        status, body = self.transport(path, params, signature)
        turn = Turn(path=path, params=dict(params), status=status, twiml=body)
        if status == 200 and body.startswith("<?xml"):
            root = ET.fromstring(body)  # noqa: S314 (our own server's answer)
            for node in root.iter():
                if node.tag == "Say" and node.text:
                    turn.said.append(node.text)
                    turn.languages.append(node.get("language", ""))
                if node.tag != "Response":
                    turn.verbs.append(node.tag)
        return turn

    def call(
        self,
        digits: Iterable[str],
        *,
        from_number: str,
        to_number: str = "",
        call_sid: str | None = None,
        hang_up_in_queue: bool = False,
    ) -> CallResult:
        """Call, answer each Gather with the next digits, and stop at the queue or a hang-up."""
        sid = call_sid or "CA" + secrets.token_hex(16)
        base = {"CallSid": sid, "From": from_number, "To": to_number, "AccountSid": "ACsim"}
        keys = list(digits)
        turns: list[Turn] = []
        path, extra = self.start_path, {"CallStatus": "ringing"}
        for _step in range(20):
            turn = self.post(path, {**base, **extra})
            turns.append(turn)
            if turn.status != 200:
                return CallResult(sid, turns, "refused")
            root = ET.fromstring(turn.twiml)  # noqa: S314
            gather = root.find("Gather")
            record = root.find("Record")
            enqueue = root.find("Enqueue")
            redirect = root.find("Redirect")
            if gather is not None and keys:
                path, extra = _path(gather.get("action", "")), {"Digits": keys.pop(0)}
                continue
            if record is not None:
                extra = {
                    "RecordingUrl": f"https://recordings.example/{sid}.wav",
                    "RecordingSid": "RE" + sid[2:],
                    "RecordingDuration": "12",
                }
                path = _path(record.get("action", ""))
                turns.append(self.post(path, {**base, **extra}))
                return CallResult(sid, turns, "voicemail")
            if enqueue is not None:
                queue = enqueue.text or ""
                if hang_up_in_queue:
                    self.hang_up(sid, from_number, to_number, turns)
                return CallResult(sid, turns, "queued", queue=queue)
            if root.find("Hangup") is not None:
                return CallResult(sid, turns, "hangup")
            if gather is not None or redirect is not None:
                return CallResult(sid, turns, "no-input")
            return CallResult(sid, turns, "hangup")
        return CallResult(sid, turns, "hangup")

    def wait(self, sid: str, from_number: str, to_number: str = "") -> list[Turn]:
        """One request of the queue's wait URL, as the provider makes while the caller holds;
        when it answers Leave (an agent took the call), the Enqueue's action with
        QueueResult=leave, which answers Dial to the agent."""
        base = {"CallSid": sid, "From": from_number, "To": to_number, "AccountSid": "ACsim"}
        polled = {**base, "QueueSid": "QUsim", "QueuePosition": "1"}
        turns = [self.post("/phone/voice/wait/", polled)]
        if "Leave" in turns[0].verbs:
            turns.append(self.post("/phone/voice/dequeued/", {**base, "QueueResult": "leave"}))
        return turns

    def hang_up(
        self, sid: str, from_number: str, to_number: str, turns: list[Turn] | None = None
    ) -> Turn:
        """The caller hangs up: the provider's status callback."""
        turn = self.post(
            "/phone/voice/status/",
            {"CallSid": sid, "From": from_number, "To": to_number, "CallStatus": "completed"},
        )
        if turns is not None:
            turns.append(turn)
        return turn


def _path(action: str) -> str:
    parts = urllib.parse.urlsplit(action)
    return parts.path + (f"?{parts.query}" if parts.query else "")
