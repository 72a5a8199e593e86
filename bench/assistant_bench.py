"""The assistant's retrieval benchmark: `tierdesk assistant evaluate` on the development sets.

Each set runs in a process of its own (so its peak memory is its own), through the same command
and code path as the live assistant; prints the machine line, each set's command and its JSON,
and the goals of issue 10 next to them. Not a test: CI never runs it.

    python bench/assistant_bench.py [--data ../shared/data/assistant] [--sets clinc150,xsid-it]
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from pathlib import Path

import benchkit

SETS = ("clinc150", "banking77-oos", "xsid-it")
# Issue 10's goals: accuracy, hand-off recall (None: the set has no out-of-scope question).
GOALS = {"clinc150": (0.90, 0.90), "banking77-oos": (0.80, 0.85), "xsid-it": (0.92, None)}
P95_MS, RSS_MB = 20.0, 500.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(benchkit.ROOT.parent / "shared/data/assistant"))
    parser.add_argument("--sets", default=",".join(SETS))
    args = parser.parse_args()
    print(benchkit.machine(), flush=True)
    tierdesk = str(Path(sys.executable).with_name("tierdesk"))
    for name in args.sets.split(","):
        folder = Path(args.data) / name
        command = [
            tierdesk,
            "assistant",
            "evaluate",
            "--faq",
            str(folder / "faq.jsonl"),
            "--questions",
            str(folder / "dev.jsonl"),
            "--json",
        ]
        print(f"\n== {name}: {shlex.join(command)}", flush=True)
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            print(done.stderr.strip() or f"exit status {done.returncode}")
            continue
        report = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(report))
        accuracy, recall = GOALS.get(name, (None, None))
        checks = [
            ("accuracy", report["accuracy"], accuracy, True),
            ("handoff_recall", report["handoff_recall"], recall, True),
            ("p95_ms", report["p95_ms"], P95_MS, False),
            ("peak_rss_mb", report["peak_rss_mb"], RSS_MB, False),
        ]
        for key, value, goal, higher in checks:
            if goal is None or value is None:
                continue
            met = value >= goal if higher else value <= goal
            sign = ">=" if higher else "<="
            print(f"  {key} {value} (goal {sign} {goal}: {'met' if met else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
