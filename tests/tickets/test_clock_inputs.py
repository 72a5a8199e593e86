"""One source for a case's clock inputs (issue 7, deliverable 2 and finding 2).

`selectors.clocks.case_clock_inputs` is the only reader of targets, calendar, start, stop
instants and pauses; the clocks, the API's `/sla?explain=true`, the console's explanations and
the badges take them from there. Before, the API explained a due instant with every pause,
also those after the target was met, and ended elsewhere than its own `due_at`.
"""

from __future__ import annotations

import ast
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tierdesk.accounts.services.tokens import api_token_create
from tierdesk.tickets.choices import Status, TargetKind
from tierdesk.tickets.display import clock_badges
from tierdesk.tickets.models import Case, SlaClock
from tierdesk.tickets.selectors.api import case_sla
from tierdesk.tickets.selectors.clocks import case_clock_inputs
from tierdesk.tickets.selectors.console import case_explanation
from tierdesk.tickets.services.cases import (
    case_change_severity,
    case_create,
    case_reply,
    case_set_status,
)

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
END_AT = re.compile(r" end at (\S+):$")


def bearer(user) -> dict[str, str]:
    _, secret = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {secret}"}


def scenarios(customer, agent) -> dict[str, Case]:
    """Cases with closed and open pauses, stops before and after pauses, severity changes.

    Each history ends before the real now, so that the API (which evaluates at now) sees it all.
    """
    t = timezone.now() - timedelta(days=3)

    def opened(severity: int, at: datetime) -> Case:
        return case_create(
            actor=customer, subject="Calls drop", description="Often.", severity=severity, now=at
        )

    out = {}
    # Answered, then waiting later, then the customer answers: a closed pause after the stop.
    case = out["answered-then-closed-pause"] = opened(2, t)
    case_reply(actor=agent, case=case, body="Try this.", now=t + HOUR)
    case_set_status(actor=agent, case=case, status=Status.WAITING, now=t + 2 * HOUR)
    case_reply(actor=customer, case=case, body="Did not help.", now=t + 5 * HOUR)
    # Answered, then waiting now: an open pause after the stop (finding 1).
    case = out["answered-then-open-pause"] = opened(3, t)
    case_reply(actor=agent, case=case, body="Try this.", now=t + HOUR)
    case_set_status(actor=agent, case=case, status=Status.WAITING, now=t + 3 * HOUR)
    # Waiting before any answer, still waiting: an open pause, no stop.
    case = out["open-pause-unanswered"] = opened(2, t)
    case_set_status(actor=agent, case=case, status=Status.WAITING, now=t + HOUR)
    # A severity change mid-case (to a 24x7 target), a closed pause, then solved (open pause).
    case = out["severity-change-then-solved"] = opened(3, t)
    case_set_status(actor=agent, case=case, status=Status.WAITING, now=t + HOUR)
    case_reply(actor=customer, case=case, body="Here are the logs.", now=t + 2 * HOUR)
    case_change_severity(actor=agent, case=case, severity=1, now=t + 3 * HOUR)
    case_reply(actor=agent, case=case, body="Fixed.", then_status=Status.SOLVED, now=t + 4 * HOUR)
    # Solved, then reopened by the customer, then answered again: pauses across both stops.
    case = out["solved-then-reopened"] = opened(2, t)
    case_reply(actor=agent, case=case, body="Done.", then_status=Status.SOLVED, now=t + HOUR)
    case_reply(actor=customer, case=case, body="Not done.", now=t + 30 * HOUR)
    case_set_status(actor=agent, case=case, status=Status.WAITING, now=t + 31 * HOUR)
    for case in out.values():
        case.refresh_from_db()
    return out


def test_api_explanations_end_at_their_due_at(client, customer, agent):
    headers = bearer(agent)
    for name, case in scenarios(customer, agent).items():
        response = client.get(f"/api/v1/cases/{case.pk}/sla?explain=true", headers=headers)
        assert response.status_code == 200, (name, response.content)
        states = response.json()
        assert {s["target"] for s in states} == set(TargetKind.values), name
        for state in states:
            end = END_AT.search(state["explanation"][0])
            assert end is not None, state["explanation"][0]
            explained = datetime.fromisoformat(end.group(1))
            due = datetime.fromisoformat(state["due_at"].replace("Z", "+00:00"))
            # The JSON carries instants to the millisecond.
            explained -= timedelta(microseconds=explained.microsecond % 1000)
            assert explained == due, (name, state["target"], state["explanation"])


def test_console_explanations_end_at_the_clocks_due_instant(client, customer, agent):
    client.force_login(agent)
    for name, case in scenarios(customer, agent).items():
        now = timezone.now()
        dues = {s.target: s.due_at for s in case_sla(case, now=now)}
        inputs = case_clock_inputs(case)
        for target in TargetKind.values:
            explanation = case_explanation(case, target, now=now)
            assert explanation.due == dues[target], (name, target)
            spec = inputs.target(target)
            assert spec is not None
            assert explanation.due == inputs.clock(spec, now=now).due
            assert explanation.counted == explanation.target
            page = client.get(reverse("tickets:console-explain", args=[case.pk, target]))
            assert page.status_code == 200, (name, target)


def test_the_stored_rows_are_the_clocks_of_the_inputs(customer, agent):
    """The rows written at the last change equal the clocks of the inputs at that instant."""
    for name, case in scenarios(customer, agent).items():
        last = case.events.order_by("-at").values_list("at", flat=True).first()
        assert last is not None
        states = case_clock_inputs(case).clocks(now=last)
        rows = {c.target: c.due_at for c in SlaClock.objects.filter(case=case)}
        assert rows == {target: state.due for target, state in states.items()}, name


def test_badges_follow_the_inputs(customer, agent):
    cases = scenarios(customer, agent)
    now = timezone.now()
    badges = {
        name: {b.target: b.state for b in clock_badges(case, case.clocks.all(), now=now)}
        for name, case in cases.items()
    }
    assert badges["answered-then-open-pause"][TargetKind.FIRST_RESPONSE] in ("met", "breached")
    assert badges["answered-then-open-pause"][TargetKind.RESOLUTION] in ("paused", "breached")
    assert badges["severity-change-then-solved"][TargetKind.RESOLUTION] in ("met", "breached")
    for name, case in cases.items():
        inputs = case_clock_inputs(case)
        for target, state in badges[name].items():
            spec = inputs.target(target)
            assert spec is not None
            if spec.stopped_at is not None:
                assert state in ("met", "breached"), (name, target)
            elif not inputs.running:
                assert state in ("paused", "breached"), (name, target)


def test_a_badge_reads_no_pauses_and_no_calendar(customer, agent, django_assert_num_queries):
    case = scenarios(customer, agent)["open-pause-unanswered"]
    case = Case.objects.select_related("region").prefetch_related("clocks").get(pk=case.pk)
    with django_assert_num_queries(0):
        clock_badges(case, case.clocks.all(), now=timezone.now())


def test_selectors_never_import_services():
    package = Path(__file__).resolve().parents[2] / "src/tierdesk/tickets/selectors"
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                assert "services" not in module.split("."), (path.name, module)
