"""The supervisor's restart back-off, on a fake clock (no processes, no waiting)."""

from __future__ import annotations

import itertools
from typing import Any

from tierdesk.web.management.commands import serve


class FakeProcess:
    """A child that is alive until `dies_at` on the fake clock."""

    def __init__(self, clock: list[float], pid: int, lives: float) -> None:
        self.clock = clock
        self.pid = pid
        self.dies_at = clock[0] + lives
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and self.clock[0] >= self.dies_at:
            self.returncode = 1
        return self.returncode


def supervise_for(seconds: float, lives: list[float]) -> tuple[list[float], list[Any]]:
    """Run the supervision loop for `seconds` of fake time; the start instants of the worker."""
    clock = [0.0]
    starts: list[float] = []
    records: list[Any] = []
    command = serve.Command()
    command.stopping = False

    def spawn(argv: list[str], pass_fds: tuple[int, ...] = ()) -> FakeProcess:
        starts.append(clock[0])
        life = lives[len(starts) - 1] if len(starts) <= len(lives) else 1e9
        return FakeProcess(clock, pid=100 + len(starts), lives=life)

    def sleep(delay: float) -> None:
        clock[0] += delay
        if clock[0] >= seconds:
            command.stopping = True

    command.spawn = spawn  # type: ignore[method-assign]
    command.record = lambda task: records.append((clock[0], task.restarts, task.running))  # type: ignore[method-assign]
    web = FakeProcess(clock, pid=1, lives=1e9)
    task = serve.TaskWorker(number=1, command=["run_huey"], delay=1.0)
    original = serve.time.monotonic, serve.time.sleep
    serve.time.monotonic, serve.time.sleep = (lambda: clock[0]), sleep
    try:
        command.start_task_worker(task)
        status = command.supervise(web, [task], restart_delay=1.0)  # type: ignore[arg-type]
    finally:
        serve.time.monotonic, serve.time.sleep = original
    assert status == 0
    return starts, records


def test_a_worker_that_keeps_dying_is_restarted_with_a_doubling_delay():
    starts, records = supervise_for(80, lives=[0.1] * 20)
    gaps = [round(later - earlier, 2) for earlier, later in itertools.pairwise(starts)]
    # Each gap: the ~0.25 s the supervisor needs to notice the death, plus 1, 2, 4, ... 30 s.
    delays = [round(gap - 0.25) for gap in gaps]
    assert delays[:6] == [1, 2, 4, 8, 16, 30]
    # While it is down, the supervisor writes so (what /healthz reads) right away.
    assert any(running is False and restarts == 1 for _at, restarts, running in records)


def test_a_worker_that_stayed_up_a_minute_is_restarted_at_the_first_delay_again():
    # Dies twice quickly (delays 1 and 2 s), then lives 100 s, then dies again.
    starts, _records = supervise_for(200, lives=[0.1, 0.1, 100, 0.1])
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert round(gaps[0] - 0.25) == 1
    assert round(gaps[1] - 0.25) == 2
    # The third worker lived 100 s: its death is followed by the first delay again, not 4 s.
    assert round(gaps[2] - 100 - 0.25) == 1
