"""tierdesk.sla: exact, fast and explainable business-time arithmetic. Pure Python, no Django.

Main names:

- `CalendarSpec`, `calendar_spec_from_json`, `calendar_spec_to_json`, `CalendarSpecError`,
  `twenty_four_seven`, `ALWAYS_OPEN_SPEC` (tierdesk.sla.calendar_spec);
- `BusinessCalendar`, `NoBusinessTimeError` (tierdesk.sla.calendar);
- `ClockKind`, `SupportPlan`, `Metric`, `Target`, `DEFAULT_POLICIES`, `target_for`
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
    SupportPlan,
    Target,
    target_for,
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
    "SupportPlan",
    "Target",
    "calendar_spec_from_json",
    "calendar_spec_to_json",
    "target_for",
    "twenty_four_seven",
]
