"""Background jobs of cases: the SLA timer sweep and auto-close, once a minute."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services.autoclose import cases_autoclose
from .services.timers import timers_sweep


@db_periodic_task(crontab(minute="*"))
def sla_timers_sweep() -> None:
    """Fire every due SLA timer (warnings, breaches) exactly once."""
    timers_sweep()


@db_periodic_task(crontab(minute="*/15"))
def solved_cases_autoclose() -> None:
    """Close the cases solved long enough ago."""
    cases_autoclose()
