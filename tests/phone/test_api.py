"""The phone API for agents: the queue in order, take next, one's calls; customers refused."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory
from tierdesk.accounts.roles import Role

from .conftest import make_account, phone_agent

pytestmark = pytest.mark.django_db


def test_agents_read_the_queue_in_order_and_take_the_next(open_region, simulator):
    make_account(open_region, "pro", pin="121212")
    make_account(open_region, "enterprise", pin="343434")
    simulator.call(["1", "121212", "3"], from_number="+15550001")
    simulator.call(["1", "343434", "3"], from_number="+15550002")
    simulator.call(["1", "121212", "1"], from_number="+15550003")
    client = Client()
    client.force_login(phone_agent(role=Role.AGENT_L1, region=open_region))
    queue = client.get("/api/v1/phone/queue").json()
    assert [row["from_number"] for row in queue] == ["+15550003", "+15550002", "+15550001"]
    from tierdesk.phone.models import AgentPresence

    assert AgentPresence.objects.count() == 1  # reading the queue marks the agent available
    taken = client.post("/api/v1/phone/queue/take").json()["entry"]
    assert taken["from_number"] == "+15550003" and taken["state"] == "taken"
    assert [c["id"] for c in client.get("/api/v1/phone/calls/mine").json()] == [taken["id"]]
    client.post("/api/v1/phone/queue/take")
    client.post("/api/v1/phone/queue/take")
    assert client.post("/api/v1/phone/queue/take").json() == {"entry": None}


def test_customers_and_visitors_are_refused(open_region):
    assert Client().get("/api/v1/phone/queue").status_code == 401
    client = Client()
    client.force_login(UserFactory(account=make_account(open_region, "business")))
    assert client.get("/api/v1/phone/queue").status_code == 403
    assert client.post("/api/v1/phone/queue/take").status_code == 403


def test_an_agent_of_another_region_does_not_see_this_queue(open_region, simulator):
    from tests.factories import SupportRegionFactory

    make_account(open_region, "pro", pin="565656")
    simulator.call(["1", "565656", "3"], from_number="+15550009")
    client = Client()
    client.force_login(phone_agent(role=Role.AGENT_L1, region=SupportRegionFactory()))
    assert client.get("/api/v1/phone/queue").json() == []


def test_wrap_up_and_transfer_through_the_api(open_region, simulator):
    import json

    make_account(open_region, "business", pin="787878")
    simulator.call(["1", "787878", "2"], from_number="+15550021")
    simulator.call(["1", "787878", "3"], from_number="+15550022")
    agent = phone_agent(role=Role.AGENT_L1, region=open_region)
    other = phone_agent(role=Role.AGENT_L1, region=open_region)
    client = Client()
    client.force_login(agent)
    first = client.post("/api/v1/phone/queue/take").json()["entry"]
    intruder = Client()
    intruder.force_login(other)
    body = json.dumps({"notes": "Fixed on the call."})
    url = f"/api/v1/phone/calls/{first['id']}/wrap-up"
    assert intruder.post(url, body, content_type="application/json").status_code == 404
    empty = client.post(url, json.dumps({"notes": " "}), content_type="application/json")
    assert empty.status_code == 422
    done = client.post(url, body, content_type="application/json")
    assert done.status_code == 200
    from tierdesk.tickets.models import Case

    case = Case.objects.get(pk=done.json()["case_id"])
    assert case.channel == "phone" and case.first_responded_at is not None
    second = client.post("/api/v1/phone/queue/take").json()["entry"]
    moved = client.post(f"/api/v1/phone/calls/{second['id']}/transfer")
    assert moved.status_code == 200 and moved.json()["line"] == "second"
    assert moved.json()["state"] == "waiting"


def test_an_agent_sets_the_ring_me_at_number_through_the_api_then_takes_a_call(
    open_region, simulator
):
    """Without a number the take is refused (400); PUT sets it (normalised), GET reads it, a
    bad number is 422 and keeps the one set; customers get 403."""
    make_account(open_region, "business", pin="909090")
    simulator.call(["1", "909090", "2"], from_number="+15550031")
    client = Client()
    client.force_login(phone_agent(ring_number="", role=Role.AGENT_L1, region=open_region))
    assert client.get("/api/v1/phone/ring-number").json() == {"ring_number": ""}
    assert client.post("/api/v1/phone/queue/take").status_code == 400

    def put(number: str):
        return client.put(
            "/api/v1/phone/ring-number",
            data={"ring_number": number},
            content_type="application/json",
        )

    response = put("+39 02 1234 5678")
    assert response.status_code == 200 and response.json() == {"ring_number": "+390212345678"}
    bad = put("0212345678")
    assert bad.status_code == 422 and "ring_number" in str(bad.json()["detail"])
    assert client.get("/api/v1/phone/ring-number").json() == {"ring_number": "+390212345678"}
    taken = client.post("/api/v1/phone/queue/take").json()["entry"]
    assert taken["from_number"] == "+15550031"
    assert put("").json() == {"ring_number": ""}
    customer = Client()
    customer.force_login(UserFactory(account=make_account(open_region, "business")))
    assert customer.get("/api/v1/phone/ring-number").status_code == 403
    assert (
        customer.put(
            "/api/v1/phone/ring-number", data={"ring_number": ""}, content_type="application/json"
        ).status_code
        == 403
    )
