"""tierdesk.sla: exact, fast and explainable business-time arithmetic. Pure Python, no Django.

Main names:

- `CalendarSpec`, `calendar_spec_from_json`, `calendar_spec_to_json`, `CalendarSpecError`,
  `twenty_four_seven`, `ALWAYS_OPEN_SPEC` (tierdesk.sla.calendar_spec);
- `BusinessCalendar`, `NoBusinessTimeError` (tierdesk.sla.calendar);
- `ClockKind`, `SupportTier`, `Metric`, `Target`, `TargetTable`, `DEFAULT_POLICIES`,
  `target_for`, `default_table`, `target_table_to_json`, `target_table_from_json`
  (tierdesk.sla.policies).

The meaning of every term is in docs/sla.md.
"""

from tierdesk.sla.calendar import BusinessCalendar, NoBusinessTimeError
from tierdesk.sla.calendar_spec import (
    ALWAYS_OPEN_SPEC,
    CalendarSpec,
    CalendarSpecError,
    calendar_spec_from_json,
    calendar_spec_to_json,
    twenty_four_seven,
)
from tierdesk.sla.policies import (
    DEFAULT_POLICIES,
    ClockKind,
    Metric,
    SupportTier,
    Target,
    TargetTable,
    default_table,
    target_for,
    target_table_from_json,
    target_table_to_json,
)

__all__ = [
    "ALWAYS_OPEN_SPEC",
    "DEFAULT_POLICIES",
    "BusinessCalendar",
    "CalendarSpec",
    "CalendarSpecError",
    "ClockKind",
    "Metric",
    "NoBusinessTimeError",
    "SupportTier",
    "Target",
    "TargetTable",
    "calendar_spec_from_json",
    "calendar_spec_to_json",
    "default_table",
    "target_for",
    "target_table_from_json",
    "target_table_to_json",
    "twenty_four_seven",
]
