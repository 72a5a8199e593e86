"""Benchmark of tierdesk.sla against pandas' CustomBusinessHour (a benchmark, not a test).

Calendar: Europe/Rome, Monday-Friday 09:00-17:00, Italian public holidays (the `holidays`
package). N random (start, duration) pairs: starts at random minutes of 2025-2026 (UTC),
durations of 1 to 40 whole hours (pandas' CustomBusinessHour counts whole hours).

Prints, in one run: the machine; the median microseconds per single `BusinessCalendar.add`;
bulk due times per second through `add_many` for --bulk cases; pandas' median per add, the
speed ratio and the count of disagreements on all N pairs.

Fair comparison. pandas works in naive local wall time, so each start is converted once (not
timed) to naive Europe/Rome time and pandas' result is read back as Rome time; tierdesk gets the
same instant as an aware UTC datetime. Both timings cover only the addition itself (pandas'
offsets are built once per hour count, outside the timing), measured the same way: samples of
50 consecutive calls, the median over samples of the mean per call. On a 09:00-17:00 calendar DST
changes fall at night, so naive wall-time arithmetic is exact for pandas here. pandas moves a
result that lands exactly on a closing time to the next opening (17:00 -> 09:00 next business
day); the two instants then have no business minute between them, so a pair agrees when both
instants are equal or have zero business time between them, and the second case is counted.

Usage: python bench/sla_bench.py [--n 100000] [--bulk 1000000] [--quick] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from benchkit import machine
from tierdesk.sla import BusinessCalendar, CalendarSpec

ROME = ZoneInfo("Europe/Rome")
YEARS = range(2024, 2030)


def italian_holidays() -> list:  # type: ignore[type-arg]
    """Italian public holidays over the benchmark years."""
    import holidays

    return sorted(holidays.country_holidays("IT", years=YEARS).keys())


def make_calendar(hols: list) -> BusinessCalendar:  # type: ignore[type-arg]
    """Mon-Fri 09:00-17:00 in Rome with the holidays."""
    nine_to_five = ((540, 1020),)
    spec = CalendarSpec("Europe/Rome", (nine_to_five,) * 5 + ((), ()), frozenset(hols))
    return BusinessCalendar(spec)


def make_pairs(n: int, seed: int) -> tuple[list[datetime], list[int]]:
    """N random minute-aligned UTC starts in 2025-2026 and durations of 1-40 whole hours."""
    rng = random.Random(seed)
    base = datetime(2025, 1, 1, tzinfo=UTC)
    span = 2 * 365 * 1440
    starts = [base + timedelta(minutes=rng.randrange(span)) for _ in range(n)]
    hours = [rng.randint(1, 40) for _ in range(n)]
    return starts, hours


BATCH = 50  # calls per timing sample: keeps the timer's own cost out of microsecond figures


def time_single(
    cal: BusinessCalendar, starts: list[datetime], hours: list[int]
) -> tuple[float, list[datetime]]:
    """Median microseconds per add (over samples of BATCH consecutive calls) and the results."""
    add = cal.add
    clock = time.perf_counter_ns
    minutes = [h * 60 for h in hours]
    samples = []
    results: list[datetime] = []
    for k in range(0, len(starts), BATCH):
        chunk_s, chunk_m = starts[k : k + BATCH], minutes[k : k + BATCH]
        t0 = clock()
        out = [add(s, m) for s, m in zip(chunk_s, chunk_m, strict=True)]
        samples.append((clock() - t0) / len(chunk_s))
        results += out
    return statistics.median(samples) / 1000, results


def time_bulk(cal: BusinessCalendar, n: int, seed: int) -> tuple[float, float]:
    """Due times per second through add_many (datetime64 in and out), best of 3; and seconds."""
    rng = np.random.default_rng(seed)
    base = np.datetime64("2025-01-01T00:00", "us")
    starts = base + rng.integers(0, 2 * 365 * 1440, n).astype("timedelta64[m]")
    minutes = rng.integers(1, 41, n) * 60
    cal.add_many(starts[:10], minutes[:10])  # build the tables once, outside the timing
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        cal.add_many(starts, minutes)
        best = min(best, time.perf_counter() - t0)
    return n / best, best


def run_pandas(
    cal: BusinessCalendar,
    hols: list,  # type: ignore[type-arg]
    starts: list[datetime],
    hours: list[int],
    ours: list[datetime],
) -> dict[str, float]:
    """pandas on the same pairs: median microseconds per add, disagreements, rule agreements."""
    import pandas as pd
    from pandas.tseries.offsets import CustomBusinessHour

    offsets = {
        h: CustomBusinessHour(
            n=h, start="09:00", end="17:00", holidays=hols, weekmask="Mon Tue Wed Thu Fri"
        )
        for h in set(hours)
    }
    naive = [pd.Timestamp(s.astimezone(ROME).replace(tzinfo=None)) for s in starts]
    offs = [offsets[h] for h in hours]
    clock = time.perf_counter_ns
    samples = []
    theirs = []
    for k in range(0, len(naive), BATCH):
        chunk_t, chunk_o = naive[k : k + BATCH], offs[k : k + BATCH]
        t0 = clock()
        out = [ts + off for ts, off in zip(chunk_t, chunk_o, strict=True)]
        samples.append((clock() - t0) / len(chunk_t))
        theirs += out
    exact = by_rule = disagree = 0
    examples = []
    for s, ours_r, their_r in zip(starts, ours, theirs, strict=True):
        their_dt = their_r.to_pydatetime().replace(tzinfo=ROME)
        if their_dt == ours_r:
            exact += 1
        elif cal.between(min(ours_r, their_dt), max(ours_r, their_dt)) == timedelta(0):
            by_rule += 1
        else:
            disagree += 1
            if len(examples) < 5:
                examples.append((s, ours_r, their_dt))
    for s, o, t in examples:
        print(
            f"    disagreement: start {s.astimezone(ROME)}  tierdesk {o.astimezone(ROME)}  "
            f"pandas {t}"
        )
    return {
        "median_us": statistics.median(samples) / 1000,
        "exact": exact,
        "by_rule": by_rule,
        "disagree": disagree,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="random pairs (default 100000)")
    parser.add_argument("--bulk", type=int, default=1_000_000, help="bulk cases (default 1e6)")
    parser.add_argument("--quick", action="store_true", help="n=2000, bulk=100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas comparison")
    args = parser.parse_args(argv)
    if args.quick:
        args.n, args.bulk = 2000, 100_000

    print("tierdesk.sla benchmark")
    print(f"  {machine()}")
    print(f"  python {sys.version.split()[0]}, numpy {np.__version__}", end="")
    try:
        import pandas as pd

        print(f", pandas {pd.__version__}")
    except ImportError:
        pd = None  # type: ignore[assignment]
        print(", pandas not installed (pip install -e '.[bench]')")
    print(
        f"  calendar: Europe/Rome Mon-Fri 09:00-17:00 + Italian holidays {YEARS.start}-"
        f"{YEARS.stop - 1}; pairs: {args.n:,} (seed {args.seed}), durations 1-40 whole hours"
    )

    hols = italian_holidays()
    cal = make_calendar(hols)
    starts, hours = make_pairs(args.n, args.seed)
    cal.add(starts[0], 60)  # warm the tables
    single_us, ours = time_single(cal, starts, hours)
    print(
        f"  single add: median {single_us:.2f} us per add "
        f"({args.n:,} calls of BusinessCalendar.add, timed in samples of {BATCH})"
    )
    rate, seconds = time_bulk(cal, args.bulk, args.seed)
    print(
        f"  bulk add_many: {args.bulk:,} due times in {seconds * 1000:.0f} ms = "
        f"{rate:,.0f} due times per second"
    )
    if pd is None or args.no_pandas:
        return 0
    result = run_pandas(cal, hols, starts, hours, ours)
    ratio = result["median_us"] / single_us
    print(
        f"  pandas CustomBusinessHour: median {result['median_us']:.2f} us per add "
        f"(same {args.n:,} pairs, timed in samples of {BATCH})"
    )
    print(f"  speed ratio (pandas / tierdesk, single add): {ratio:.0f}x")
    print(
        f"  agreement on all {args.n:,} pairs: {result['exact']:,} identical, "
        f"{result['by_rule']:,} agree by the no-business-minute-between rule "
        f"(pandas moved a closing-time result to the next opening), "
        f"{result['disagree']:,} disagreements"
    )
    goals = [
        ("0 disagreements", result["disagree"] == 0),
        ("single add >= 50x faster than pandas", ratio >= 50),
        ("bulk >= 1,000,000 due times per second", rate >= 1_000_000),
    ]
    print("  goals: " + "; ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in goals))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
