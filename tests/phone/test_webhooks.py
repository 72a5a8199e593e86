"""The webhooks: signatures refused unless they validate; replays change nothing twice."""

from __future__ import annotations

import pytest
from django.test import Client

from tierdesk.phone.models import Call, QueueEntry, WebhookRequest
from tierdesk.phone.security import sign

from .conftest import FIRST_NUMBER, make_account

pytestmark = pytest.mark.django_db

ROUTES = [
    "/phone/voice/",
    "/phone/voice/language/",
    "/phone/voice/pin/",
    "/phone/voice/severity/",
    "/phone/voice/hold/",
    "/phone/voice/wait/",
    "/phone/voice/dequeued/",
    "/phone/voice/status/",
    "/phone/voice/recording/",
]
PARAMS = {"CallSid": "CA1", "From": "+15550001", "To": FIRST_NUMBER, "Digits": "1"}


@pytest.mark.parametrize("path", ROUTES)
def test_an_unsigned_request_is_refused_and_writes_nothing(path):
    response = Client().post(path, PARAMS)
    assert response.status_code == 403
    assert not Call.objects.exists() and not WebhookRequest.objects.exists()


@pytest.mark.parametrize("path", ROUTES)
def test_a_wrongly_signed_request_is_refused(path):
    wrong_token = sign("http://testserver" + path, PARAMS, token="not-the-token")
    other_params = sign("http://testserver" + path, {**PARAMS, "Digits": "2"})
    other_url = sign("http://testserver/elsewhere/", PARAMS)
    for signature in (wrong_token, other_params, other_url, "garbage"):
        response = Client().post(path, PARAMS, HTTP_X_TWILIO_SIGNATURE=signature)
        assert response.status_code == 403
    assert not Call.objects.exists()


def test_a_correctly_signed_request_is_answered_with_twiml():
    signature = sign("http://testserver/phone/voice/", PARAMS)
    response = Client().post("/phone/voice/", PARAMS, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    body = response.content.decode()
    assert "<Gather" in body and 'language="it-IT"' in body and 'language="en-US"' in body


def test_without_a_configured_token_everything_is_refused(settings):
    signature = sign("http://testserver/phone/voice/", PARAMS)
    settings.PHONE_AUTH_TOKEN = ""
    response = Client().post("/phone/voice/", PARAMS, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 403


def test_get_is_not_allowed():
    assert Client().get("/phone/voice/").status_code == 405


def test_replays_answer_the_same_and_change_nothing(open_region, simulator):
    account = make_account(open_region, "business", pin="424242")
    result = simulator.call(["1", "424242", "2"], from_number="+15550002", to_number=FIRST_NUMBER)
    assert result.outcome == "queued"
    entries, webhooks = QueueEntry.objects.count(), WebhookRequest.objects.count()
    call = Call.objects.get()
    assert call.account == account
    # The provider sends every request of the call again (a retry after a timeout).
    for turn in result.turns:
        again = simulator.post(turn.path, turn.params)
        assert again.status == 200
        assert again.twiml == turn.twiml
    assert QueueEntry.objects.count() == entries == 1
    assert WebhookRequest.objects.count() == webhooks
    call.refresh_from_db()
    assert call.state == Call.State.QUEUED


def test_a_second_hang_up_report_changes_nothing(open_region, simulator):
    make_account(open_region, "pro", pin="515151")
    result = simulator.call(["1", "515151", "3"], from_number="+15550003", to_number=FIRST_NUMBER)
    simulator.hang_up(result.call_sid, "+15550003", FIRST_NUMBER)
    entry = QueueEntry.objects.get()
    assert entry.state == QueueEntry.State.ABANDONED
    left = entry.left_at
    simulator.hang_up(result.call_sid, "+15550003", FIRST_NUMBER)
    entry.refresh_from_db()
    assert entry.left_at == left
