"""Everyday workflows in the order people really work, with time moving between the actions.

Each workflow runs twice: through the API (bearer tokens) and through the pages (the portal's
and the console's forms, with the Django test client). The clock is frozen at each step's
instant with time-machine, so the requests run at that instant as they would in production;
the periodic jobs (the SLA timer sweep, auto-close) are called at their instants too. After
every step the test checks the status, the clock rows (due, met, breached) and the history.

Region: Rome, open Monday to Friday 09:00-13:00 and 14:00-18:00 (tests/tickets/conftest.py).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from tests.factories import StaffAdminFactory, SupportRegionFactory, VendorUserFactory
from tierdesk.accounts.roles import Role
from tierdesk.accounts.services.tokens import api_token_create
from tierdesk.tickets.choices import EventKind, Line, Status, TargetKind
from tierdesk.tickets.models import Case, CaseEvent, SelfEscalation, SlaClock
from tierdesk.tickets.services.autoclose import cases_autoclose
from tierdesk.tickets.services.cases import case_create
from tierdesk.tickets.services.timers import timers_sweep

from .conftest import rome
from .test_merge import slow_locks  # noqa: F401  (a fixture)

FR, RES = TargetKind.FIRST_RESPONSE, TargetKind.RESOLUTION
API = "/api/v1"


# Drivers: the same actions through the API and through the pages ------------------------------


class Driver:
    """What a person does; each action runs at the frozen instant and answers with its status."""

    name = ""

    def __init__(self) -> None:
        self.clients: dict[int, Client] = {}

    def client(self, user: Any) -> Client:
        if user.pk not in self.clients:
            self.clients[user.pk] = self.new_client(user)
        return self.clients[user.pk]

    def new_client(self, user: Any) -> Client:
        raise NotImplementedError


class ApiDriver(Driver):
    name = "api"

    def new_client(self, user: Any) -> Client:
        _, secret = api_token_create(user=user, name="workflow")
        return Client(headers={"Authorization": f"Bearer {secret}"})

    def post(self, user: Any, path: str, data: dict[str, Any]) -> Any:
        return self.client(user).post(API + path, data, content_type="application/json")

    def open(self, customer: Any, subject: str, severity: int) -> int:
        response = self.post(
            customer,
            "/cases",
            {"subject": subject, "description": "Details.", "severity": severity},
        )
        assert response.status_code == 201, response.content
        return response.json()["id"]

    def see(self, user: Any, case_id: int) -> int:
        return self.client(user).get(f"{API}/cases/{case_id}").status_code

    def claim(self, agent: Any, case_id: int) -> int:
        return self.post(agent, f"/cases/{case_id}/assign", {"assignee_id": agent.pk}).status_code

    def reply(self, user: Any, case_id: int, body: str, then: str | None = None) -> int:
        data: dict[str, Any] = {"body": body}
        if then is not None:
            data["status"] = then
        return self.post(user, f"/cases/{case_id}/messages", data).status_code

    def set_status(self, agent: Any, case_id: int, status: str) -> int:
        return self.post(agent, f"/cases/{case_id}/status", {"status": status}).status_code

    def severity(self, agent: Any, case_id: int, severity: int, note: str) -> int:
        data = {"severity": severity, "note": note}
        return self.post(agent, f"/cases/{case_id}/severity", data).status_code

    def escalate(self, agent: Any, case_id: int, line: str, reason: str) -> int:
        data = {"line": line, "reason": reason}
        return self.post(agent, f"/cases/{case_id}/escalate", data).status_code

    def ask_escalation(self, customer: Any, case_id: int, reason: str) -> int:
        data = {"reason": reason, "details": "Please."}
        return self.post(customer, f"/cases/{case_id}/self-escalations", data).status_code

    def decide(self, supervisor: Any, request_id: int, accept: bool, reason: str) -> int:
        data = {"decision": "accepted" if accept else "rejected", "reason": reason}
        return self.post(supervisor, f"/self-escalations/{request_id}/decision", data).status_code


class PageDriver(Driver):
    name = "pages"

    def new_client(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def act(self, agent: Any, action: str, case_id: int, data: dict[str, Any]) -> int:
        url = reverse(f"tickets:console-{action}", args=[case_id])
        return self.client(agent).post(url, data).status_code

    def open(self, customer: Any, subject: str, severity: int) -> int:
        response = self.client(customer).post(
            reverse("tickets:new"),
            {"subject": subject, "description": "Details.", "severity": severity},
        )
        assert response.status_code == 302, response.content
        match = re.search(r"/cases/(\d+)/$", response["Location"])
        assert match is not None
        return int(match.group(1))

    def see(self, user: Any, case_id: int) -> int:
        return self.client(user).get(reverse("case-detail", args=[case_id])).status_code

    def claim(self, agent: Any, case_id: int) -> int:
        return self.act(agent, "claim", case_id, {})

    def reply(self, user: Any, case_id: int, body: str, then: str | None = None) -> int:
        if user.account_id is not None:
            url = reverse("tickets:reply", args=[case_id])
            return self.client(user).post(url, {"body": body}).status_code
        send = {None: "reply", Status.WAITING: "wait", Status.SOLVED: "solve"}[then]
        return self.act(user, "reply", case_id, {"body": body, "send": send})

    def set_status(self, agent: Any, case_id: int, status: str) -> int:
        return self.act(agent, "status", case_id, {"status": status, "note": ""})

    def severity(self, agent: Any, case_id: int, severity: int, note: str) -> int:
        return self.act(agent, "severity", case_id, {"severity": severity, "note": note})

    def escalate(self, agent: Any, case_id: int, line: str, reason: str) -> int:
        return self.act(agent, "escalate", case_id, {"line": line, "reason": reason})

    def ask_escalation(self, customer: Any, case_id: int, reason: str) -> int:
        url = reverse("tickets:self-escalate", args=[case_id])
        return self.client(customer).post(url, {"reason": reason, "details": "Please."}).status_code

    def decide(self, supervisor: Any, request_id: int, accept: bool, reason: str) -> int:
        prefix = f"r{request_id}"
        data = {f"{prefix}-decision": "accept" if accept else "reject", f"{prefix}-reason": reason}
        url = reverse("tickets:escalation-decide", args=[request_id])
        return self.client(supervisor).post(url, data).status_code


@pytest.fixture(params=[ApiDriver, PageDriver], ids=["api", "pages"])
def drive(request: pytest.FixtureRequest) -> Driver:
    driver: Driver = request.param()
    return driver


OK = {"api": (200, 201), "pages": (302,)}


def ok(drive: Driver, status: int) -> None:
    assert status in OK[drive.name], status


# What every step checks -------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    due: datetime
    met: datetime | None = None
    breached: datetime | None = None


def clocks(case_id: int) -> dict[str, Clock]:
    return {
        row.target: Clock(row.due_at, row.met_at, row.breached_at)
        for row in SlaClock.objects.filter(case_id=case_id)
    }


def kinds(case_id: int) -> list[str]:
    return list(
        CaseEvent.objects.filter(case_id=case_id)
        .order_by("at", "pk")
        .values_list("kind", flat=True)
    )


def check(
    case_id: int,
    *,
    status: str,
    clock: dict[str, Clock],
    history: list[str],
    line: str = Line.L1,
) -> Case:
    case = Case.objects.get(pk=case_id)
    assert (case.status, case.line) == (status, line)
    assert clocks(case_id) == clock
    assert kinds(case_id) == history
    assert history_on_the_page(case_id) == [(k, str(EventKind(k).label)) for k in history]
    return case


_VIEWER: dict[str, Client] = {}


def history_on_the_page(case_id: int) -> list[tuple[str, str]]:
    """The history rows of the console's case page (kind, what), seen by a staff admin."""
    html = _VIEWER["client"].get(reverse("case-detail", args=[case_id])).content.decode()
    section = html.split('id="history"')[1].split("</table>")[0]
    assert not re.search(r">[^<]*\d{4}-\d\d-\d\dT\d\d:\d\d", section)  # no ISO stamps shown
    rows = re.findall(r'<tr data-kind="(\w+)">(.*?)</tr>', section, re.S)
    cell = re.compile(r"<td[^>]*>(.*?)</td>", re.S)  # cells carry data-label (cards on phones)
    return [(kind, cell.findall(cells)[2].strip()) for kind, cells in rows]


@pytest.fixture
def frozen(db: None) -> Iterator[time_machine.Coordinates]:
    _VIEWER["client"] = Client()
    _VIEWER["client"].force_login(StaffAdminFactory())
    with time_machine.travel(rome(2026, 3, 2, 10, 0), tick=False) as traveller:
        yield traveller
    _VIEWER.clear()


# Open -> reply -> later wait -> customer answers -> solve -> reopen -> close ---------------------


def test_a_case_from_opening_to_closing(drive, frozen, customer, agent):
    # Premier, severity 2: 4 business hours to a first response, 24 to a resolution.
    case_id = drive.open(customer, "VPN drops every hour", 2)
    fr = Clock(rome(2026, 3, 2, 15, 0))
    history = [EventKind.CREATED]
    check(
        case_id,
        status=Status.NEW,
        clock={FR: fr, RES: Clock(rome(2026, 3, 5, 10, 0))},
        history=history,
    )

    frozen.move_to(rome(2026, 3, 2, 11, 0))  # an hour later, the agent answers
    ok(drive, drive.reply(agent, case_id, "Which client version?"))
    fr = Clock(fr.due, met=rome(2026, 3, 2, 11, 0))
    history += [EventKind.FIRST_RESPONSE, EventKind.STATUS]
    check(
        case_id,
        status=Status.OPEN,
        clock={FR: fr, RES: Clock(rome(2026, 3, 5, 10, 0))},
        history=history,
    )

    frozen.move_to(rome(2026, 3, 2, 12, 0))  # later, they wait on the customer (finding 1)
    ok(drive, drive.set_status(agent, case_id, Status.WAITING))
    history += [EventKind.STATUS]
    check(
        case_id,
        status=Status.WAITING,
        clock={FR: fr, RES: Clock(rome(2026, 3, 5, 10, 0))},
        history=history,
    )

    frozen.move_to(rome(2026, 3, 3, 10, 0))  # the customer answers the next morning
    ok(drive, drive.reply(customer, case_id, "Version 8.4.2."))
    # Paused 12:00-13:00 and 14:00-18:00 on Monday, 09:00-10:00 on Tuesday: 6 business hours.
    history += [EventKind.STATUS]
    check(
        case_id,
        status=Status.OPEN,
        clock={FR: fr, RES: Clock(rome(2026, 3, 5, 17, 0))},
        history=history,
    )

    frozen.move_to(rome(2026, 3, 3, 11, 0))
    ok(drive, drive.reply(agent, case_id, "Fixed in 8.4.3: please upgrade.", then=Status.SOLVED))
    res = Clock(rome(2026, 3, 5, 17, 0), met=rome(2026, 3, 3, 11, 0))
    history += [EventKind.STATUS]
    check(case_id, status=Status.SOLVED, clock={FR: fr, RES: res}, history=history)

    frozen.move_to(rome(2026, 3, 4, 10, 0))  # the customer says it is not fixed: reopened
    ok(drive, drive.reply(customer, case_id, "Still dropping after the upgrade."))
    # Solved (paused) Tue 11:00-13:00, 14:00-18:00, Wed 09:00-10:00: 7 more business hours.
    history += [EventKind.STATUS]
    check(
        case_id,
        status=Status.OPEN,
        clock={FR: fr, RES: Clock(rome(2026, 3, 6, 16, 0))},
        history=history,
    )

    frozen.move_to(rome(2026, 3, 4, 11, 0))
    ok(drive, drive.set_status(agent, case_id, Status.SOLVED))
    res = Clock(rome(2026, 3, 6, 16, 0), met=rome(2026, 3, 4, 11, 0))
    history += [EventKind.STATUS]
    check(case_id, status=Status.SOLVED, clock={FR: fr, RES: res}, history=history)

    frozen.move_to(rome(2026, 3, 9, 9, 0))  # four quiet days later, the nightly job closes it
    assert cases_autoclose() == 1
    history += [EventKind.STATUS]
    case = check(case_id, status=Status.CLOSED, clock={FR: fr, RES: res}, history=history)
    assert case.closed_at == rome(2026, 3, 9, 9, 0)
    assert drive.reply(customer, case_id, "One more thing") not in OK[drive.name]
    assert kinds(case_id) == history
    statuses = [
        (e.before, e.after) for e in CaseEvent.objects.filter(case_id=case_id, kind="status")
    ]
    assert statuses == [
        ("new", "open"),
        ("open", "waiting"),
        ("waiting", "open"),
        ("open", "solved"),
        ("solved", "open"),
        ("open", "solved"),
        ("solved", "closed"),
    ]


# Severity changed mid-case ---------------------------------------------------------------------


def test_severity_raised_then_lowered_mid_case(drive, frozen, customer, agent):
    # Severity 3 on Premier: 8 business hours to a first response, 24 to a resolution.
    case_id = drive.open(customer, "Reports are slow", 3)
    history = [EventKind.CREATED]
    check(
        case_id,
        status=Status.NEW,
        clock={FR: Clock(rome(2026, 3, 3, 10, 0)), RES: Clock(rome(2026, 3, 5, 10, 0))},
        history=history,
    )

    frozen.move_to(rome(2026, 3, 2, 10, 30))  # it turns out nobody can work: severity 1
    ok(drive, drive.severity(agent, case_id, 1, "Whole office down"))
    # Severity 1 runs around the clock from the opening: 1 h and 4 h from 10:00.
    history += [EventKind.SEVERITY]
    check(
        case_id,
        status=Status.NEW,
        clock={FR: Clock(rome(2026, 3, 2, 11, 0)), RES: Clock(rome(2026, 3, 2, 14, 0))},
        history=history,
    )

    frozen.move_to(rome(2026, 3, 2, 10, 45))
    ok(drive, drive.reply(agent, case_id, "We are on it."))
    fr = Clock(rome(2026, 3, 2, 11, 0), met=rome(2026, 3, 2, 10, 45))
    history += [EventKind.FIRST_RESPONSE, EventKind.STATUS]
    check(
        case_id,
        status=Status.OPEN,
        clock={FR: fr, RES: Clock(rome(2026, 3, 2, 14, 0))},
        history=history,
    )

    frozen.move_to(rome(2026, 3, 2, 15, 0))  # the sweep finds the resolution overdue
    timers_sweep()
    history_now = kinds(case_id)
    assert history_now[-1] == EventKind.SLA_BREACH
    assert EventKind.SLA_WARNING in history_now[len(history) :]
    history = history_now
    breached = Clock(rome(2026, 3, 2, 14, 0), breached=rome(2026, 3, 2, 14, 0))
    check(case_id, status=Status.OPEN, clock={FR: fr, RES: breached}, history=history)

    frozen.move_to(rome(2026, 3, 2, 15, 30))  # a workaround: back to severity 2
    ok(drive, drive.severity(agent, case_id, 2, "Workaround in place"))
    # Severity 2 as if from the start: 4 business hours (met at 10:45), 24 to a resolution;
    # the breach of the severity-1 target no longer holds, its history entry stays.
    history += [EventKind.SEVERITY]
    check(
        case_id,
        status=Status.OPEN,
        clock={
            FR: Clock(rome(2026, 3, 2, 15, 0), met=rome(2026, 3, 2, 10, 45)),
            RES: Clock(rome(2026, 3, 5, 10, 0)),
        },
        history=history,
    )
    changes = CaseEvent.objects.filter(case_id=case_id, kind=EventKind.SEVERITY)
    assert [(e.before, e.after, e.note) for e in changes] == [
        (3, 1, "Whole office down"),
        (1, 2, "Workaround in place"),
    ]


# L1 -> L2 -> engineering ------------------------------------------------------------------------


def test_first_line_to_second_line_to_engineering(
    drive, frozen, premier_plus_account, agent, agent_l2, engineer
):
    from tests.factories import UserFactory

    customer = UserFactory(account=premier_plus_account)
    case_id = drive.open(customer, "Media server crashes", 2)
    clock = {FR: Clock(rome(2026, 3, 2, 15, 0)), RES: Clock(rome(2026, 3, 5, 10, 0))}
    history = [EventKind.CREATED]
    check(case_id, status=Status.NEW, clock=clock, history=history)

    frozen.move_to(rome(2026, 3, 2, 10, 10))
    ok(drive, drive.claim(agent, case_id))
    history += [EventKind.STATUS, EventKind.ASSIGNEE]
    check(case_id, status=Status.OPEN, clock=clock, history=history)

    frozen.move_to(rome(2026, 3, 2, 10, 20))
    ok(drive, drive.reply(agent, case_id, "Can you send the core dump?"))
    clock[FR] = Clock(clock[FR].due, met=rome(2026, 3, 2, 10, 20))
    history += [EventKind.FIRST_RESPONSE]
    check(case_id, status=Status.OPEN, clock=clock, history=history)

    frozen.move_to(rome(2026, 3, 2, 10, 30))
    ok(drive, drive.escalate(agent, case_id, Line.L2, "Crash under load"))
    history += [EventKind.ESCALATED]
    case = check(case_id, status=Status.OPEN, clock=clock, history=history, line=Line.L2)
    assert case.assignee_id is None  # back in the L2 queue
    assert drive.see(agent, case_id) == 404  # out of the L1 agent's sight
    assert drive.see(agent_l2, case_id) == 200

    frozen.move_to(rome(2026, 3, 2, 10, 40))
    ok(drive, drive.claim(agent_l2, case_id))
    history += [EventKind.ASSIGNEE]
    check(case_id, status=Status.OPEN, clock=clock, history=history, line=Line.L2)

    frozen.move_to(rome(2026, 3, 2, 11, 0))
    ok(drive, drive.escalate(agent_l2, case_id, Line.ENGINEERING, "Defect in the mixer"))
    history += [EventKind.ESCALATED]
    check(case_id, status=Status.OPEN, clock=clock, history=history, line=Line.ENGINEERING)

    frozen.move_to(rome(2026, 3, 2, 11, 10))
    ok(drive, drive.claim(engineer, case_id))
    history += [EventKind.ASSIGNEE]
    case = check(case_id, status=Status.OPEN, clock=clock, history=history, line=Line.ENGINEERING)
    assert case.assignee_id == engineer.pk
    lines = CaseEvent.objects.filter(case_id=case_id, kind=EventKind.ESCALATED)
    assert [(e.before, e.after, e.actor_id) for e in lines] == [
        (Line.L1, Line.L2, agent.pk),
        (Line.L2, Line.ENGINEERING, agent_l2.pk),
    ]


def test_engineering_is_refused_on_a_plan_without_it(drive, frozen, customer, agent, agent_l2):
    case_id = drive.open(customer, "Crash", 2)  # Business: no technical intervention
    ok(drive, drive.escalate(agent, case_id, Line.L2, "Beyond L1"))
    history = [EventKind.CREATED, EventKind.ESCALATED]
    clock = {FR: Clock(rome(2026, 3, 2, 15, 0)), RES: Clock(rome(2026, 3, 5, 10, 0))}
    frozen.move_to(rome(2026, 3, 2, 11, 0))
    assert drive.escalate(agent_l2, case_id, Line.ENGINEERING, "Defect") not in OK[drive.name]
    check(case_id, status=Status.NEW, clock=clock, history=history, line=Line.L2)


# Self-escalation decided by the right and the wrong supervisor --------------------------------


def test_a_customer_escalation_decided_by_the_right_supervisor_not_the_wrong_one(
    drive, frozen, premier_plus_account, agent, supervisor
):
    from tests.factories import UserFactory

    customer = UserFactory(account=premier_plus_account)
    us = SupportRegionFactory(code="us", name="United States", time_zone="America/New_York")
    wrong = VendorUserFactory(role=Role.SUPERVISOR, region=us, email="sup.us@vendor.example")
    case_id = drive.open(customer, "Dial-in numbers missing", 3)
    frozen.move_to(rome(2026, 3, 2, 10, 30))
    ok(drive, drive.reply(agent, case_id, "Looking into it."))
    fr = Clock(rome(2026, 3, 3, 10, 0), met=rome(2026, 3, 2, 10, 30))
    clock = {FR: fr, RES: Clock(rome(2026, 3, 5, 10, 0))}
    history = [EventKind.CREATED, EventKind.FIRST_RESPONSE, EventKind.STATUS]
    check(case_id, status=Status.OPEN, clock=clock, history=history)

    frozen.move_to(rome(2026, 3, 2, 18, 0))  # too early: the plan allows it after 24 hours
    assert drive.ask_escalation(customer, case_id, "delayed_responses") not in OK[drive.name]
    assert not SelfEscalation.objects.exists()
    check(case_id, status=Status.OPEN, clock=clock, history=history)

    frozen.move_to(rome(2026, 3, 3, 11, 0))
    ok(drive, drive.ask_escalation(customer, case_id, "delayed_responses"))
    request = SelfEscalation.objects.get(case_id=case_id)
    history += [EventKind.SELF_ESCALATION_REQUESTED]
    check(case_id, status=Status.OPEN, clock=clock, history=history)

    frozen.move_to(rome(2026, 3, 3, 11, 30))  # another region's supervisor: as if it did not exist
    assert drive.decide(wrong, request.pk, True, "Sure") == 404
    request.refresh_from_db()
    assert request.decision == SelfEscalation.Decision.PENDING
    check(case_id, status=Status.OPEN, clock=clock, history=history)

    frozen.move_to(rome(2026, 3, 3, 12, 0))  # the case's region's supervisor accepts
    ok(drive, drive.decide(supervisor, request.pk, True, "Two days without news"))
    request.refresh_from_db()
    assert (request.decision, request.decided_by_id) == (
        SelfEscalation.Decision.ACCEPTED,
        supervisor.pk,
    )
    assert request.decided_at == rome(2026, 3, 3, 12, 0)
    history += [EventKind.SELF_ESCALATION_DECIDED, EventKind.ESCALATED]
    check(case_id, status=Status.OPEN, clock=clock, history=history, line=Line.L2)

    frozen.move_to(rome(2026, 3, 3, 12, 30))  # decided once: the second decision is refused
    assert drive.decide(supervisor, request.pk, False, "Changed my mind") not in OK[drive.name]
    check(case_id, status=Status.OPEN, clock=clock, history=history, line=Line.L2)


# Merge both ways at once -----------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two merges interleave only with real row locks (PostgreSQL); SQLite serialises them",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("slow_locks")
def test_two_agents_merge_two_cases_into_each_other_at_once(customer, agent, supervisor):
    # Through the console: the API has no merge operation.
    first = case_create(actor=customer, subject="A", description="D", severity=3)
    second = case_create(actor=customer, subject="B", description="D", severity=3)
    pages = PageDriver()
    barrier = threading.Barrier(2)
    answers: dict[str, int] = {}

    def merge(name: str, user: Any, source: Case, target: Case) -> None:
        try:
            barrier.wait(timeout=10)
            answers[name] = pages.act(user, "merge", source.pk, {"target": f"#{target.pk}"})
        finally:
            connections.close_all()

    pages.client(agent), pages.client(supervisor)  # sign in before the race
    threads = [
        threading.Thread(target=merge, args=("ab", agent, first, second)),
        threading.Thread(target=merge, args=("ba", supervisor, second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers.values()) == [302, 400], answers  # one merge, one clear refusal
    merged = Case.objects.filter(pk__in=(first.pk, second.pk), merged_into__isnull=False)
    assert merged.count() == 1
    loser = Case.objects.get(pk__in=(first.pk, second.pk), merged_into__isnull=True)
    assert loser.status == Status.NEW
    assert CaseEvent.objects.filter(kind=EventKind.MERGED_INTO).count() == 1
