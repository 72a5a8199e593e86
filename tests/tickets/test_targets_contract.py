"""Targets are a contract (issue 7, finding 5): a case keeps the targets in force when it opened.

Before, every recomputation read the plan's current targets: after an admin changed a target,
the next reply on one case moved its due times and left the identical case beside it alone.
Now a case stores its plan's table when it opens; a changed target applies to new cases, and to
open ones only when an admin applies it from the support plan's page, which first shows how
many cases' due times move and by how much, and records the change in each case's history.
"""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse

from tests.factories import StaffAdminFactory, VendorUserFactory
from tierdesk.accounts.entitlements import sla_target_table
from tierdesk.accounts.models import SlaTarget
from tierdesk.accounts.roles import Role
from tierdesk.sla.policies import default_table, target_table_to_json
from tierdesk.tickets.choices import Status, TargetKind, TimerEvent
from tierdesk.tickets.models import Case, CaseEvent, SlaClock, SlaTimer
from tierdesk.tickets.selectors.clocks import target_change_preview
from tierdesk.tickets.services.cases import (
    case_change_severity,
    case_create,
    case_reply,
    case_set_status,
)

from .conftest import MONDAY_10, rome

pytestmark = pytest.mark.django_db

H = 60


def open_case(customer, *, severity: int = 2, now=MONDAY_10) -> Case:
    return case_create(
        actor=customer,
        subject="Meetings drop after 5 minutes",
        description="Every meeting drops.",
        severity=severity,
        now=now,
    )


def clocks(case: Case) -> dict[str, tuple[int, object]]:
    return {c.target: (c.target_minutes, c.due_at) for c in SlaClock.objects.filter(case=case)}


def change_premier_severity_2(*, first: int, resolution: int) -> None:
    """What an admin does in the support plan's inline: edit a target row."""
    SlaTarget.objects.filter(support_plan__code="premier", severity=2).update(
        first_response_minutes=first, resolution_minutes=resolution
    )


@pytest.fixture
def staff_client(client):
    client.force_login(StaffAdminFactory())
    return client


def apply_url(case: Case) -> str:
    return reverse("admin:accounts_supportplan_apply_targets", args=[case.account.support_plan_id])


def test_a_case_stores_its_plans_targets_when_it_opens(customer):
    case = open_case(customer)
    case.refresh_from_db()
    assert case.sla_targets == target_table_to_json(default_table("premier"))
    assert clocks(case) == {
        TargetKind.FIRST_RESPONSE: (4 * H, rome(2026, 3, 2, 15, 0)),
        TargetKind.RESOLUTION: (24 * H, rome(2026, 3, 5, 10, 0)),
    }


def test_a_changed_target_applies_to_new_cases_only(customer, agent):
    first, second = open_case(customer), open_case(customer)
    before = clocks(first)
    assert clocks(second) == before
    change_premier_severity_2(first=1 * H, resolution=12 * H)
    # The next event on one case: a reply. Both keep the targets they were opened with.
    case_reply(actor=agent, case=first, body="Looking.", now=MONDAY_10 + timedelta(hours=1))
    case_set_status(
        actor=agent, case=second, status=Status.ON_HOLD, now=MONDAY_10 + timedelta(hours=1)
    )
    assert clocks(first) == clocks(second) == before
    first.refresh_from_db()
    assert first.sla_targets == target_table_to_json(default_table("premier"))
    # A case opened now gets the new targets.
    new = open_case(customer, now=MONDAY_10 + timedelta(hours=2))
    assert clocks(new)[TargetKind.FIRST_RESPONSE] == (1 * H, rome(2026, 3, 2, 13, 0))
    assert clocks(new)[TargetKind.RESOLUTION][0] == 12 * H


def test_a_severity_change_picks_the_stored_target_of_the_new_severity(customer, agent):
    case = open_case(customer, severity=3)
    assert clocks(case)[TargetKind.FIRST_RESPONSE][0] == 8 * H
    change_premier_severity_2(first=1 * H, resolution=12 * H)
    case_change_severity(actor=agent, case=case, severity=2, now=MONDAY_10 + timedelta(hours=1))
    # Severity 2 as stored when the case opened (4 h), not the plan's new 1 h; from the start.
    assert clocks(case)[TargetKind.FIRST_RESPONSE] == (4 * H, rome(2026, 3, 2, 15, 0))


def test_the_admin_sees_the_shift_then_applies_it_to_open_cases(staff_client, customer, agent):
    first, second = open_case(customer), open_case(customer)
    case_reply(actor=agent, case=first, body="Looking.", now=MONDAY_10 + timedelta(minutes=30))
    closed = open_case(customer)
    case_set_status(actor=agent, case=closed, status=Status.SOLVED, now=MONDAY_10)
    Case.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    closed_before = clocks(closed)
    change_premier_severity_2(first=1 * H, resolution=12 * H)

    preview = target_change_preview(first.account.support_plan, now=MONDAY_10 + timedelta(hours=1))
    assert (preview.open_cases, preview.cases_changing, preview.cases_moving) == (2, 2, 2)
    shifts = {s.target: s for s in preview.shifts}
    first_response = shifts[TargetKind.FIRST_RESPONSE]
    # 4 business hours from 10:00 end at 15:00, one hour at 11:00: four hours earlier.
    assert first_response.moved == 2
    assert first_response.shift_min == first_response.shift_max == timedelta(hours=-4)
    assert first_response.shift_median == timedelta(hours=-4)
    # 24 business hours end on Thursday at 10:00, 12 on Tuesday at 15:00 (a 9-13, 14-18 day).
    resolution = shifts[TargetKind.RESOLUTION]
    assert resolution.moved == 2
    assert resolution.shift_min == rome(2026, 3, 3, 15, 0) - rome(2026, 3, 5, 10, 0)

    page = staff_client.get(apply_url(first))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Cases whose due times move: 2" in body
    assert "-4:00" in body
    # Looking changes nothing.
    assert clocks(first)[TargetKind.FIRST_RESPONSE][0] == 4 * H

    response = staff_client.post(apply_url(first))
    assert response.status_code == 302
    for case in (first, second):
        case.refresh_from_db()
        assert clocks(case) == {
            TargetKind.FIRST_RESPONSE: (1 * H, rome(2026, 3, 2, 11, 0)),
            TargetKind.RESOLUTION: (12 * H, rome(2026, 3, 3, 15, 0)),
        }
        assert case.sla_targets == target_table_to_json(sla_target_table(case.account))
        event = CaseEvent.objects.get(case=case, kind="targets")
        assert event.before == [
            "S1 60/240 min 24x7",
            "S2 240/1440 min business",
            "S3 480/1440 min business",
            "S4 480/1440 min business",
        ]
        assert event.after[1] == "S2 60/720 min business"
        assert event.actor is not None
    history = staff_client.get(reverse("case-detail", args=[second.pk])).content.decode()
    assert "SLA targets changed" in history and "S2 60/720 min business" in history
    # The timers follow the new due instants (the first case's first response is met).
    breach = SlaTimer.objects.get(
        case=second,
        target=TargetKind.FIRST_RESPONSE,
        event=TimerEvent.BREACH,
        fired_at__isnull=True,
    )
    assert breach.fire_at == rome(2026, 3, 2, 11, 0)
    assert not SlaTimer.objects.filter(
        case=first, target=TargetKind.FIRST_RESPONSE, fired_at__isnull=True
    ).exists()
    # A closed case keeps its contract and gets no history entry.
    assert clocks(closed) == closed_before
    assert not CaseEvent.objects.filter(case=closed, kind="targets").exists()
    # Applying again changes nothing more.
    staff_client.post(apply_url(first))
    assert CaseEvent.objects.filter(kind="targets").count() == 2


def test_only_who_may_change_the_plan_may_apply_its_targets(client, customer):
    case = open_case(customer)
    change_premier_severity_2(first=1 * H, resolution=12 * H)
    client.force_login(VendorUserFactory(role=Role.SUPERVISOR, is_staff=True))
    assert client.post(apply_url(case)).status_code in (302, 403)
    assert clocks(case)[TargetKind.FIRST_RESPONSE][0] == 4 * H
    assert not CaseEvent.objects.filter(kind="targets").exists()


def test_the_migration_fills_existing_cases_from_their_plans_targets(customer, basic_account):
    case = open_case(customer)
    Case.objects.filter(pk=case.pk).update(sla_targets={})
    change_premier_severity_2(first=1 * H, resolution=12 * H)
    migration = importlib.import_module("tierdesk.tickets.migrations.0004_case_sla_targets")
    migration.fill_targets(apps, None)
    case.refresh_from_db()
    assert case.sla_targets == target_table_to_json(sla_target_table(case.account))
    assert case.sla_targets["2"] == {"first_response": 60, "resolution": 720, "clock": "business"}
