"""Default policies: product.md's table as data."""

from __future__ import annotations

import json

import pytest

from tierdesk.sla import (
    DEFAULT_POLICIES,
    ClockKind,
    SupportTier,
    Target,
    default_table,
    target_for,
    target_table_from_json,
    target_table_to_json,
)


def test_default_table() -> None:
    business, always = ClockKind.BUSINESS, ClockKind.TWENTY_FOUR_SEVEN
    for plan in ("premier", "premier_plus"):
        assert target_for(plan, 1) == Target(60, 240, always)
        assert target_for(plan, 2) == Target(240, 1440, business)
        assert target_for(plan, 3) == Target(480, 1440, business)
        assert target_for(plan, 4) == Target(480, 1440, business)
    assert target_for(SupportTier.ACCESS, 1) == Target(240, None, always)
    assert target_for("access", 2) == Target(480, None, business)
    assert target_for("access", 3) == Target(960, None, business)
    assert target_for("access", 4) == Target(960, None, business)
    assert len(DEFAULT_POLICIES) == 12


def test_minutes_for_and_missing_policy() -> None:
    assert target_for("premier", 1).minutes_for("first_response") == 60
    assert target_for("access", 1).minutes_for("resolution") is None
    with pytest.raises(ValueError, match="no SLA policy"):
        target_for("basic", 1)
    with pytest.raises(ValueError, match="no SLA policy"):
        target_for("premier", 5)
    with pytest.raises(TypeError):
        DEFAULT_POLICIES[("premier", 9)] = Target(1, 1, ClockKind.BUSINESS)  # type: ignore[index]


def test_target_tables_round_trip_through_json() -> None:
    for tier in SupportTier:
        table = default_table(tier)
        assert sorted(table) == [1, 2, 3, 4]
        data = target_table_to_json(table)
        assert json.loads(json.dumps(data)) == data
        assert target_table_from_json(data) == table
    assert target_table_from_json(None) == target_table_from_json({}) == {}
    assert default_table("basic") == {}
