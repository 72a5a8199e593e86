"""Taking a call connects the agent with TwiML only: the wait URL answers Leave, the Enqueue's
action dials the agent's "ring me at" number. Replayed as the provider sends the requests."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from tierdesk.accounts.roles import Role
from tierdesk.phone.models import AgentPresence, Call, Callback, QueueEntry, WebhookRequest
from tierdesk.phone.services import agents

from .conftest import FIRST_NUMBER, RING_NUMBER, make_account, phone_agent

pytestmark = pytest.mark.django_db


def _queued(simulator, open_region, *, pin="135790", from_number="+15550401", language="1"):
    make_account(open_region, "business", pin=pin)
    result = simulator.call([language, pin, "2"], from_number=from_number, to_number=FIRST_NUMBER)
    assert result.outcome == "queued"
    return result


def test_a_taken_caller_leaves_the_queue_and_is_dialled_to_the_agent(open_region, simulator):
    result = _queued(simulator, open_region)
    sid = result.call_sid
    hold = simulator.wait(sid, "+15550401", FIRST_NUMBER)
    assert len(hold) == 1 and "Leave" not in hold[0].verbs
    assert hold[0].verbs[-1] == "Pause" and "Thank you for holding." in hold[0].said

    agent = phone_agent(role=Role.AGENT_L1, region=open_region)
    client = Client()
    client.force_login(agent)
    taken = client.post("/api/v1/phone/queue/take").json()["entry"]
    assert taken["from_number"] == "+15550401"
    rows = WebhookRequest.objects.count()

    # The wait URL is a read: every poll after the take answers Leave, none is swallowed.
    for _poll in range(2):
        leave = simulator.post(
            "/phone/voice/wait/", {"CallSid": sid, "From": "+15550401", "To": FIRST_NUMBER}
        )
        assert leave.verbs == ["Leave"]
    assert WebhookRequest.objects.count() == rows

    turns = simulator.wait(sid, "+15550401", FIRST_NUMBER)
    assert [turn.verbs for turn in turns] == [["Leave"], ["Say", "Dial"]]
    dial_turn = turns[1]
    assert dial_turn.said == ["Connecting you to an agent."]
    dial = ET.fromstring(dial_turn.twiml).find("Dial")  # noqa: S314
    assert dial is not None and dial.text == RING_NUMBER
    assert dial.get("callerId") == FIRST_NUMBER
    assert dial.get("action") == "/phone/voice/dequeued/"
    # The provider retries the action: the same Dial, nothing changed twice.
    again = simulator.post(
        "/phone/voice/dequeued/",
        {"CallSid": sid, "From": "+15550401", "To": FIRST_NUMBER, "QueueResult": "leave"},
    )
    assert again.twiml == dial_turn.twiml
    entry = QueueEntry.objects.get(pk=taken["id"])
    assert entry.state == QueueEntry.State.TAKEN and entry.agent == agent
    assert Call.objects.get(call_sid=sid).state == Call.State.ANSWERED

    # The Dial's outcome: the conversation took place; the agent still files the wrap-up.
    done = simulator.post(
        "/phone/voice/dequeued/",
        {"CallSid": sid, "From": "+15550401", "To": FIRST_NUMBER, "DialCallStatus": "completed"},
    )
    assert done.status == 200 and done.verbs == []
    assert QueueEntry.objects.get(pk=entry.pk).state == QueueEntry.State.TAKEN
    agents.call_wrap_up(agent=agent, entry=entry, notes="Explained the export.")
    assert QueueEntry.objects.get(pk=entry.pk).state == QueueEntry.State.DONE


def test_an_italian_caller_hears_the_connection_in_italian(open_region, simulator):
    result = _queued(simulator, open_region, language="2")
    agents.call_take_next(agent=phone_agent(role=Role.AGENT_L1, region=open_region))
    turns = simulator.wait(result.call_sid, "+15550401", FIRST_NUMBER)
    assert turns[1].verbs == ["Say", "Dial"]
    assert turns[1].languages == ["it-IT"]
    assert turns[1].said != ["Connecting you to an agent."]


def test_a_caller_whose_entry_is_not_taken_still_hears_hold_music(open_region, simulator):
    first = _queued(simulator, open_region)
    make_account(open_region, "pro", pin="112233")
    second = simulator.call(["1", "112233", "4"], from_number="+15550402", to_number=FIRST_NUMBER)
    agents.call_take_next(agent=phone_agent(role=Role.AGENT_L1, region=open_region))
    taken = simulator.wait(first.call_sid, "+15550401", FIRST_NUMBER)
    assert [turn.verbs for turn in taken] == [["Leave"], ["Say", "Dial"]]
    hold = simulator.wait(second.call_sid, "+15550402", FIRST_NUMBER)
    assert len(hold) == 1 and "Leave" not in hold[0].verbs and "Pause" in hold[0].verbs
    assert QueueEntry.objects.get(call__call_sid=second.call_sid).state == "waiting"


def test_an_agent_without_a_number_cannot_take_a_call(open_region, simulator):
    result = _queued(simulator, open_region)
    agent = phone_agent(role=Role.AGENT_L1, region=open_region, ring_number="")
    with pytest.raises(agents.NoRingNumber):
        agents.call_take_next(agent=agent)
    client = Client()
    client.force_login(agent)
    api = client.post("/api/v1/phone/queue/take")
    assert api.status_code == 400 and "ring me at" in api.json()["detail"]
    page = client.post("/console/phone/take/", {"ring_number": ""})
    assert page.status_code == 400
    assert "before taking a call" in page.content.decode()
    entry = QueueEntry.objects.get(call__call_sid=result.call_sid)
    assert entry.state == QueueEntry.State.WAITING and entry.agent is None
    assert Call.objects.get(call_sid=result.call_sid).state == Call.State.QUEUED
    assert simulator.wait(result.call_sid, "+15550401", FIRST_NUMBER)[0].verbs[-1] == "Pause"


def test_the_console_form_keeps_a_valid_number_and_refuses_others(open_region, simulator):
    result = _queued(simulator, open_region)
    agent = phone_agent(role=Role.AGENT_L1, region=open_region, ring_number="")
    client = Client()
    client.force_login(agent)
    page = client.get("/console/phone/").content.decode()
    assert 'name="ring_number"' in page and "Ring me at" in page
    for bad in ("02 1234 5678", "+39", "+1 555 000", "not a number"):
        answer = client.post("/console/phone/take/", {"ring_number": bad, "save": "1"})
        assert answer.status_code == 400
        assert "E.164" in answer.content.decode()
    assert agents.ring_number_of(agent) == ""
    saved = client.post("/console/phone/take/", {"ring_number": "+39 02 1234 5678", "save": "1"})
    assert saved.status_code == 302
    assert AgentPresence.objects.get(agent=agent).ring_number == "+390212345678"
    assert QueueEntry.objects.get(call__call_sid=result.call_sid).state == "waiting"  # only saved
    assert 'value="+390212345678"' in client.get("/console/phone/").content.decode()
    assert client.post("/console/phone/take/", {"ring_number": "+390212345678"}).status_code == 302
    assert QueueEntry.objects.get(call__call_sid=result.call_sid).agent == agent
    turns = simulator.wait(result.call_sid, "+15550401", FIRST_NUMBER)
    assert ET.fromstring(turns[1].twiml).find("Dial").text == "+390212345678"  # noqa: S314


def test_the_console_in_italian_labels_the_number(open_region):
    agent = phone_agent(role=Role.AGENT_L1, region=open_region, language="it")
    client = Client()
    client.force_login(agent)
    page = client.get("/console/phone/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert "Ring me at" not in page and RING_NUMBER in page


def test_an_unanswered_agent_phone_turns_the_call_into_a_callback(open_region, simulator):
    result = _queued(simulator, open_region)
    agent = phone_agent(role=Role.AGENT_L1, region=open_region)
    entry = agents.call_take_next(agent=agent)
    simulator.wait(result.call_sid, "+15550401", FIRST_NUMBER)
    missed = simulator.post(
        "/phone/voice/dequeued/",
        {"CallSid": result.call_sid, "From": "+15550401", "DialCallStatus": "no-answer"},
    )
    assert missed.verbs == ["Say", "Hangup"] and "call you back" in missed.said[0]
    entry.refresh_from_db()
    assert entry.kind == QueueEntry.Kind.CALLBACK and entry.agent == agent
    assert Callback.objects.get(entry=entry).number == "+15550401"
    client = Client()
    client.force_login(agent)
    assert "tel:+15550401" in client.get("/console/phone/").content.decode()


def test_a_callback_entry_is_not_dialled_by_the_webhook(open_region, simulator, settings):
    settings.PHONE_CALLBACK_AFTER_SECONDS = 0
    make_account(open_region, "business", pin="919191")
    result = simulator.call(["1", "919191", "2", "1"], from_number="+15550919")
    assert result.outcome == "hangup"
    agents.call_take_next(agent=phone_agent(role=Role.AGENT_L1, region=open_region))
    turns = simulator.wait(result.call_sid, "+15550919")
    assert len(turns) == 1 and "Leave" not in turns[0].verbs


def test_a_caller_transferred_during_the_conversation_waits_for_the_second_line(
    open_region, simulator
):
    """The L1 agent, talking to the caller, transfers them: when the agent's leg ends the caller
    is put back on hold in the second line's queue (not hung up), and an L2 agent is dialled."""
    result = _queued(simulator, open_region)
    sid, caller = result.call_sid, "+15550401"
    l1 = phone_agent(role=Role.AGENT_L1, region=open_region)
    entry = agents.call_take_next(agent=l1)
    turns = simulator.wait(sid, caller, FIRST_NUMBER)
    assert [turn.verbs for turn in turns] == [["Leave"], ["Say", "Dial"]]

    moved = agents.call_transfer(agent=l1, entry=entry)
    ended = simulator.post(
        "/phone/voice/dequeued/",
        {"CallSid": sid, "From": caller, "To": FIRST_NUMBER, "DialCallStatus": "completed"},
    )
    assert "Enqueue" in ended.verbs
    enqueue = ET.fromstring(ended.twiml).find("Enqueue")  # noqa: S314
    assert enqueue is not None and enqueue.text == f"{open_region.code}-second"
    assert enqueue.get("waitUrl") == "/phone/voice/wait/"
    call = Call.objects.get(call_sid=sid)
    assert call.state == Call.State.QUEUED and call.ended_at is None
    assert QueueEntry.objects.get(pk=moved.pk).state == QueueEntry.State.WAITING

    # An L2 agent takes it: the caller, on hold again, is dialled to them.
    l2 = phone_agent(role=Role.AGENT_L2, region=open_region, ring_number="+442071838751")
    assert agents.call_take_next(agent=l2) == moved
    again = simulator.wait(sid, caller, FIRST_NUMBER)
    assert [turn.verbs for turn in again] == [["Leave"], ["Say", "Dial"]]
    dial = ET.fromstring(again[1].twiml).find("Dial")  # noqa: S314
    assert dial is not None and dial.text == "+442071838751"
