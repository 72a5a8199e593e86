"""The kinds of notification: each has `notifications/<kind>.subject.txt` and `.body.txt`."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    CASE_PUBLIC_REPLY = "case_public_reply"
    CASE_SOLVED = "case_solved"
    CASE_ASSIGNED = "case_assigned"
    SLA_BREACH = "sla_breach"
    SLA_WARNING = "sla_warning"
    CASE_CREATED_TAM = "case_created_tam"
    SELF_ESCALATION_REQUESTED = "self_escalation_requested"
    SELF_ESCALATION_DECIDED = "self_escalation_decided"


KINDS = frozenset(kind.value for kind in Kind)
