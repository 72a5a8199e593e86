"""The case-state sets are written once, on `Status`, and everything else agrees with them."""

from typing import get_args

from tierdesk.tickets.choices import Status
from tierdesk.tickets.forms.console import StatusForm
from tierdesk.tickets.models import Case
from tierdesk.tickets.schemas import AgentStatusValue, StatusValue


def test_sets_partition_the_statuses() -> None:
    assert set(Status.active()) | set(Status.resolved()) == set(Status)
    assert not set(Status.active()) & set(Status.resolved())
    assert {s for s in Status if Status.clock_runs(s)} == {Status.NEW, Status.OPEN, Status.ON_HOLD}
    assert set(Status.pausing()) == {Status.WAITING, Status.SOLVED}
    assert not set(Status.agent_settable()) & {Status.NEW, Status.CLOSED}


def test_api_and_form_vocabularies_follow_the_sets() -> None:
    assert set(get_args(StatusValue)) == set(Status.values)
    assert set(get_args(AgentStatusValue)) == {s.value for s in Status.agent_settable()}
    field = StatusForm.base_fields["status"]
    assert [value for value, _ in field.choices] == [s.value for s in Status.agent_settable()]  # type: ignore[attr-defined]


def test_generated_in_queue_column_uses_the_active_set() -> None:
    field = Case._meta.get_field("in_queue")
    condition = field.expression.expression  # type: ignore[attr-defined]
    assert condition.children == [("status__in", Status.active())]
