"""Benchmark of cases at scale: API create, list and case pages, and the SLA timer sweep.

Builds a fresh database of N cases (default 100,000) and measures in-process, through Django's
test `Client` (no network, no server): median and p95 of

- create through the API (`POST /api/v1/cases` with a bearer token and an Idempotency-Key),
- the first page of the API list (`GET /api/v1/cases`) for a supervisor (who sees every case)
  and for a customer account admin, and the list pages (`/cases/` portal, `/console/` queues),
- one case through the API (`GET /api/v1/cases/<id>`) and the case page (`/cases/<id>/`),
- one sweep of the SLA timers over all open cases with 1 % of them due now (their warning and
  breach fire), and the sweep when nothing is due.

Pages that are not routed yet are reported as "not available". Goals (issue 4): create and list
p50 under 10 ms in-process, a sweep under 1 second.

How the data is made (fast, without going through the services): 3 regions (Rome, New York,
Tokyo, with their business hours and public holidays), 300 accounts on a mix of plans, 2 users
each, agents and a supervisor per region. Cases are bulk-inserted: 20 % active (opened in the
last 7 days: new, open, waiting, on hold), 80 % solved or closed (last 120 days). The SLA clocks'
due instants are computed in bulk with the SLA engine (`BusinessCalendar.add_many` per region for
business-hours clocks; plain addition for 24x7), from the plan's targets in the database. Active
running clocks get their warning (75 %) and breach timers; timers whose instant is already past
are stored as fired (the steady state of a system whose worker keeps up), so that only the
prepared 1 % is due when the sweep is measured. Waiting cases have an open pause and no timers.

After the build the planner's statistics are gathered (`VACUUM ANALYZE` on PostgreSQL, `ANALYZE`
on SQLite), as autovacuum would have done on a real database of this size.

Each database runs in its own process (Django is configured once per process): SQLite (a file
in a temporary folder) always, PostgreSQL when reachable at $TEST_DATABASE_URL's server (default
postgres://postgres@127.0.0.1:5432/), in a database `tierdesk_bench_<pid>` created and dropped here.

Usage: python bench/cases_bench.py [--cases 100000] [--samples 200] [--db sqlite|postgres|all]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

# One database per run, so two runs (or two engineers) never drop each other's database.
BENCH_DB = f"tierdesk_bench_{os.getpid()}"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
ACTIVE_SHARE = 0.20
DUE_SHARE = 0.01


# --- the parent: one child process per database -----------------------------------------------


def _pg_url(database: str) -> str:
    base = os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg_url("postgres"), autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql)


def _pg_reachable() -> bool:
    try:
        _pg_admin("SELECT 1")
    except Exception as error:  # any failure means "not reachable" for a benchmark
        print(f"PostgreSQL not reachable ({type(error).__name__}): skipped.")
        return False
    return True


def _run_child(database_url: str, data_dir: str, args: argparse.Namespace) -> int:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tierdesk.config.settings",
        "DATABASE_URL": database_url,
        "TIERDESK_DATA_DIR": data_dir,
        "ALLOWED_HOSTS": "testserver",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
    }
    status = 0
    # The data is built in one process and measured in a fresh one, as a server process that
    # did not just allocate and free half a million rows' worth of objects would be.
    for step in ("build", "measure"):
        command = [
            sys.executable,
            __file__,
            f"--child={step}",
            f"--cases={args.cases}",
            f"--samples={args.samples}",
            f"--seed={args.seed}",
        ]
        status = subprocess.call(command, env=env)  # noqa: S603
        if status:
            break
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases in the database")
    parser.add_argument("--samples", type=int, default=200, help="samples of create")
    parser.add_argument("--db", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", choices=["build", "measure"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cases < 100 or args.samples < 5:
        parser.error("--cases must be at least 100 and --samples at least 5")
    if args.child:
        return _child(args)
    status = 0
    if args.db in ("sqlite", "all"):
        with tempfile.TemporaryDirectory(prefix="tierdesk-bench-") as folder:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            status |= _run_child(url, folder, args)
    if args.db in ("postgres", "all") and _pg_reachable():
        _pg_admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        _pg_admin(f"CREATE DATABASE {BENCH_DB}")
        try:
            with tempfile.TemporaryDirectory(prefix="tierdesk-bench-") as folder:
                status |= _run_child(_pg_url(BENCH_DB), folder, args)
        finally:
            _pg_admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    return status


# --- the child: build, then measure -----------------------------------------------------------


def _child(args: argparse.Namespace) -> int:
    src = Path(__file__).resolve().parents[1] / "src"
    sys.path.insert(0, str(src))
    import django

    django.setup()
    import json
    import logging

    from django.conf import settings
    from django.core.management import call_command

    logging.getLogger("axes").setLevel(logging.WARNING)  # force_login logs every sign-in
    facts = Path(settings.DATA_DIR) / "bench-world.json"
    if args.child == "build":
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrated = time.perf_counter()
        world = build(args.cases, random.Random(args.seed))
        _analyze()
        built = time.perf_counter()
        world["timing"] = f"migrate {migrated - started:.1f} s, build {built - migrated:.1f} s"
        facts.write_text(json.dumps(world))
        return 0
    world = json.loads(facts.read_text())
    _print_machine()
    print(
        f"data: {args.cases:,} cases ({world['active']:,} active, {world['timers']:,} pending "
        f"timers, {world['clocks']:,} clocks); {world['timing']}"
    )
    results = measure(world, args.samples)
    _report(results)
    return 0


def _analyze() -> None:
    """Gather the planner's statistics, as autovacuum (or a DBA) would on a database this size."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


def _print_machine() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
        else:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    import django

    print()
    print(f"== {database} ==")
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, "
        f"{platform.processor() or platform.machine()}; Python {platform.python_version()}, "
        f"Django {django.get_version()}"
    )


# --- building the data ------------------------------------------------------------------------

REGIONS = [
    # code, name, zone, holidays, windows per weekday (Mon-Fri)
    ("bench-it", "Italy", "Europe/Rome", "IT", ((540, 780), (840, 1080))),
    ("bench-us", "United States", "America/New_York", "US", ((540, 1020),)),
    ("bench-jp", "Japan", "Asia/Tokyo", "JP", ((540, 1080),)),
]
PLANS = [
    ("pro", "access"),
    ("business", "access"),
    ("business", "premier"),
    ("business_plus", "premier"),
    ("enterprise", "premier_plus"),
    ("education", "premier"),
]
SEVERITY_WEIGHTS = (5, 20, 45, 30)


def build(n_cases: int, rng: random.Random) -> dict[str, Any]:
    """Regions, accounts, people and `n_cases` cases with clocks and timers (see the docstring)."""
    from django.db import transaction
    from django.utils import timezone

    from tierdesk.accounts.models import (
        Account,
        LicensePlan,
        OpeningWindow,
        SlaTarget,
        SupportPlan,
        SupportRegion,
        User,
    )
    from tierdesk.accounts.roles import Role

    now = timezone.now()
    with transaction.atomic():
        regions = []
        for code, name, zone, country, windows in REGIONS:
            region = SupportRegion.objects.create(
                code=code, name=name, time_zone=zone, holiday_country=country
            )
            OpeningWindow.objects.bulk_create(
                OpeningWindow(region=region, weekday=day, start_minute=a, end_minute=b)
                for day in range(5)
                for a, b in windows
            )
            regions.append(region)
        licenses = {p.code: p for p in LicensePlan.objects.all()}
        supports = {p.code: p for p in SupportPlan.objects.all()}
        staff: dict[str, list[User]] = {}
        for region in regions:
            people = [
                User(
                    email=f"{role}{i}@{region.code}.vendor.example",
                    role=role,
                    region=region,
                    password="!",  # noqa: S106 - an unusable password
                )
                for role, count in (
                    (Role.AGENT_L1, 2),
                    (Role.AGENT_L2, 1),
                    (Role.ENGINEER, 1),
                    (Role.SUPERVISOR, 1),
                )
                for i in range(count)
            ]
            staff[region.code] = User.objects.bulk_create(people)
        accounts = Account.objects.bulk_create(
            Account(
                name=f"Bench account {i}",
                license_plan=licenses[PLANS[i % len(PLANS)][0]],
                support_plan=supports[PLANS[i % len(PLANS)][1]],
                country=REGIONS[i % len(REGIONS)][3],
                region=regions[i % len(regions)],
                support_pin=f"{i:06d}",
            )
            for i in range(300)
        )
        users = User.objects.bulk_create(
            User(
                email=f"{kind}{account.pk}@customer.example",
                role=Role.ACCOUNT_ADMIN if kind == "admin" else Role.MEMBER,
                account=account,
                password="!",  # noqa: S106 - an unusable password
            )
            for account in accounts
            for kind in ("admin", "member")
        )
        people_of = {a.pk: [u for u in users if u.account_id == a.pk] for a in accounts}
        targets = {(t.support_plan_id, t.severity): t for t in SlaTarget.objects.all()}
        counts = _bulk_cases(n_cases, rng, now, accounts, people_of, staff, targets)
    # The cases and users the measurements use.
    big = accounts[2]  # Business + Premier, in Rome
    return {
        **counts,
        "supervisor": staff["bench-it"][-1].pk,
        "agent_l2": staff["bench-it"][2].pk,
        "admin": people_of[big.pk][0].pk,
        "account": big.pk,
    }


def _bulk_cases(
    n_cases: int,
    rng: random.Random,
    now: datetime,
    accounts: list[Any],
    people_of: dict[int, list[Any]],
    staff: dict[str, list[Any]],
    targets: dict[tuple[int, int], Any],
) -> dict[str, int]:
    import numpy as np

    from tierdesk.accounts.selectors.regions import region_business_calendar
    from tierdesk.tickets.choices import Line, Status
    from tierdesk.tickets.models import Case, CaseEvent, Pause, SlaClock, SlaTimer

    region_of = {a.pk: a.region for a in accounts}
    cases: list[Case] = []
    for _ in range(n_cases):
        account = rng.choice(accounts)
        active = rng.random() < ACTIVE_SHARE
        age = timedelta(minutes=rng.uniform(1, 7 * 1440 if active else 120 * 1440))
        created = now - age
        severity = rng.choices((1, 2, 3, 4), SEVERITY_WEIGHTS)[0]
        status = (
            rng.choices(
                (Status.NEW, Status.OPEN, Status.WAITING, Status.ON_HOLD), (30, 50, 10, 10)
            )[0]
            if active
            else rng.choice((Status.SOLVED, Status.CLOSED, Status.CLOSED))
        )
        line = rng.choices((Line.L1, Line.L2, Line.ENGINEERING), (70, 25, 5))[0]
        if line == Line.ENGINEERING and not account.license_plan.engineering_escalation:
            line = Line.L2
        region = region_of[account.pk]
        responded = None if status == Status.NEW else created + age * rng.uniform(0.01, 0.2)
        solved = created + age * rng.uniform(0.3, 0.9) if not active else None
        agents = staff[region.code]
        cases.append(
            Case(
                account=account,
                requester=rng.choice(people_of[account.pk]),
                subject=f"Bench case {rng.randrange(10**6)}: meetings drop",
                description="Generated for the benchmark.",
                severity=severity,
                channel=rng.choice(("web", "web", "web", "phone", "email")),
                line=line,
                status=status,
                assignee=None if status == Status.NEW else rng.choice(agents[:3]),
                region=region,
                queue_weight=rng.randint(1, 6),
                created_at=created,
                first_responded_at=responded,
                solved_at=solved,
                closed_at=solved if status == Status.CLOSED else None,
            )
        )
    cases = Case.objects.bulk_create(cases, batch_size=2000)

    # Due instants in bulk, per (region, clock kind): the SLA engine's vectorised addition.
    clock_rows: list[SlaClock] = []
    timers: list[SlaTimer] = []
    next_due: dict[int, datetime] = {}
    plan_of = {a.pk: a.support_plan_id for a in accounts}
    jobs: dict[tuple[int, str], list[tuple[Case, str, int]]] = {}
    for case in cases:
        target = targets.get((plan_of[case.account_id], case.severity))
        if target is None:
            continue
        for kind, minutes in (
            ("first_response", target.first_response_minutes),
            ("resolution", target.resolution_minutes),
        ):
            if minutes:
                jobs.setdefault((case.region_id, target.clock), []).append((case, kind, minutes))
    for (_region, clock), items in jobs.items():
        calendar = region_business_calendar(items[0][0].region)
        starts = np.array(
            [c.created_at.replace(tzinfo=None) for c, _, _ in items], "datetime64[us]"
        )
        minutes = np.array([m for _, _, m in items], dtype=np.int64)
        if clock == "24x7":
            dues = starts + minutes.astype("timedelta64[m]")
            warns = starts + (minutes * 45).astype("timedelta64[s]")  # 75 % of the minutes
        else:
            dues = calendar.add_many(starts, minutes)
            warns = calendar.add_many(starts, (minutes * 45).astype("timedelta64[s]"))
        for (case, kind, mins), due64, warn64 in zip(items, dues, warns, strict=True):
            due = _aware(due64)
            warn = _aware(warn64)
            stopped = case.first_responded_at if kind == "first_response" else case.solved_at
            met = stopped if stopped is not None and stopped <= due else None
            running = case.status in ("new", "open", "on_hold") and stopped is None
            late = (stopped is not None and stopped > due) or (running and due <= now)
            breached = due if late else None
            clock_rows.append(
                SlaClock(
                    case=case,
                    target=kind,
                    target_minutes=mins,
                    clock=clock,
                    due_at=due,
                    met_at=met,
                    breached_at=breached,
                )
            )
            if not running:
                continue
            for event, fraction, at in (("warning", 0.75, warn), ("breach", 1.0, due)):
                past = at <= now
                timers.append(
                    SlaTimer(
                        case=case,
                        target=kind,
                        event=event,
                        fraction=fraction,
                        generation=1,
                        fire_at=at,
                        due_at=due,
                        fired_at=at if past else None,
                        outcome=event if past else "",
                        claimed_by="bench" if past else "",
                    )
                )
            if due > now:
                next_due[case.pk] = min(due, next_due.get(case.pk, due))
    SlaClock.objects.bulk_create(clock_rows, batch_size=5000)
    SlaTimer.objects.bulk_create(timers, batch_size=5000)
    for case in cases:
        case.next_due_at = next_due.get(case.pk)
    Case.objects.bulk_update([c for c in cases if c.next_due_at], ["next_due_at"], batch_size=2000)
    Pause.objects.bulk_create(
        (
            Pause(case=c, started_at=c.created_at + (now - c.created_at) / 2)
            for c in cases
            if c.status == "waiting"
        ),
        batch_size=5000,
    )
    CaseEvent.objects.bulk_create(
        (
            CaseEvent(case=c, actor_id=c.requester_id, at=c.created_at, kind="created")
            for c in cases
        ),
        batch_size=5000,
    )
    return {
        "active": sum(1 for c in cases if c.status in ("new", "open", "waiting", "on_hold")),
        "timers": sum(1 for t in timers if t.fired_at is None),
        "clocks": len(clock_rows),
    }


def _aware(value: Any) -> datetime:
    from datetime import UTC

    return datetime.fromisoformat(str(value.astype("datetime64[us]"))).replace(tzinfo=UTC)


# --- measuring --------------------------------------------------------------------------------


def _timed(fn: Callable[[], Any], samples: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(samples):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _get(client: Any, url: str, **headers: str) -> Callable[[], Any]:
    def call() -> Any:
        response = client.get(url, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: {response.status_code}")
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        return response

    return call


def _page_url(name: str, **kwargs: Any) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def measure(world: dict[str, Any], samples: int) -> list[tuple[str, list[float] | str]]:
    """Each operation's timings in milliseconds (or why it could not be measured)."""
    from django.test import Client

    from tierdesk.accounts.services.tokens import api_token_create
    from tierdesk.tickets.models import Case, Message

    results: list[tuple[str, list[float] | str]] = []
    from tierdesk.accounts.models import User

    admin = User.objects.get(pk=world["admin"])
    supervisor = User.objects.get(pk=world["supervisor"])
    agent = User.objects.get(pk=world["agent_l2"])
    _, admin_token = api_token_create(user=admin, name="bench")
    _, supervisor_token = api_token_create(user=supervisor, name="bench")
    as_admin = {"Authorization": f"Bearer {admin_token}"}
    as_supervisor = {"Authorization": f"Bearer {supervisor_token}"}
    api = Client()

    counter = iter(range(10**9))

    def create() -> None:
        key = f"bench-{next(counter)}"
        response = api.post(
            "/api/v1/cases",
            {"subject": "Audio drops", "description": "Since Monday.", "severity": 3},
            content_type="application/json",
            headers={**as_admin, "Idempotency-Key": key},
        )
        if response.status_code != 201:
            raise RuntimeError(f"create: {response.status_code} {response.content[:200]!r}")

    results.append(("API create (POST /api/v1/cases)", _timed(create, samples)))
    list_samples = max(20, samples // 4)
    results.append(
        (
            "API list, supervisor (all cases visible)",
            _timed(_get(api, "/api/v1/cases", **as_supervisor), list_samples),
        )
    )
    results.append(
        ("API list, account admin", _timed(_get(api, "/api/v1/cases", **as_admin), list_samples))
    )
    results.append(
        (
            "API list, supervisor, filtered (severity=1&status=open)",
            _timed(
                _get(api, "/api/v1/cases?severity=1&status=open", **as_supervisor), list_samples
            ),
        )
    )

    # A case with a realistic conversation for the case pages.
    case = Case.objects.filter(account_id=world["account"], status="open").first()
    assert case is not None
    Message.objects.bulk_create(
        Message(
            case=case,
            author=agent if i % 2 else admin,
            body=f"Message {i}: please try **this**.",
            is_public=i % 5 != 4,
            created_at=case.created_at + timedelta(minutes=10 * i),
        )
        for i in range(10)
    )
    results.append(
        (
            "API case (GET /api/v1/cases/<id>)",
            _timed(_get(api, f"/api/v1/cases/{case.pk}", **as_admin), list_samples),
        )
    )

    portal, console = Client(), Client()
    portal.force_login(admin)
    console.force_login(agent)
    pages = [
        ("page: portal list /cases/ (account admin)", portal, _page_url("tickets:list")),
        ("page: console queues (agent L2)", console, _page_url("tickets:queues")),
        ("page: case /cases/<id>/ (account admin)", portal, _page_url("case-detail", pk=case.pk)),
        ("page: case /cases/<id>/ (agent L2)", console, _page_url("case-detail", pk=case.pk)),
    ]
    for label, browser, url in pages:
        if url is None:
            results.append((label, "not available"))
            continue
        try:
            results.append((label, _timed(_get(browser, url), list_samples)))
        except Exception as error:  # a page still being written must not stop the run
            results.append((label, f"not available ({type(error).__name__}: {error})"[:120]))

    results.extend(_sweeps(world))
    return results


def _sweeps(world: dict[str, Any]) -> list[tuple[str, list[float] | str]]:
    """Sweeps with 1 % of the open cases due (fresh ones each round), and with none due."""
    from django.utils import timezone

    from tierdesk.tickets.models import SlaClock, SlaTimer
    from tierdesk.tickets.services.timers import timers_sweep

    running = list(
        SlaTimer.objects.filter(fired_at__isnull=True, event="breach")
        .order_by()
        .values_list("case_id", "target")
        .distinct()
    )
    random.Random(1).shuffle(running)
    per_round = max(1, int(world["active"] * DUE_SHARE))
    chunks = iter(running[k : k + per_round] for k in range(0, len(running), per_round))

    def make_due(chosen: list[tuple[int, str]]) -> datetime:
        now = timezone.now()
        due = now - timedelta(seconds=30)
        for case_id, target in chosen:
            # The clock is due now: its breach and its warning fire in this sweep.
            SlaClock.objects.filter(case_id=case_id, target=target).update(due_at=due)
            pending = SlaTimer.objects.filter(case_id=case_id, target=target, fired_at__isnull=True)
            pending.filter(event="breach").update(fire_at=due, due_at=due)
            pending.filter(event="warning").update(fire_at=due - timedelta(minutes=1), due_at=due)
        return now

    def sweep_all(now: datetime) -> int:
        fired = 0
        while batch := timers_sweep(now=now):  # 500 a claim, as the periodic task does
            fired += len(batch)
        return fired

    rounds, fired_counts = [], []
    for _ in range(3):
        chosen = next(chunks, [])
        if not chosen:
            break
        now = make_due(chosen)
        start = time.perf_counter()
        fired_counts.append(sweep_all(now))
        rounds.append((time.perf_counter() - start) * 1000)
    # The same sweep without the per-e-mail task enqueue (the outbox rows are still written and
    # the outbox's own minute sweep would send them): how much of the time is the task queue.
    quiet: list[float] = []
    chosen = next(chunks, [])
    if chosen:
        now = make_due(chosen)
        with mock.patch("tierdesk.notifications.services.outbox._send_on_commit"):
            start = time.perf_counter()
            sweep_all(now)
            quiet.append((time.perf_counter() - start) * 1000)
    idle = _timed(lambda: timers_sweep(now=timezone.now()), 20)
    fired = statistics.median(fired_counts) if fired_counts else 0
    label = f"sweep, {DUE_SHARE:.0%} of open cases due ({fired:.0f} timers fire)"
    out: list[tuple[str, list[float] | str]] = [(label, rounds)]
    if quiet:
        out.append(("  same, without enqueueing a task per e-mail", quiet))
    out.append(("sweep, nothing due", idle))
    return out


def _p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[94]


GOALS = {
    "API create (POST /api/v1/cases)": 10.0,
    "API list, supervisor (all cases visible)": 10.0,
    "API list, account admin": 10.0,
    "page: portal list /cases/ (account admin)": 10.0,
    "page: console queues (agent L2)": 10.0,
}


def _report(results: list[tuple[str, list[float] | str]]) -> None:
    width = max(len(label) for label, _ in results)
    print(f"{'operation':<{width}}  {'n':>4}  {'p50 ms':>8}  {'p95 ms':>8}  goal")
    for label, values in results:
        if isinstance(values, str):
            print(f"{label:<{width}}  {values}")
            continue
        p50 = statistics.median(values)
        goal = GOALS.get(label)
        if label.startswith("sweep, 1"):
            goal = 1000.0
        verdict = "" if goal is None else ("ok" if p50 < goal else f"MISSED (< {goal:g} ms)")
        print(f"{label:<{width}}  {len(values):>4}  {p50:>8.2f}  {_p95(values):>8.2f}  {verdict}")


if __name__ == "__main__":
    sys.exit(main())
