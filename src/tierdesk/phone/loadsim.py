"""A busy hour of phone support in virtual time: arrivals, agents answering, abandons. Pure.

Callers arrive as a Poisson process (`calls` in `hours`), with a severity (10 % S1, 30 % S2,
40 % S3, 20 % S4) and a plan weight (1 to 7). Each is told the estimate of `phone.queueing`
at arrival (its position in the queue's order, the agents, how many are busy, the mean handle
time of the calls handled so far). `agents` agents serve the queue by the queue's order; a call
lasts an exponential time of mean `handle_seconds`; a caller hangs up after an exponential
patience of mean `patience_seconds` unless answered first. Past the callback threshold a share
(`callback_share`) of callers take the callback: they keep their place and never abandon.

The report: waits of the answered (mean, p50, p95), the abandon rate, callbacks, and the mean
absolute error between the estimate told at arrival and the real wait of answered callers.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from .queueing import (
    DEFAULT_HANDLE_SECONDS,
    Waiting,
    estimate_wait_seconds,
    mean_absolute_error,
    position_of,
    queue_order,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass
class SimCall:
    """One simulated caller."""

    id: int
    arrival: float
    severity: int
    weight: int
    patience: float
    handle: float
    estimate: int = 0
    callback: bool = False
    answered_at: float | None = None
    abandoned_at: float | None = None

    def waiting(self) -> Waiting:
        """The queue's view of the caller."""
        return Waiting(self.id, self.severity, self.weight, T0 + timedelta(seconds=self.arrival))


@dataclass
class LoadReport:
    """The figures of a simulated busy hour."""

    calls: int
    answered: int
    abandoned: int
    callbacks: int
    mean_wait: float
    p50_wait: float
    p95_wait: float
    estimate_mae: float
    pairs: list[tuple[float, float]] = field(default_factory=list, repr=False)
    arrivals: list[SimCall] = field(default_factory=list, repr=False)

    @property
    def abandon_rate(self) -> float:
        """Abandoned calls over all calls."""
        return self.abandoned / self.calls if self.calls else 0.0


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def simulate_hour(
    *,
    calls: int,
    agents: int = 4,
    handle_seconds: float = 240.0,
    patience_seconds: float = 600.0,
    hours: float = 1.0,
    callback_after_seconds: int = 300,
    callback_share: float = 0.5,
    seed: int = 1,
) -> LoadReport:
    """Run the busy hour (see the module docstring) and report its figures."""
    rng = random.Random(seed)
    span = hours * 3600
    arrivals: list[SimCall] = []
    clock = 0.0
    for index in range(calls):
        clock += rng.expovariate(calls / span)
        arrivals.append(
            SimCall(
                id=index + 1,
                arrival=clock,
                severity=rng.choices([1, 2, 3, 4], weights=[10, 30, 40, 20])[0],
                weight=rng.randint(1, 7),
                patience=rng.expovariate(1 / patience_seconds),
                handle=rng.expovariate(1 / handle_seconds),
            )
        )
    # Events: (time, order, kind, call id); kinds: "arrive", "free" (an agent ends a call),
    # "abandon".
    events: list[tuple[float, int, str, int]] = []
    seq = 0
    for call in arrivals:
        heapq.heappush(events, (call.arrival, seq, "arrive", call.id))
        seq += 1
    by_id = {call.id: call for call in arrivals}
    waiting: dict[int, SimCall] = {}
    free = agents
    handled_times: list[float] = []

    def serve(now: float) -> None:
        nonlocal free, seq
        while free > 0 and waiting:
            order = queue_order(c.waiting() for c in waiting.values())
            chosen = waiting.pop(order[0].id)
            chosen.answered_at = now
            free -= 1
            handled_times.append(chosen.handle)
            heapq.heappush(events, (now + chosen.handle, seq, "free", chosen.id))
            seq += 1

    while events:
        now, _order, kind, call_id = heapq.heappop(events)
        call = by_id[call_id]
        if kind == "arrive":
            queue = [c.waiting() for c in waiting.values()] + [call.waiting()]
            position = position_of(call.waiting(), queue)
            aht = sum(handled_times) / len(handled_times) if handled_times else handle_seconds
            call.estimate = estimate_wait_seconds(
                position=position,
                agents=agents,
                busy=agents - free,
                mean_handle_seconds=aht or DEFAULT_HANDLE_SECONDS,
            )
            call.callback = call.estimate > callback_after_seconds and rng.random() < callback_share
            waiting[call.id] = call
            if not call.callback:
                heapq.heappush(events, (now + call.patience, seq, "abandon", call.id))
                seq += 1
            serve(now)
        elif kind == "abandon":
            if call.id in waiting:
                waiting.pop(call.id)
                call.abandoned_at = now
        else:
            free += 1
            serve(now)
    answered = [c for c in arrivals if c.answered_at is not None]
    waits = [c.answered_at - c.arrival for c in answered if c.answered_at is not None]
    pairs = [
        (float(c.estimate), c.answered_at - c.arrival)
        for c in answered
        if c.answered_at is not None and not c.callback
    ]
    return LoadReport(
        calls=len(arrivals),
        answered=len(answered),
        abandoned=sum(1 for c in arrivals if c.abandoned_at is not None),
        callbacks=sum(1 for c in arrivals if c.callback),
        mean_wait=sum(waits) / len(waits) if waits else 0.0,
        p50_wait=_percentile(waits, 0.5),
        p95_wait=_percentile(waits, 0.95),
        estimate_mae=mean_absolute_error(pairs),
        pairs=pairs,
        arrivals=arrivals,
    )
