"""Outside hours a call becomes a case; a call is taken once; the answer is the first response."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from tierdesk.accounts.roles import Role
from tierdesk.phone.models import Call, Callback, KnownCaller, QueueEntry
from tierdesk.phone.services import agents
from tierdesk.tickets.choices import Channel, EventKind, Line
from tierdesk.tickets.models import Case, SlaClock

from .conftest import FIRST_NUMBER, make_account, phone_agent

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between threads need PostgreSQL"
)


def test_a_call_outside_hours_becomes_a_case_with_the_recording(closed_region, simulator):
    account = make_account(closed_region, "business", pin="232323")
    result = simulator.call(["1", "232323", "3"], from_number="+15550100")
    assert result.outcome == "voicemail"
    call = Call.objects.get()
    assert call.state == Call.State.VOICEMAIL
    case = Case.objects.get()
    assert call.case == case
    assert case.account == account and case.channel == Channel.PHONE and case.severity == 3
    assert call.recording_url in case.description
    assert call.recording_url.startswith("https://recordings.example/")
    assert f"case number {case.pk}" in result.heard[-1]
    assert not QueueEntry.objects.exists()
    # The recording's callback again: no second case.
    simulator.post(result.turns[-1].path, result.turns[-1].params)
    assert Case.objects.count() == 1


def test_severity_1_on_premier_is_answered_at_any_hour(closed_region, simulator):
    make_account(closed_region, "business", "premier", pin="343434")
    result = simulator.call(["1", "343434", "1"], from_number="+15550101")
    assert result.outcome == "queued"
    assert not Case.objects.exists()


def test_severity_1_on_access_outside_hours_goes_to_voicemail(closed_region, simulator):
    make_account(closed_region, "business", "access", pin="454545")
    assert simulator.call(["1", "454545", "1"], from_number="+15550102").outcome == "voicemail"


def _queued(region, simulator, *, pin, license_code="business", severity="3", number=None):
    make_account(region, license_code, pin=pin)
    result = simulator.call(["1", pin, severity], from_number=number or f"+1555{pin}")
    assert result.outcome == "queued", result.heard
    return QueueEntry.objects.get(call__call_sid=result.call_sid)


def test_take_next_follows_the_formula(open_region, simulator):
    pro = _queued(open_region, simulator, pin="100001", license_code="pro")
    enterprise = _queued(open_region, simulator, pin="100002", license_code="enterprise")
    critical = _queued(open_region, simulator, pin="100003", license_code="pro", severity="1")
    agent = phone_agent(role=Role.AGENT_L1, region=open_region)
    taken = [agents.call_take_next(agent=agent) for _ in range(4)]
    assert [e.pk if e else None for e in taken] == [critical.pk, enterprise.pk, pro.pk, None]


def test_an_answered_call_meets_the_first_response_target(open_region, simulator):
    entry = _queued(open_region, simulator, pin="200001", severity="2")
    agent = phone_agent(role=Role.AGENT_L1, region=open_region)
    taken_at = entry.entered_at + timedelta(minutes=3)
    assert agents.call_take_next(agent=agent, now=taken_at) == entry
    case = agents.call_wrap_up(
        agent=agent,
        entry=entry,
        notes="Trunk restarted with the customer; monitoring.",
        now=taken_at + timedelta(minutes=6),
    )
    case.refresh_from_db()
    assert case.channel == Channel.PHONE
    assert case.created_at == entry.entered_at
    assert case.first_responded_at == taken_at
    clock = SlaClock.objects.get(case=case, target="first_response")
    assert clock.met_at == taken_at and clock.breached_at is None
    assert taken_at <= clock.due_at
    assert case.events.filter(kind=EventKind.FIRST_RESPONSE).count() == 1
    notes = case.messages.get(is_public=False)
    assert "Trunk restarted" in notes.body
    entry.refresh_from_db()
    assert entry.state == QueueEntry.State.DONE and entry.call.case == case


def test_wrap_up_links_an_existing_case_of_the_account_only(open_region, simulator):
    entry = _queued(open_region, simulator, pin="300001")
    other = _queued(open_region, simulator, pin="300002")
    agent = phone_agent(role=Role.AGENT_L1, region=open_region)
    agents.call_take_next(agent=agent)
    agents.call_take_next(agent=agent)
    mine = agents.call_wrap_up(agent=agent, entry=entry, notes="First call.")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        agents.call_wrap_up(agent=agent, entry=other, notes="Wrong account.", case=mine)
    again = agents.call_wrap_up(
        agent=agent, entry=other, notes="Second call.", subject="Other problem"
    )
    assert again != mine and again.account == other.call.account


def test_transfer_to_the_second_line_only_where_the_plan_allows(open_region, simulator):
    business = _queued(open_region, simulator, pin="400001", license_code="business")
    pro = _queued(open_region, simulator, pin="400002", license_code="pro", severity="4")
    agent = phone_agent(role=Role.AGENT_L1, region=open_region)
    assert agents.call_take_next(agent=agent) == business
    moved = agents.call_transfer(agent=agent, entry=business)
    assert moved.line == Line.L2.value.replace("l2", "second")
    assert agents.call_take_next(agent=agent) == pro  # L1 agents do not see the second line
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        agents.call_transfer(agent=agent, entry=pro)
    l2 = phone_agent(role=Role.AGENT_L2, region=open_region)
    assert agents.call_take_next(agent=l2) == moved


def test_a_callback_keeps_the_number_and_the_place_when_the_caller_hangs_up(
    open_region, simulator, settings
):
    settings.PHONE_CALLBACK_AFTER_SECONDS = 0
    make_account(open_region, "business", pin="500001")
    first = simulator.call(["1", "500001", "3"], from_number="+15550501")
    second = simulator.call(["1", "500001", "3", "1"], from_number="+15550502")
    assert first.outcome == "queued"
    assert second.outcome == "hangup"
    assert any("call you back" in text for text in second.heard)
    simulator.hang_up(second.call_sid, "+15550502", FIRST_NUMBER)
    callback = Callback.objects.get()
    assert callback.number == "+15550502"
    assert callback.entry.state == QueueEntry.State.WAITING
    assert callback.entry.kind == QueueEntry.Kind.CALLBACK
    simulator.hang_up(first.call_sid, "+15550501", FIRST_NUMBER)
    assert QueueEntry.objects.get(call__call_sid=first.call_sid).state == "abandoned"


def test_a_known_number_needs_no_pin(open_region, simulator):
    account = make_account(open_region, "pro")
    KnownCaller.objects.create(account=account, number="+15550601")
    result = simulator.call(["1", "2"], from_number="+15550601", to_number=FIRST_NUMBER)
    assert result.outcome == "queued"


def test_an_agent_who_loses_the_race_for_a_call_takes_the_next_one(
    open_region, simulator, monkeypatch
):
    """The interleaving of a race, on any database: B takes the entry A has just chosen."""
    first = _queued(open_region, simulator, pin="610001", severity="1")
    second = _queued(open_region, simulator, pin="610002", severity="2")
    a, b = (phone_agent(role=Role.AGENT_L1, region=open_region) for _ in range(2))
    original = agents.waiting_order
    raced = []

    def chosen_then_taken(entries):
        order = original(entries)
        if not raced:
            raced.append(None)
            raced[0] = agents.call_take_next(agent=b)  # B wins the entry A is about to take
        return order

    monkeypatch.setattr(agents, "waiting_order", chosen_then_taken)
    got = agents.call_take_next(agent=a)
    assert raced == [first]
    assert got == second
    first.refresh_from_db()
    assert first.agent == b


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_agents_never_take_the_same_call(open_region, simulator):
    for pin in ("600001", "600002", "600003"):
        _queued(open_region, simulator, pin=pin)
    people = [phone_agent(role=Role.AGENT_L1, region=open_region) for _ in range(4)]
    taken: list[int | None] = []
    barrier = threading.Barrier(len(people))

    def take(agent):
        try:
            barrier.wait(timeout=10)
            entry = agents.call_take_next(agent=agent)
            taken.append(entry.pk if entry else None)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(p,), daemon=True) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    got = [pk for pk in taken if pk is not None]
    assert len(got) == len(set(got)) == 3
    assert QueueEntry.objects.filter(state="taken").values("agent").distinct().count() == 3


def test_the_simulator_reaches_the_queue_for_business_and_is_turned_away_for_basic(
    open_region, simulator
):
    make_account(open_region, "business", pin="700001")
    make_account(open_region, "basic", pin="700002")
    business = simulator.call(["1", "700001", "2"], from_number="+15550701")
    basic = simulator.call(["1", "700002", "2"], from_number="+15550702")
    assert business.outcome == "queued"
    assert any("wait" in text or "shortly" in text for text in business.heard)
    assert basic.outcome == "hangup"
    assert any("does not include phone support" in text for text in basic.heard)
    assert Call.objects.get(call_sid=basic.call_sid).state == Call.State.TURNED_AWAY
