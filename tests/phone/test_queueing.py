"""The queue's order follows the documented formula; the wait estimate behaves as documented."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tierdesk.phone.queueing import (
    Waiting,
    estimate_wait_seconds,
    next_entry,
    position_of,
    queue_order,
)

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)

entries = st.lists(
    st.builds(
        Waiting,
        id=st.integers(1, 10_000),
        severity=st.integers(1, 4),
        plan_weight=st.integers(0, 7),
        entered_at=st.integers(0, 3 * 3600).map(lambda s: T0 + timedelta(seconds=s)),
    ),
    max_size=40,
    unique_by=lambda w: w.id,
)


def reference_order(items: list[Waiting]) -> list[Waiting]:
    """The formula written the plain way: bubble the pairwise rule until nothing moves."""
    found = list(items)

    def before(a: Waiting, b: Waiting) -> bool:
        if a.severity != b.severity:
            return a.severity < b.severity
        # Minutes waited plus 5 minutes per weight point, at any common instant.
        score_a = (T0 - a.entered_at).total_seconds() / 60 + 5 * a.plan_weight
        score_b = (T0 - b.entered_at).total_seconds() / 60 + 5 * b.plan_weight
        if score_a != score_b:
            return score_a > score_b
        return a.id < b.id

    changed = True
    while changed:
        changed = False
        for i in range(len(found) - 1):
            if before(found[i + 1], found[i]):
                found[i], found[i + 1] = found[i + 1], found[i]
                changed = True
    return found


@given(entries)
def test_the_order_follows_the_formula(items):
    assert queue_order(items) == reference_order(items)


@given(entries)
def test_next_and_positions_agree_with_the_order(items):
    order = queue_order(items)
    assert next_entry(items) == (order[0] if order else None)
    for index, item in enumerate(order):
        assert position_of(item, items) == index


@given(entries)
def test_severity_always_comes_first(items):
    severities = [item.severity for item in queue_order(items)]
    assert severities == sorted(severities)


def test_a_weight_point_is_worth_five_minutes():
    early_light = Waiting(1, 2, 1, T0)
    later_heavy = Waiting(2, 2, 4, T0 + timedelta(minutes=14))
    much_later_heavy = Waiting(3, 2, 4, T0 + timedelta(minutes=16))
    assert queue_order([early_light, later_heavy, much_later_heavy]) == [
        later_heavy,
        early_light,
        much_later_heavy,
    ]


@given(
    position=st.integers(0, 200),
    agents=st.integers(0, 30),
    busy=st.integers(0, 30),
    aht=st.floats(1, 3600),
)
def test_the_estimate_grows_with_the_position(position, agents, busy, aht):
    here = estimate_wait_seconds(
        position=position, agents=agents, busy=busy, mean_handle_seconds=aht
    )
    behind = estimate_wait_seconds(
        position=position + 1, agents=agents, busy=busy, mean_handle_seconds=aht
    )
    assert 0 <= here <= behind


def test_the_estimate_as_documented():
    assert estimate_wait_seconds(position=0, agents=2, busy=1, mean_handle_seconds=300) == 0
    assert estimate_wait_seconds(position=0, agents=2, busy=2, mean_handle_seconds=300) == 150
    assert estimate_wait_seconds(position=3, agents=2, busy=2, mean_handle_seconds=300) == 600
    assert estimate_wait_seconds(position=1, agents=0, busy=0, mean_handle_seconds=300) == 600
