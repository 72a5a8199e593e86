"""SLA policies: targets per support plan and severity, with product.md's defaults as data.

This table is the one source of the default targets: the accounts migration that seeds the
support plans' `SlaTarget` rows reads it (an admin edits the rows afterwards), and the pure
`compute_case_clock` and the `tierdesk sla` command use it directly. A case stores the table of
its support plan when it opens (`target_table_to_json`, docs/plans.md): a target changed later
applies to new cases, and to open ones only when an admin applies it explicitly.

Choices on the seed's open points (see docs/sla.md):

- severity 3 and 4 first response on Premier/Premier+: 8 business hours (one business day);
- "24 hours" resolution for severities 2-4: 24 *business* hours of the region (severity 2 is
  listed with regional business hours in the seed's table; only severity 1 is 24x7);
- Access (every paid license without Premier): the Access first-response targets, no resolution
  target; its queue priority comes from the license plan's weight, not from a target.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

HOUR = 60


class ClockKind(StrEnum):
    """How a target's time is counted."""

    TWENTY_FOUR_SEVEN = "24x7"
    BUSINESS = "business"


class SupportTier(StrEnum):
    """The codes of the default support plans (the `code` of accounts' SupportPlan rows)."""

    ACCESS = "access"
    PREMIER = "premier"
    PREMIER_PLUS = "premier_plus"


class Metric(StrEnum):
    """Which target of a case a clock measures."""

    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"


SEVERITIES = (1, 2, 3, 4)


@dataclass(frozen=True)
class Target:
    """Targets of one (support plan, severity): minutes (None: no target) and the clock kind."""

    first_response_minutes: int | None
    resolution_minutes: int | None
    clock: ClockKind

    def minutes_for(self, metric: Metric | str) -> int | None:
        """The target minutes of a metric, or None when the plan has no such target."""
        if Metric(metric) is Metric.FIRST_RESPONSE:
            return self.first_response_minutes
        return self.resolution_minutes


PolicyKey = tuple[str, int]
# One support plan's targets by severity (1 to 4).
TargetTable = Mapping[int, Target]

_PREMIER: dict[int, Target] = {
    1: Target(1 * HOUR, 4 * HOUR, ClockKind.TWENTY_FOUR_SEVEN),
    2: Target(4 * HOUR, 24 * HOUR, ClockKind.BUSINESS),
    3: Target(8 * HOUR, 24 * HOUR, ClockKind.BUSINESS),
    4: Target(8 * HOUR, 24 * HOUR, ClockKind.BUSINESS),
}
_ACCESS: dict[int, Target] = {
    1: Target(4 * HOUR, None, ClockKind.TWENTY_FOUR_SEVEN),
    2: Target(8 * HOUR, None, ClockKind.BUSINESS),
    3: Target(16 * HOUR, None, ClockKind.BUSINESS),
    4: Target(16 * HOUR, None, ClockKind.BUSINESS),
}

DEFAULT_POLICIES: Mapping[PolicyKey, Target] = MappingProxyType(
    {
        **{(SupportTier.ACCESS.value, sev): t for sev, t in _ACCESS.items()},
        **{(SupportTier.PREMIER.value, sev): t for sev, t in _PREMIER.items()},
        **{(SupportTier.PREMIER_PLUS.value, sev): t for sev, t in _PREMIER.items()},
    }
)


def target_for(
    plan: SupportTier | str,
    severity: int,
    policies: Mapping[PolicyKey, Target] = DEFAULT_POLICIES,
) -> Target:
    """The Target of a support plan and severity; raises ValueError when there is none."""
    key = (str(plan), severity)
    try:
        return policies[key]
    except KeyError:
        raise ValueError(
            f"no SLA policy for support plan {plan!r} and severity {severity}"
        ) from None


def default_table(plan: SupportTier | str) -> dict[int, Target]:
    """The default targets of one support plan by severity (empty for an unknown plan)."""
    return {sev: t for (code, sev), t in DEFAULT_POLICIES.items() if code == str(plan)}


def target_table_to_json(table: TargetTable) -> dict[str, dict[str, object]]:
    """A target table as JSON data: ``{"1": {"first_response": 60, "resolution": 240,
    "clock": "24x7"}, ...}`` (severities as strings, as JSON object keys must be)."""
    return {
        str(sev): {
            Metric.FIRST_RESPONSE.value: t.first_response_minutes,
            Metric.RESOLUTION.value: t.resolution_minutes,
            "clock": ClockKind(t.clock).value,
        }
        for sev, t in sorted(table.items())
    }


def target_table_from_json(data: Mapping[str, Mapping[str, object]] | None) -> dict[int, Target]:
    """The target table stored by `target_table_to_json` (None or empty: no targets)."""
    table: dict[int, Target] = {}
    for sev, row in (data or {}).items():
        first, resolution = row.get(Metric.FIRST_RESPONSE.value), row.get(Metric.RESOLUTION.value)
        table[int(sev)] = Target(
            first_response_minutes=None if first is None else int(str(first)),
            resolution_minutes=None if resolution is None else int(str(resolution)),
            clock=ClockKind(str(row["clock"])),
        )
    return table
