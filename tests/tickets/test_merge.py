"""Merging duplicates: validated after locking, and two merges at once never deadlock.

The concurrent tests need real row locks and several connections: they run on PostgreSQL
(`DATABASE_URL=postgres://...`) and are skipped on SQLite, where one database-wide write lock
serialises every writer, so two merges cannot interleave at all.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tierdesk.tickets.choices import EventKind, Status
from tierdesk.tickets.models import Case, CaseEvent
from tierdesk.tickets.services import cases as case_services
from tierdesk.tickets.services.cases import case_create, case_merge

from .conftest import MONDAY_10

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks and their order are PostgreSQL's; SQLite serialises all writers",
)


def open_case(customer: Any, subject: str = "Meetings drop") -> Case:
    return case_create(
        actor=customer, subject=subject, description="Drops.", severity=2, now=MONDAY_10
    )


@pytest.mark.django_db
def test_a_case_cannot_be_merged_into_itself(customer, agent):
    case = open_case(customer)
    with pytest.raises(ValidationError, match="itself"):
        case_merge(actor=agent, source=case, target=case)
    case.refresh_from_db()
    assert case.status == Status.NEW


@pytest.mark.django_db
def test_a_merged_case_cannot_be_merged_again_nor_merged_into(customer, agent):
    a, b, c = open_case(customer, "A"), open_case(customer, "B"), open_case(customer, "C")
    case_merge(actor=agent, source=a, target=b)
    events = CaseEvent.objects.count()
    # `a` as the caller last saw it (not merged): the service re-reads it under the lock.
    stale_a = Case.objects.get(pk=a.pk)
    stale_a.merged_into = None
    with pytest.raises(ValidationError, match=f"#{a.pk} was already merged"):
        case_merge(actor=agent, source=stale_a, target=c)
    with pytest.raises(ValidationError, match=f"#{a.pk} was already merged"):
        case_merge(actor=agent, source=c, target=stale_a)
    assert CaseEvent.objects.count() == events
    c.refresh_from_db()
    assert (c.status, c.merged_into_id) == (Status.NEW, None)


@pytest.mark.django_db
def test_a_merge_is_recorded_on_both_cases(customer, agent):
    a, b = open_case(customer, "A"), open_case(customer, "B")
    case_merge(actor=agent, source=a, target=b)
    assert CaseEvent.objects.filter(case=a, kind=EventKind.MERGED_INTO, after=b.pk).exists()
    assert CaseEvent.objects.filter(case=b, kind=EventKind.MERGED_IN, after=a.pk).exists()


def both_at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads released together; each result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # the test inspects what each got
            results[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a merge hung"
    return results


@pytest.fixture
def slow_locks(monkeypatch):
    """Widen the window between two row locks taken one at a time (`case_lock`, then `case_lock`).

    Taken one case at a time in the callers' orders (source, then target), the locks of two
    opposite merges cross inside this window and PostgreSQL reports a deadlock; taken in one
    statement ordered by primary key, they cannot cross.
    """
    original = case_services.case_lock

    def slow(case: Case) -> Case:
        locked = original(case)
        time.sleep(0.3)
        return locked

    monkeypatch.setattr(case_services, "case_lock", slow)


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("slow_locks")
def test_merging_a_into_b_and_b_into_a_at_once_one_wins_the_other_is_refused(customer, agent):
    a, b = open_case(customer, "A"), open_case(customer, "B")
    results = both_at_once(
        lambda: case_merge(actor=agent, source=a, target=b),
        lambda: case_merge(actor=agent, source=b, target=a),
    )
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if not isinstance(r, Case)]
    assert len(winners) == 1, results
    assert len(losers) == 1
    assert isinstance(losers[0], ValidationError), repr(losers[0])  # not a deadlock error
    assert "was already merged" in str(losers[0])
    a.refresh_from_db()
    b.refresh_from_db()
    merged, kept = (a, b) if a.merged_into_id else (b, a)
    assert winners[0].pk == kept.pk
    assert (merged.status, merged.merged_into_id) == (Status.CLOSED, kept.pk)
    assert (kept.status, kept.merged_into_id) == (Status.NEW, None)
    assert CaseEvent.objects.filter(kind=EventKind.MERGED_INTO).count() == 1
    assert CaseEvent.objects.filter(kind=EventKind.MERGED_IN).count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("slow_locks")
def test_two_merges_into_each_other_in_a_ring_of_three_never_deadlock(customer, agent):
    a, b, c = open_case(customer, "A"), open_case(customer, "B"), open_case(customer, "C")
    results = both_at_once(
        lambda: case_merge(actor=agent, source=a, target=b),
        lambda: case_merge(actor=agent, source=b, target=c),
        lambda: case_merge(actor=agent, source=c, target=a),
    )
    assert all(isinstance(r, Case | ValidationError) for r in results), results
    assert any(isinstance(r, Case) for r in results)
    cases = list(Case.objects.filter(pk__in=(a.pk, b.pk, c.pk)))
    # Never a cycle: at least one case stays unmerged, and a merged case points at a live one.
    assert any(x.merged_into_id is None for x in cases)
    for x in cases:
        if x.merged_into_id is not None:
            assert x.status == Status.CLOSED
