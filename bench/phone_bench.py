"""Benchmark of phone support (a benchmark, not a test).

1. Webhook answer time with a busy queue: a fresh SQLite database (in a temporary data folder)
   with one always-open region, 20 accounts and --queued calls already waiting (default 50).
   Then --calls new calls go through the whole flow (incoming, language, PIN, severity: each
   step one signed webhook through Django's full request stack, in-process, no network), plus a
   request of the queue's wait URL for each; every request is timed. Prints p50, p95 and max of
   each step and of all, goal p95 < 30 ms, and the process's CPU time per request (on a machine
   busy with other work, wall time includes waiting for a CPU; CPU time does not).
2. The busy-hour simulation (`phone.loadsim`, virtual time) at several loads: waits, abandon
   rate, callbacks, and the mean absolute error (MAE) of the estimate told at arrival against
   the real wait.

Usage: python bench/phone_bench.py [--queued 50] [--calls 100] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

TOKEN = "bench-phone-token"  # noqa: S105 (a throwaway database's token)


def _setup(folder: str) -> None:
    os.environ["TIERDESK_DATA_DIR"] = folder
    os.environ["PHONE_AUTH_TOKEN"] = TOKEN
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.config.settings")
    import django

    django.setup()
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _world(accounts: int) -> list[str]:
    from tierdesk.accounts.models import (
        Account,
        LicensePlan,
        OpeningWindow,
        SupportNumber,
        SupportPlan,
        SupportRegion,
        User,
    )
    from tierdesk.accounts.roles import Role

    region = SupportRegion.objects.create(code="bench", name="Bench", time_zone="Europe/Rome")
    OpeningWindow.objects.bulk_create(
        OpeningWindow(region=region, weekday=d, start_minute=0, end_minute=1440) for d in range(7)
    )
    SupportNumber.objects.create(region=region, line="first", number="+390200000101")
    plans = list(LicensePlan.objects.filter(is_paid=True))
    support = SupportPlan.objects.get(code="access")
    pins = []
    for i in range(accounts):
        pin = f"{100000 + i}"
        account = Account.objects.create(
            name=f"Bench {i}",
            license_plan=plans[i % len(plans)],
            support_plan=support,
            country="IT",
            region=region,
            support_pin=pin,
        )
        User.objects.create_user(
            f"admin{i}@bench.example", "x", account=account, role=Role.ACCOUNT_ADMIN
        )
        pins.append(pin)
    return pins


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"p50 {statistics.median(ordered):5.1f} ms  p95 {p95:5.1f} ms  max {ordered[-1]:5.1f} ms"
        f"  (n={len(ordered)})"
    )


def webhooks(queued: int, calls: int) -> None:
    from tierdesk.phone.models import QueueEntry
    from tierdesk.phone.simulator import Simulator, django_transport

    pins = _world(20)
    sim = Simulator(django_transport("localhost"), base_url="http://localhost", token=TOKEN)
    for i in range(queued):
        result = sim.call(["1", pins[i % len(pins)], str(1 + i % 4)], from_number=f"+1555{i:07d}")
        assert result.outcome == "queued", result.heard
    assert QueueEntry.objects.filter(state="waiting").count() == queued
    steps: dict[str, list[float]] = {}
    cpu_ms: list[float] = []
    for i in range(calls):
        sid = f"CAbench{i:08d}"
        base = {"CallSid": sid, "From": f"+1666{i:07d}", "To": "+390200000101"}
        sequence = [
            ("incoming", "/phone/voice/", {}),
            ("language", "/phone/voice/language/", {"Digits": "1"}),
            ("pin", "/phone/voice/pin/?attempt=1", {"Digits": pins[i % len(pins)]}),
            ("severity", "/phone/voice/severity/", {"Digits": str(1 + i % 4)}),
            ("wait", "/phone/voice/wait/", {"QueuePosition": "10"}),
        ]
        for name, path, extra in sequence:
            started, cpu = time.perf_counter(), time.process_time()
            turn = sim.post(path, {**base, **extra})
            steps.setdefault(name, []).append((time.perf_counter() - started) * 1000)
            cpu_ms.append((time.process_time() - cpu) * 1000)
            assert turn.status == 200, (path, turn.twiml)
        # Each hangs up after its wait request, so the queue stays at its size.
        started = time.perf_counter()
        sim.hang_up(sid, base["From"], base["To"])
        steps.setdefault("status", []).append((time.perf_counter() - started) * 1000)
    waiting = QueueEntry.objects.filter(state="waiting").count()
    print(f"webhook answers, {queued} calls queued at the start ({waiting} at the end):")
    for name, values in steps.items():
        print(f"  {name:9} {_ms(values)}")
    every = [v for values in steps.values() for v in values]
    print(f"  {'all':9} {_ms(every)}   goal: p95 < 30 ms")
    print(f"  {'CPU time':9} {_ms(cpu_ms)}   (CPU of this process, per request)")


def busy_hours(seed: int) -> None:
    from tierdesk.phone.loadsim import simulate_hour

    print("busy hour (virtual time; mean handle 240 s, mean patience 600 s, callback past 300 s):")
    print("  calls agents  answered abandoned callbacks  mean wait  p95 wait  estimate MAE")
    for calls, agents in ((60, 4), (90, 6), (120, 6), (150, 8), (200, 8)):
        r = simulate_hour(calls=calls, agents=agents, seed=seed)
        real = sum(w for _e, w in r.pairs) / max(len(r.pairs), 1)
        print(
            f"  {calls:5} {agents:6} {r.answered:9} {r.abandoned:5} ({r.abandon_rate:4.0%})"
            f" {r.callbacks:9} {r.mean_wait:8.0f} s {r.p95_wait:7.0f} s {r.estimate_mae:9.0f} s"
            f"  (their mean real wait {real:.0f} s)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queued", type=int, default=50)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    from benchkit import machine

    print(machine())
    with tempfile.TemporaryDirectory(prefix="phone-bench-") as folder:
        _setup(folder)
        webhooks(args.queued, args.calls)
    busy_hours(args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
