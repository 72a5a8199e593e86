"""Benchmark of cases at scale: every list filter, one case, opening a case; in-process and HTTP.

For each database (SQLite, PostgreSQL) and each size (default 10,000, 100,000 and 1,000,000
cases) it builds a fresh database and measures, with p50 and p95 in milliseconds and the number
of SQL queries one request makes:

- `GET /api/v1/cases` with every filter alone (status, severity, line, account, search, mine)
  and combined, for a supervisor (who sees every case), an L2 agent, an account admin and a
  member (see FILTERS);
- `GET /api/v1/cases/<id>` (a case with ten messages) and `POST /api/v1/cases` (opening a case,
  with an Idempotency-Key);
- with `--sweep`, one sweep of the SLA timers with 1 % of the open cases due (their warnings
  and breaches fire), the same without enqueueing a task per e-mail, and a sweep with nothing due;
- in-process (Django's test `Client`: the whole request through middleware, authentication,
  the view and JSON, without a network), and over HTTP against the production server
  (`tierdesk serve --workers 2 --task-workers 0`, gunicorn) with one keep-alive client, plus one
  list with 8 concurrent clients.

Goals (issue 7), in-process: every list and case read p95 <= 10 ms on SQLite and <= 15 ms on
PostgreSQL, flat as the table grows (at 1,000,000 within 1.5 times of 10,000); opening a case in
at most 10 queries with p95 <= 6 ms on SQLite and <= 12 ms on PostgreSQL. The last table says
which are met.

How the data is made (fast, without the services): 3 regions (Rome, New York, Tokyo, with
business hours and holidays), 300 accounts on a mix of plans, 2 users each, agents and a
supervisor per region. Cases are written with multi-row INSERTs (SQLite) or COPY (PostgreSQL):
20 % active (opened in the last 7 days: new, open, waiting, on hold), 80 % solved or closed
(last 120 days); subjects from a small vocabulary (the searched word is in about 2 % of them).
SLA clocks' due instants come from the SLA engine in bulk (`BusinessCalendar.add_many`); active
running clocks get their warning and breach timers. Every case has its "created" history row.
The planner's statistics are gathered after the build (ANALYZE), as autovacuum would.

Not a test: CI never runs it. Usage (or `make bench-cases`, which passes BENCH_ARGS):

    python bench/cases_bench.py [--sizes 10000,100000,1000000] [--db sqlite,postgres]
                                [--samples 100] [--no-http] [--sweep] [--json FILE]

PostgreSQL is used when reachable at $TEST_DATABASE_URL's server (default
postgres://postgres@127.0.0.1:5432/), in a database `tierdesk_bench_<pid>` created and dropped
here. The machine is printed with the figures: on a shared machine they are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from http.client import HTTPConnection, RemoteDisconnected
from pathlib import Path
from typing import Any
from unittest import mock

from benchkit import child_env, machine, p95, pg_admin, pg_reachable, pg_url

ROOT = Path(__file__).resolve().parents[1]
BENCH_DB = f"tierdesk_bench_{os.getpid()}"
ACTIVE_SHARE = 0.20
DUE_SHARE = 0.01
SEARCH_WORD = "recording"
SUBJECTS = [
    "Meetings drop after a few minutes",
    "Audio cuts out on calls",
    "Cannot sign in with single sign-on",
    "Screen sharing shows a black window",
    "Video freezes on the web client",
    "Invitations are not delivered",
    "Calendar sync stopped",
    "Webinar registration page fails",
    "Phone number porting request",
    "Licence count is wrong",
    "Chat messages arrive late",
    "Room system does not join",
    "Transcripts missing from meetings",
    "Admin console slow to load",
    "Breakout rooms do not open",
]
# About 2 % of the cases mention the searched word in their subject.
RARE_SUBJECT = f"Cloud {SEARCH_WORD} stops after ten minutes"
RARE_SHARE = 0.02

# What a list is asked, by whom: (label, user, query string).
FILTERS: list[tuple[str, str, str]] = [
    ("supervisor: all", "supervisor", ""),
    ("supervisor: status=open", "supervisor", "status=open"),
    ("supervisor: severity=1", "supervisor", "severity=1"),
    ("supervisor: line=l2", "supervisor", "line=l2"),
    ("supervisor: account=<id>", "supervisor", "account={account}"),
    ("supervisor: search", "supervisor", f"search={SEARCH_WORD}"),
    ("supervisor: search=#<id>", "supervisor", "search=%23{case}"),
    ("supervisor: mine=true", "supervisor", "mine=true"),
    ("supervisor: status=open&severity=1", "supervisor", "status=open&severity=1"),
    ("supervisor: open&sev=1&line=l1", "supervisor", "status=open&severity=1&line=l1"),
    ("supervisor: status=closed&line=engineering", "supervisor", "status=closed&line=engineering"),
    ("supervisor: status=open&account=<id>", "supervisor", "status=open&account={account}"),
    ("supervisor: search&status=open", "supervisor", f"search={SEARCH_WORD}&status=open"),
    ("supervisor: offset=1000", "supervisor", "offset=1000"),
    ("agent L2: all", "agent_l2", ""),
    ("agent L2: status=open", "agent_l2", "status=open"),
    ("agent L2: mine=true", "agent_l2", "mine=true"),
    ("agent L2: mine=true&status=open", "agent_l2", "mine=true&status=open"),
    ("engineer: all", "engineer", ""),
    ("engineer: status=open&severity=1", "engineer", "status=open&severity=1"),
    ("account admin: all", "admin", ""),
    ("account admin: status=open", "admin", "status=open"),
    ("account admin: search", "admin", f"search={SEARCH_WORD}"),
    ("account admin: severity=2&status=closed", "admin", "severity=2&status=closed"),
    ("member: all (requested or CC'd)", "member", ""),
    ("member: mine=true", "member", "mine=true"),
]
CONCURRENT_CLIENTS = 8
CONCURRENT_FILTER = "supervisor: status=open"


# --- the parent: one child process per database and size, and the HTTP client ----------------


def _child(step: str, env: dict[str, str], args: argparse.Namespace, size: int) -> None:
    command = [
        sys.executable,
        __file__,
        f"--child={step}",
        f"--sizes={size}",
        f"--samples={args.samples}",
        f"--seed={args.seed}",
        *(["--sweep"] if args.sweep else []),
    ]
    status = subprocess.call(command, env=env)  # noqa: S603
    if status:
        raise SystemExit(f"{step} failed with status {status}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], int]:
    """Start the production server on the benchmark's database; wait until it answers."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("tierdesk")),
            "serve",
            "--host=127.0.0.1",
            f"--port={port}",
            f"--workers={workers}",
            "--task-workers=0",
        ],
        env={**env, "WEB_CONCURRENCY": str(workers)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return server, port
        except OSError:
            if server.poll() is not None:
                raise SystemExit("tierdesk serve exited before answering") from None
            time.sleep(0.3)
    _stop(server)
    raise SystemExit("tierdesk serve did not answer within 60 s")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGINT)  # the group this script started, and only it
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _http_measure(port: int, world: dict[str, Any], samples: int) -> dict[str, Any]:
    """The same requests over HTTP, one keep-alive client; then one list with 8 clients."""
    results: dict[str, Any] = {}
    tokens = world["tokens"]

    def client() -> HTTPConnection:
        return HTTPConnection("127.0.0.1", port, timeout=30)

    def send(connection: HTTPConnection, method: str, url: str, **kwargs: Any) -> int:
        # gunicorn recycles a worker every GUNICORN_MAX_REQUESTS requests, closing its kept-
        # alive connections: such a request is sent again on a new connection (and timed).
        for attempt in (1, 2):
            try:
                connection.request(method, url, **kwargs)
                response = connection.getresponse()
                response.read()
                return response.status
            except (ConnectionError, RemoteDisconnected):
                connection.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def get(connection: HTTPConnection, url: str, token: str) -> None:
        status = send(connection, "GET", url, headers={"Authorization": f"Bearer {token}"})
        if status != 200:
            raise RuntimeError(f"GET {url}: {status}")

    connection = client()
    for label, who, query in FILTERS:
        url = "/api/v1/cases?" + query.format(**world)
        results[label] = {"ms": _timed(lambda u=url, w=who: get(connection, u, tokens[w]), samples)}
    url = f"/api/v1/cases/{world['read_case']}"
    results["case read"] = {"ms": _timed(lambda: get(connection, url, tokens["admin"]), samples)}
    counter = iter(range(10**9))

    def create() -> None:
        body = json.dumps({"subject": "Audio drops", "description": "Since Monday.", "severity": 3})
        key = f"http-{os.getpid()}-{next(counter)}"
        status = send(
            connection,
            "POST",
            "/api/v1/cases",
            body=body,
            headers={
                "Authorization": f"Bearer {tokens['admin']}",
                "Content-Type": "application/json",
                "Idempotency-Key": key,
            },
        )
        if status not in (200, 201):  # 200: a resent request whose first try was answered
            raise RuntimeError(f"POST /api/v1/cases: {status}")

    results["create"] = {"ms": _timed(create, samples)}
    connection.close()

    # Several clients at once on one list: latency under load, and throughput.
    label, who, query = next(f for f in FILTERS if f[0] == CONCURRENT_FILTER)
    url = "/api/v1/cases?" + query.format(**world)
    timings: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        own = client()
        mine = _timed(lambda: get(own, url, tokens[who]), samples, warmup=2)
        own.close()
        with lock:
            timings.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENT_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    results[f"{label}, {CONCURRENT_CLIENTS} clients"] = {
        "ms": timings,
        "per_second": len(timings) / elapsed,
    }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="cases, comma-separated")
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--samples", type=int, default=100, help="samples per operation")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP measurements")
    parser.add_argument(
        "--sweep", action="store_true", help="also time the SLA timer sweep (1 %% of open due)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for HTTP")
    parser.add_argument("--json", help="also write every figure to this file")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", choices=["build", "measure"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    databases = [d.strip() for d in args.db.replace("all", "sqlite,postgres").split(",") if d]
    if min(sizes) < 1000 or args.samples < 10 or set(databases) - {"sqlite", "postgres"}:
        parser.error("sizes of at least 1000, --samples of at least 10, --db sqlite|postgres")
    if args.child:
        return _child_main(args, sizes[0])
    report: dict[str, Any] = {"machine": machine(), "runs": []}
    print(report["machine"])
    for database in databases:
        if database == "postgres" and not pg_reachable():
            continue
        for size in sizes:
            report["runs"].append(_one_run(database, size, args))
            _print_run(report["runs"][-1])
    _print_summary(report["runs"])
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 0


def _one_run(database: str, size: int, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="tierdesk-bench-") as folder:
        if database == "sqlite":
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        else:
            pg_admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            pg_admin(f"CREATE DATABASE {BENCH_DB}")
            url = pg_url(BENCH_DB)
        env = child_env(url, folder)
        try:
            started = time.perf_counter()
            _child("build", env, args, size)
            built = time.perf_counter() - started
            # Measured in a fresh process, as a server that did not just build the data.
            _child("measure", env, args, size)
            run = json.loads((Path(folder) / "results.json").read_text())
            run["build_seconds"] = built
            if not args.no_http:
                server, port = _serve(env, args.workers)
                try:
                    run["http"] = _http_measure(port, run["world"], args.samples)
                finally:
                    _stop(server)
        finally:
            if database == "postgres":
                pg_admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    return run


# --- the child: build, or measure in-process ---------------------------------------------------


def _child_main(args: argparse.Namespace, size: int) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    import logging

    from django.conf import settings

    logging.getLogger("django.request").setLevel(logging.ERROR)
    folder = Path(settings.DATA_DIR)
    if args.child == "build":
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        world = build(size, random.Random(args.seed))
        _analyze()
        (folder / "world.json").write_text(json.dumps(world))
        return 0
    world = json.loads((folder / "world.json").read_text())
    run = measure(world, args.samples)
    if args.sweep:
        run["sweep"] = {label: values for label, values in _sweeps(world)}
    (folder / "results.json").write_text(json.dumps(run))
    return 0


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


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
CHUNK = 20_000


class _Writer:
    """Fast INSERTs of many rows: executemany on SQLite, COPY on PostgreSQL.

    Columns the benchmark does not set (fields added to the models later) get their default.
    """

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"

    def when(self, value: datetime | None) -> Any:
        """A naive UTC instant as each database takes it from a raw INSERT."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if self.postgres else str(value)

    def insert(self, model: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        fields = [
            f
            for f in model._meta.concrete_fields
            if not f.generated and f.column not in columns and f.column != "id"
        ]
        extra = tuple(f.get_db_prep_save(f.get_default(), self.connection) for f in fields)
        names = [*columns, *(f.column for f in fields)]
        table = model._meta.db_table
        chunk: list[tuple[Any, ...]] = []
        for row in rows:
            chunk.append((*row, *extra))
            if len(chunk) >= CHUNK:
                self._write(table, names, chunk)
                chunk = []
        if chunk:
            self._write(table, names, chunk)

    def _write(self, table: str, names: list[str], rows: list[tuple[Any, ...]]) -> None:
        quoted = ", ".join(f'"{n}"' for n in names)
        if self.postgres:
            raw = self.connection.connection
            with (
                raw.cursor() as cursor,
                cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join("?" for _ in names)
        self.connection.connection.executemany(
            f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})',  # noqa: S608 - our names
            rows,
        )

    def drop_indexes(self, models: Iterable[Any]) -> list[str]:
        """Drop the tables' secondary indexes (loading is faster without them); their DDL."""
        statements: list[str] = []
        with self.connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                if self.postgres:
                    cursor.execute(
                        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND NOT "
                        "EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexname::regclass)",
                        [table],
                    )
                else:
                    cursor.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                        "AND tbl_name = %s AND sql IS NOT NULL",
                        [table],
                    )
                for name, ddl in cursor.fetchall():
                    cursor.execute(f'DROP INDEX "{name}"')
                    statements.append(ddl)
        return statements

    def create_indexes(self, statements: Iterable[str]) -> None:
        with self.connection.cursor() as cursor:
            if self.postgres:
                # The deferred foreign-key checks of the loaded rows run now, not at COMMIT:
                # PostgreSQL builds no index on a table with pending trigger events.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for ddl in statements:
                cursor.execute(ddl)

    def reset_sequences(self, models: Iterable[Any]) -> None:
        if not self.postgres:
            return
        with self.connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
                    f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
                )


def build(n_cases: int, rng: random.Random) -> dict[str, Any]:
    """Regions, accounts, people and `n_cases` cases with clocks, timers and history."""
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

    started = time.perf_counter()
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
        staff: dict[str, list[Any]] = {}
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
    big = accounts[2]  # Business + Premier, in Rome
    return {
        **counts,
        "build": f"{time.perf_counter() - started:.1f} s",
        "supervisor": staff["bench-it"][-1].pk,
        "agent_l2": staff["bench-it"][2].pk,
        "engineer": staff["bench-it"][3].pk,
        "admin": people_of[big.pk][0].pk,
        "member": people_of[big.pk][1].pk,
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
    from tierdesk.tickets.models import Case, CaseEvent, Pause, SlaClock, SlaTimer

    out = _Writer()
    naive_now = now.astimezone(UTC).replace(tzinfo=None)
    region_of = {a.pk: a.region for a in accounts}
    engineering = {a.pk: a.license_plan.engineering_escalation for a in accounts}
    plan_of = {a.pk: a.support_plan_id for a in accounts}
    # Case ids are given here (the table is empty), so clocks and history can refer to them.
    cases: list[tuple[Any, ...]] = []
    cc_rows: list[tuple[int, int]] = []
    meta: list[tuple[int, int, int, str, datetime, datetime | None, datetime | None]] = []
    active_statuses = ("new", "open", "waiting", "on_hold")
    for case_id in range(1, n_cases + 1):
        account = accounts[rng.randrange(len(accounts))]
        active = rng.random() < ACTIVE_SHARE
        age = timedelta(minutes=rng.uniform(1, 7 * 1440 if active else 120 * 1440))
        created = naive_now - age
        severity = rng.choices((1, 2, 3, 4), SEVERITY_WEIGHTS)[0]
        if active:
            status = rng.choices(active_statuses, (30, 50, 10, 10))[0]
        else:
            status = rng.choice(("solved", "closed", "closed"))
        line = rng.choices(("l1", "l2", "engineering"), (70, 25, 5))[0]
        if line == "engineering" and not engineering[account.pk]:
            line = "l2"
        region = region_of[account.pk]
        responded = None if status == "new" else created + age * rng.uniform(0.01, 0.2)
        solved = None if active else created + age * rng.uniform(0.3, 0.9)
        agents = staff[region.code]
        requester = rng.choice(people_of[account.pk])
        subject = RARE_SUBJECT if rng.random() < RARE_SHARE else rng.choice(SUBJECTS)
        cases.append(
            (
                case_id,
                account.pk,
                requester.pk,
                subject,
                "Generated for the benchmark: steps to reproduce, logs attached.",
                severity,
                rng.choice(("web", "web", "web", "phone", "email")),
                line,
                status,
                None if status == "new" else rng.choice(agents[:3]).pk,
                region.pk,
                rng.randint(1, 6),
                out.when(created),
                out.when(created),
                out.when(responded),
                out.when(solved),
                out.when(solved if status == "closed" else None),
            )
        )
        if rng.random() < 0.05:  # a colleague CC'd
            others = [u for u in people_of[account.pk] if u.pk != requester.pk]
            if others:
                cc_rows.append((case_id, others[0].pk))
        meta.append((case_id, account.pk, severity, status, created, responded, solved))

    # Due instants in bulk, per (region, clock kind): the SLA engine's vectorised addition.
    jobs: dict[tuple[int, str], list[tuple[int, datetime, str, int]]] = {}
    for case_id, account_id, severity, _status, created, _r, _s in meta:
        target = targets.get((plan_of[account_id], severity))
        if target is None:
            continue
        for kind, minutes in (
            ("first_response", target.first_response_minutes),
            ("resolution", target.resolution_minutes),
        ):
            if minutes:
                key = (region_of[account_id].pk, target.clock)
                jobs.setdefault(key, []).append((case_id, created, kind, minutes))
    regions = {a.region.pk: a.region for a in accounts}
    by_id = {m[0]: m for m in meta}
    clocks: list[tuple[Any, ...]] = []
    timers: list[tuple[Any, ...]] = []
    next_due: dict[int, datetime] = {}
    pending = 0
    for (region_id, clock), items in jobs.items():
        calendar = region_business_calendar(regions[region_id])
        starts = np.array([c for _, c, _, _ in items], "datetime64[us]")
        minutes = np.array([m for _, _, _, m in items], dtype=np.int64)
        if clock == "24x7":
            dues = starts + minutes.astype("timedelta64[m]")
            warns = starts + (minutes * 45).astype("timedelta64[s]")  # 75 % of the minutes
        else:
            dues = calendar.add_many(starts, minutes)
            warns = calendar.add_many(starts, (minutes * 45).astype("timedelta64[s]"))
        for (case_id, _created, kind, mins), due64, warn64 in zip(items, dues, warns, strict=True):
            due = due64.astype("datetime64[us]").item()
            warn = warn64.astype("datetime64[us]").item()
            _, _, _, status, _, responded, solved = by_id[case_id]
            stopped = responded if kind == "first_response" else solved
            met = stopped if stopped is not None and stopped <= due else None
            running = status in ("new", "open", "on_hold") and stopped is None
            late = (stopped is not None and stopped > due) or (running and due <= naive_now)
            clocks.append(
                (
                    case_id,
                    kind,
                    mins,
                    clock,
                    out.when(due),
                    out.when(met),
                    out.when(due if late else None),
                )
            )
            if not running:
                continue
            for event, fraction, at in (("warning", 0.75, warn), ("breach", 1.0, due)):
                past = at <= naive_now
                pending += not past
                timers.append(
                    (
                        case_id,
                        kind,
                        event,
                        fraction,
                        1,
                        out.when(at),
                        out.when(due),
                        "bench" if past else "",
                        out.when(at if past else None),
                        event if past else "",
                    )
                )
            if due > naive_now:
                next_due[case_id] = min(due, next_due.get(case_id, due))
    # Loaded without their secondary indexes, which are built once at the end (as a restore
    # does): inserting a million rows into eight list indexes in random order is much slower.
    indexes = out.drop_indexes([Case, SlaClock, SlaTimer, CaseEvent, Pause])
    case_columns = [
        *("id", "account_id", "requester_id", "subject", "description", "severity", "channel"),
        *("line", "status", "assignee_id", "region_id", "queue_weight", "created_at"),
        *("updated_at", "first_responded_at", "solved_at", "closed_at", "next_due_at"),
    ]
    out.insert(
        Case,
        case_columns,
        ((*row, out.when(next_due.get(row[0]))) for row in cases),
    )
    out.insert(Case.cc.through, ["case_id", "user_id"], cc_rows)
    out.insert(
        SlaClock,
        ["case_id", "target", "target_minutes", "clock", "due_at", "met_at", "breached_at"],
        clocks,
    )
    out.insert(
        SlaTimer,
        [
            *("case_id", "target", "event", "fraction", "generation", "fire_at", "due_at"),
            *("claimed_by", "fired_at", "outcome"),
        ],
        timers,
    )
    out.insert(
        Pause,
        ["case_id", "started_at"],
        ((m[0], out.when(m[4] + (naive_now - m[4]) / 2)) for m in meta if m[3] == "waiting"),
    )
    out.insert(
        CaseEvent,
        ["case_id", "actor_id", "at", "kind", "note"],
        ((row[0], row[2], row[12], "created", "") for row in cases),
    )
    out.create_indexes(indexes)
    out.reset_sequences([Case, Case.cc.through, SlaClock, SlaTimer, Pause, CaseEvent])
    return {
        "cases": n_cases,
        "active": sum(1 for m in meta if m[3] in active_statuses),
        "timers": pending,
        "clocks": len(clocks),
    }


# --- measuring in-process ---------------------------------------------------------------------


def _timed(
    fn: Callable[[], Any], samples: int, warmup: int = 3, cpu: list[float] | None = None
) -> list[float]:
    """Wall-clock milliseconds per call; with `cpu`, also this process's CPU milliseconds.

    On a machine shared with other work the wall clock includes the time spent waiting for a
    CPU; the process's CPU time does not (in-process on SQLite it is all of a request's work).
    """
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(samples):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - start_cpu) * 1000)
    return out


def measure(world: dict[str, Any], samples: int) -> dict[str, Any]:
    """Every list filter, one case and opening a case, through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tierdesk.accounts.models import User
    from tierdesk.accounts.services.tokens import api_token_create
    from tierdesk.tickets.models import Case, Message

    tokens = {}
    for who in ("supervisor", "agent_l2", "engineer", "admin", "member"):
        _, tokens[who] = api_token_create(user=User.objects.get(pk=world[who]), name="bench")
    # A case of the big account with a conversation, for the case read.
    # An open one when there is one (at 1,000 cases the big account may have none open).
    cases = Case.objects.filter(account_id=world["account"]).order_by("pk")
    case = cases.filter(status="open").first() or cases.first()
    assert case is not None, "the big account has no case"
    agent = User.objects.get(pk=world["agent_l2"])
    Message.objects.bulk_create(
        Message(
            case=case,
            author_id=agent.pk if i % 2 else case.requester_id,
            body=f"Message {i}: please try **this**.",
            is_public=i % 5 != 4,
            created_at=case.created_at + timedelta(minutes=10 * i),
        )
        for i in range(10)
    )
    world = {**world, "tokens": tokens, "read_case": case.pk, "case": case.pk}
    api = Client()
    results: dict[str, Any] = {}

    def get(url: str, token: str) -> Callable[[], Any]:
        headers = {"Authorization": f"Bearer {token}"}

        def call() -> Any:
            response = api.get(url, headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url}: {response.status_code} {response.content[:200]!r}")
            return response

        return call

    def queries(fn: Callable[[], Any]) -> tuple[int, Any]:
        """SQL statements of one request; transaction control (BEGIN IMMEDIATE, COMMIT,
        savepoints: SQLite's are sent as statements) is not counted."""
        with CaptureQueriesContext(connection) as context:
            response = fn()
        control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
        statements = [q for q in context.captured_queries if not q["sql"].startswith(control)]
        return len(statements), response

    for label, who, query in FILTERS:
        call = get("/api/v1/cases?" + query.format(**world), tokens[who])
        call()  # the token's once-a-minute last-used write is not counted below
        count, response = queries(call)
        body = response.json()
        cpu: list[float] = []
        results[label] = {
            "ms": _timed(call, samples, cpu=cpu),
            "cpu_ms": cpu,
            "queries": count,
            "rows": len(body["items"]),
            "count": body["count"],
        }
    call = get(f"/api/v1/cases/{case.pk}", tokens["admin"])
    call()
    count, _ = queries(call)
    cpu = []
    results["case read"] = {"ms": _timed(call, samples, cpu=cpu), "cpu_ms": cpu, "queries": count}

    counter = iter(range(10**9))

    def create() -> Any:
        response = api.post(
            "/api/v1/cases",
            {"subject": "Audio drops", "description": "Since Monday.", "severity": 3},
            content_type="application/json",
            headers={
                "Authorization": f"Bearer {tokens['admin']}",
                "Idempotency-Key": f"b-{next(counter)}",
            },
        )
        if response.status_code != 201:
            raise RuntimeError(f"create: {response.status_code} {response.content[:200]!r}")
        return response

    create()
    count, _ = queries(create)
    cpu = []
    results["create"] = {"ms": _timed(create, samples, cpu=cpu), "cpu_ms": cpu, "queries": count}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
        else:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    return {"database": database, "world": world, "inprocess": results}


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


# --- reporting --------------------------------------------------------------------------------


def _print_run(run: dict[str, Any]) -> None:
    world = run["world"]
    print()
    print(
        f"== {run['database']}, {world['cases']:,} cases ({world['active']:,} active, "
        f"{world['clocks']:,} clocks, {world['timers']:,} pending timers); "
        f"built in {run['build_seconds']:.0f} s =="
    )
    http = run.get("http", {})
    print(
        f"{'operation':<44} {'queries':>7} {'count':>7}   {'in-process p50/p95 ms':>21}"
        f"   {'HTTP p50/p95 ms':>15}"
    )
    for label, figures in run["inprocess"].items():
        line = (
            f"{label:<44} {figures.get('queries', ''):>7} {figures.get('count', ''):>7}   "
            f"{statistics.median(figures['ms']):>9.2f} / {p95(figures['ms']):>7.2f}"
        )
        if label in http:
            h = http[label]["ms"]
            line += f"   {statistics.median(h):>7.2f} / {p95(h):>6.2f}"
        print(line)
    for label, values in run.get("sweep", {}).items():
        if isinstance(values, str):
            print(f"{label:<44} {values}")
        else:
            high = p95(values) if len(values) > 1 else values[0]
            print(f"{label:<44} {'':>7} {'':>7}   {statistics.median(values):>9.1f} / {high:>7.1f}")
    for label, figures in http.items():
        if label not in run["inprocess"]:
            h = figures["ms"]
            print(
                f"{label:<44} {'':>7} {'':>7}   {'':>21}   "
                f"{statistics.median(h):>7.2f} / {p95(h):>6.2f}  ({figures['per_second']:.0f}/s)"
            )


GOALS = {"SQLite": (10.0, 6.0), "PostgreSQL": (15.0, 12.0)}


def _print_summary(runs: list[dict[str, Any]]) -> None:
    """In-process p95 per operation per size, and which goals are met."""
    by_db: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        by_db.setdefault(run["database"].split()[0], []).append(run)
    for database, own in by_db.items():
        own.sort(key=lambda r: r["world"]["cases"])
        read_goal, create_goal = GOALS[database]
        sizes = [r["world"]["cases"] for r in own]
        print()
        print(
            f"== {database}: in-process p95 ms by size (goal: reads <= {read_goal:g} ms, ", end=""
        )
        print(f"create <= {create_goal:g} ms and <= 10 queries; flat: largest <= 1.5 x smallest)")
        header = "".join(f"{s:>11,}" for s in sizes)
        print(f"{'operation':<44}{header}  verdict")
        for label in own[0]["inprocess"]:
            p95s = [p95(r["inprocess"][label]["ms"]) for r in own]
            goal = create_goal if label == "create" else read_goal
            misses = []
            if max(p95s) > goal:
                misses.append(f"over {goal:g} ms")
            if len(p95s) > 1 and p95s[-1] > 1.5 * p95s[0]:
                misses.append(f"x{p95s[-1] / p95s[0]:.1f} growth")
            if label == "create" and max(r["inprocess"][label]["queries"] for r in own) > 10:
                misses.append("over 10 queries")
            cells = "".join(f"{p:>11.2f}" for p in p95s)
            print(f"{label:<44}{cells}  {'ok' if not misses else 'MISSED: ' + ', '.join(misses)}")


if __name__ == "__main__":
    sys.exit(main())
