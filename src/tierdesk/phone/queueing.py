"""The call queue's order and its wait estimate: pure functions, no Django.

Order
-----
Entries of one queue (a region's line) are served by this key, smallest first::

    key = (severity, entered_at - plan_weight * WEIGHT_CREDIT, entry id)

Severity 1 always goes before severity 2, and so on. Within a severity, each point of plan weight
(the license's queue weight plus the support plan's boost, `accounts.entitlements.queue_weight`)
counts as WEIGHT_CREDIT (5 minutes) of waiting already done: a weight-4 caller who arrived at
10:00 is served with a weight-1 caller who arrived at 9:45. Since the credit is fixed, the key
does not change while callers wait, so the order is stable between two arrivals; the id breaks
ties (first come, first served).

Estimated wait
--------------
For a caller at `position` (0: next to be served) with `agents` agents on the line, `busy` of them
on a call, and a mean handle time `aht` (seconds; the mean of the line's recent handled calls):

- if position < agents - busy, an agent is free for them: 0;
- otherwise they wait for `position - (agents - busy) + 1` agents to finish a call; agents finish
  at a combined rate of agents / aht (each call's remaining time taken as exponential, so memory-
  less), so the estimate is `(position - free + 1) * aht / agents`.

Without an agent on the line, the estimate is `(position + 1) * aht` (as if one agent came). The
estimate ignores callers who arrive later with a higher priority and jump ahead, and abandons
ahead of the caller: the simulator (`tierdesk phone load`) measures how far it falls from the real
waits (mean absolute error).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

WEIGHT_CREDIT = timedelta(minutes=5)
DEFAULT_HANDLE_SECONDS = 300.0


@dataclass(frozen=True)
class Waiting:
    """What the order needs to know of an entry."""

    id: int
    severity: int
    plan_weight: int
    entered_at: datetime


T = TypeVar("T", bound=Waiting)


def priority_key(entry: Waiting) -> tuple[int, datetime, int]:
    """The entry's sort key: smallest is served first (see the module docstring)."""
    return (entry.severity, entry.entered_at - entry.plan_weight * WEIGHT_CREDIT, entry.id)


def queue_order(entries: Iterable[T]) -> list[T]:
    """The entries in the order they are served."""
    return sorted(entries, key=priority_key)


def next_entry(entries: Iterable[T]) -> T | None:
    """The entry served next, or None for an empty queue."""
    return min(entries, key=priority_key, default=None)


def position_of(entry: Waiting, entries: Sequence[Waiting]) -> int:
    """How many entries of `entries` (the same queue) go before `entry`."""
    key = priority_key(entry)
    return sum(1 for other in entries if other.id != entry.id and priority_key(other) < key)


def estimate_wait_seconds(
    *, position: int, agents: int, busy: int, mean_handle_seconds: float
) -> int:
    """The estimated wait of the caller at `position` (see the module docstring), in seconds."""
    if position < 0 or agents < 0 or busy < 0:
        raise ValueError("position, agents and busy are never negative")
    aht = mean_handle_seconds if mean_handle_seconds > 0 else DEFAULT_HANDLE_SECONDS
    if agents == 0:
        return math.ceil((position + 1) * aht)
    free = max(agents - min(busy, agents), 0)
    if position < free:
        return 0
    return math.ceil((position - free + 1) * aht / agents)


def mean_absolute_error(pairs: Iterable[tuple[float, float]]) -> float:
    """The mean of |estimate - real| over (estimate, real) pairs; 0.0 for none."""
    values = [abs(estimate - real) for estimate, real in pairs]
    return sum(values) / len(values) if values else 0.0
