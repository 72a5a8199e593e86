"""`tierdesk phone simulate` and `tierdesk phone load`; the provider's own request sequences."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tierdesk.phone.models import Call, QueueEntry
from tierdesk.phone.security import sign

from .conftest import FIRST_NUMBER, make_account

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("phone", *args, stdout=out)
    return out.getvalue()


def test_simulate_reaches_the_queue_for_business_and_is_turned_away_for_basic(open_region):
    make_account(open_region, "business", pin="123456")
    make_account(open_region, "basic", pin="654321")
    business = run("simulate", "--from", "+15550001", "--digits", "1,123456,1")
    assert "= queued in it-first" in business
    assert "(pressed 123456)" in business
    basic = run("simulate", "--from", "+15550002", "--digits", "1,654321,1")
    assert "does not include phone support" in basic
    assert "= hangup" in basic
    assert Call.objects.filter(state=Call.State.TURNED_AWAY).count() == 1
    assert QueueEntry.objects.count() == 1


def test_simulate_speaks_italian_to_italian_callers(open_region):
    make_account(open_region, "pro", pin="222333")
    out = run("simulate", "--from", "+15550003", "--digits", "2,222333,3")
    assert "= queued" in out
    assert '< it-IT "' in out.split("(pressed 2)")[1]  # after the menu, all in Italian
    assert '< en-US "' not in out.split("(pressed 2)")[1]


def test_simulate_refuses_bad_digits_and_a_missing_token(open_region, settings):
    with pytest.raises(CommandError):
        run("simulate", "--from", "+1555", "--digits", "1,x")
    settings.PHONE_AUTH_TOKEN = ""
    with pytest.raises(CommandError, match="PHONE_AUTH_TOKEN"):
        run("simulate", "--from", "+1555", "--digits", "1")


def test_load_prints_waits_abandons_and_the_estimate_error():
    out = run("load", "--calls", "80", "--agents", "5")
    assert "calls 80" in out and "abandoned" in out and "MAE" in out and "p95" in out


# What a provider posts, field for field (Twilio's voice webhook parameters).
TWILIO_BASE = {
    "AccountSid": "AC0123456789abcdef0123456789abcdef",
    "ApiVersion": "2010-04-01",
    "CallSid": "CA11111111111111111111111111111111",
    "Called": FIRST_NUMBER,
    "Caller": "+15557654321",
    "Direction": "inbound",
    "From": "+15557654321",
    "FromCountry": "US",
    "To": FIRST_NUMBER,
    "ToCountry": "IT",
}
SEQUENCE = [
    ("/phone/voice/", {"CallStatus": "ringing"}),
    ("/phone/voice/language/", {"CallStatus": "in-progress", "Digits": "1", "msg": "Gather End"}),
    ("/phone/voice/pin/?attempt=1", {"CallStatus": "in-progress", "Digits": "987654"}),
    ("/phone/voice/severity/", {"CallStatus": "in-progress", "Digits": "2"}),
    ("/phone/voice/wait/", {"QueuePosition": "1", "QueueTime": "5", "CurrentQueueSize": "1"}),
    ("/phone/voice/dequeued/", {"QueueResult": "hangup", "QueueTime": "42"}),
    ("/phone/voice/status/", {"CallStatus": "completed", "CallDuration": "61"}),
]


def test_the_providers_sequence_replayed_twice(open_region):
    make_account(open_region, "business", pin="987654")
    client = Client()
    first_answers = []
    for _round in range(2):
        answers = []
        for path, extra in SEQUENCE:
            params = {**TWILIO_BASE, **extra}
            signature = sign("http://testserver" + path, params)
            response = client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)
            assert response.status_code == 200, path
            answers.append(response.content.decode())
        if first_answers:
            # The wait URL is a read of the queue, not a step: once the caller has left, it
            # has nothing to say. Every step answers what it answered the first time.
            assert answers[:4] + answers[5:] == first_answers[:4] + first_answers[5:]
        first_answers = answers
    assert "<Enqueue" in first_answers[3]
    entry = QueueEntry.objects.get()
    assert entry.state == QueueEntry.State.ABANDONED
    assert Call.objects.get().state == Call.State.ABANDONED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simulate_and_load_against_a_running_server(live_server, open_region):
    make_account(open_region, "business", pin="858585")
    out = run("simulate", "--from", "+15550011", "--digits", "1,858585,2", "--url", live_server.url)
    assert "= queued in it-first" in out
    load = run("load", "--calls", "6", "--agents", "2", "--url", live_server.url, "--pin", "858585")
    assert "6 calls sent" in load and "p95" in load
    assert QueueEntry.objects.count() == 7
    with pytest.raises(CommandError, match="403"):
        run("simulate", "--from", "+1", "--digits", "1", "--url", live_server.url, "--token", "x")
