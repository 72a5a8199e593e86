"""Every write to cases: creation, replies, workflow, escalation, SLA clocks and timers."""
