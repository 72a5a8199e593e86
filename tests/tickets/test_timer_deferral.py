"""A warning found while the region is closed waits for the next opening (business clocks)."""

import pytest

from tierdesk.notifications.models import OutboxMessage
from tierdesk.tickets.choices import TargetKind
from tierdesk.tickets.models import CaseEvent, SlaTimer
from tierdesk.tickets.services.cases import case_assign, case_create
from tierdesk.tickets.services.timers import timers_sweep

from .conftest import MONDAY_10, rome

pytestmark = pytest.mark.django_db


def test_late_warning_waits_for_the_opening_then_fires_once(customer, agent):
    case = case_create(
        actor=customer, subject="Slow", description="Slow", severity=2, now=MONDAY_10
    )
    case_assign(actor=agent, case=case, assignee=agent, now=MONDAY_10)
    warning = SlaTimer.objects.get(
        case=case, target=TargetKind.RESOLUTION, event="warning", fired_at__isnull=True
    )
    # The worker was down all day and comes back on Monday at 22:00, after closing.
    results = timers_sweep(now=rome(2026, 3, 2, 22, 0), worker="w1")
    outcomes = {r.timer_id: r.outcome for r in results}
    first_response_warning = SlaTimer.objects.get(
        case=case, target=TargetKind.FIRST_RESPONSE, event="warning"
    )
    assert outcomes[first_response_warning.pk] == "deferred:closed"
    first_response_warning.refresh_from_db()
    assert first_response_warning.fired_at is None
    assert first_response_warning.fire_at == rome(2026, 3, 3, 9, 0)
    assert not CaseEvent.objects.filter(case=case, kind="sla_warning").exists()
    assert warning.pk not in outcomes  # the resolution warning is not due yet

    timers_sweep(now=rome(2026, 3, 3, 9, 0), worker="w2")
    timers_sweep(now=rome(2026, 3, 3, 9, 1), worker="w3")
    assert CaseEvent.objects.filter(case=case, kind="sla_warning").count() == 1
    assert OutboxMessage.objects.filter(template="sla_warning", recipient=agent).count() == 1
