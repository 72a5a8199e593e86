"""Run tierdesk as production runs it, and test it over HTTP.

    .venv/bin/python tests/production/run.py [--max-examples N] [--schemathesis-advisory]

Needs PostgreSQL and Redis (skips, saying so, when either does not answer; `--require` fails
instead). It creates a fresh database (`tierdesk_prod_ci`, dropped at the end) and uses its own
Redis database number, migrates, collects the static files, checks that `check --deploy` is clean
with the production environment, loads the demo data, makes API tokens for demo users, starts
`tierdesk serve --workers 2 --task-workers 2` on a free port, and then runs

1. the HTTP workflow tests (`tests/production/test_http_workflow.py`) against it, and
2. schemathesis over the committed `openapi.json` (checks `not_a_server_error` and
   `status_code_conformance`), once as a customer account admin and once as an L1 agent; it
   prints the failures per operation.

It stops the server with SIGTERM (which must exit 0) and exits non-zero when any step failed.
With `--schemathesis-advisory`, schemathesis's findings are reported but do not fail the run.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DATABASE = "tierdesk_prod_ci"
ADMIN_URL = os.environ.get("PRODUCTION_CI_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_BASE = os.environ.get("PRODUCTION_CI_REDIS", "redis://127.0.0.1:6379")
REDIS_DB = int(os.environ.get("PRODUCTION_CI_REDIS_DB", "13"))
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# Demo users (tierdesk load_demo) whose tokens the tests use.
USERS = {
    "CUSTOMER": "admin@rossi-business.example",  # account admin, Premier+
    "OTHER_CUSTOMER": "member@rossi-pro.example",  # another account
    "AGENT_L1": "agent.l1.it@tierdesk.example",
    "AGENT_L2": "agent.l2.it@tierdesk.example",
}
MAKE_TOKENS = """
from tierdesk.accounts.models import User
from tierdesk.accounts.services.tokens import api_token_create
for key, email in {users!r}.items():
    _token, secret = api_token_create(user=User.objects.get(email=email), name="production CI")
    print(key, secret)
"""


def say(message: str) -> None:
    print(f"== {message}", flush=True)


def answers(what: str, check: Any) -> bool:
    try:
        check()
    except Exception as error:
        say(f"{what} does not answer ({error.__class__.__name__}: {error})")
        return False
    return True


def production_env(data_dir: Path) -> dict[str, str]:
    """The environment of docs/deploy.md, pointed at the CI database and Redis database."""
    base = ADMIN_URL.rsplit("/", 1)[0]
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "TIERDESK_", "GUNICORN_", "HUEY_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tierdesk.config.settings",
        TIERDESK_DATA_DIR=str(data_dir),
        DATABASE_URL=f"{base}/{DATABASE}",
        REDIS_URL=f"{REDIS_BASE}/{REDIS_DB}",
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="https://127.0.0.1",
        SECURE_COOKIES="true",
        SECURE_SSL_REDIRECT="true",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
        CONN_MAX_AGE="60",
        CONN_HEALTH_CHECKS="true",
        WHITENOISE_USE_FINDERS="false",
        CLIENT_IP_PROXY_COUNT="1",
        LOG_LEVEL="WARNING",
        GUNICORN_ACCESS_LOG="",
        PYTHONUNBUFFERED="1",
    )
    return env


def tierdesk(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    result = subprocess.run(  # noqa: S603
        [str(BIN / "tierdesk"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(
            f"tierdesk {' '.join(args[:2])} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def reset_services() -> None:
    import psycopg
    import redis

    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    redis.Redis.from_url(f"{REDIS_BASE}/{REDIS_DB}").flushdb()


def drop_services() -> None:
    import psycopg
    import redis

    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    redis.Redis.from_url(f"{REDIS_BASE}/{REDIS_DB}").flushdb()


def health(base_url: str) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(f"{base_url}/healthz")  # noqa: S310 - our own server
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def start_server(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[str], str]:
    with log.open("w") as stderr:
        server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "tierdesk"),
                "serve",
                "--port",
                "0",
                "--workers",
                "2",
                "--task-workers",
                "2",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    assert server.stdout is not None
    line = server.stdout.readline()
    say(line.strip())
    if "serving on http://" not in line:
        server.kill()
        raise SystemExit(f"tierdesk serve did not start:\n{log.read_text()}")
    base_url = line.split("serving on ", 1)[1].split("/ ", 1)[0].rstrip("/")
    deadline = time.monotonic() + 90
    last: Any = None
    while time.monotonic() < deadline:
        try:
            status, report = health(base_url)
            last = (status, report)
            if status == 200 and len(report["worker"]["processes"]) == 2:
                return server, base_url
        except (OSError, ValueError) as error:
            last = error
        time.sleep(0.5)
    stop_server(server)
    raise SystemExit(f"/healthz did not turn green within 90 s: {last}\n{log.read_text()}")


def stop_server(server: subprocess.Popen[str]) -> int:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
    try:
        status = server.wait(60)
    except subprocess.TimeoutExpired:
        server.kill()
        status = server.wait(10)
    if server.stdout is not None:
        server.stdout.close()
    return status


def run_schemathesis(
    base_url: str, who: str, token: str, max_examples: int, seed: int, report_dir: Path
) -> dict[str, Counter[str]]:
    """Run schemathesis as one user; failures per operation, by check."""
    report = report_dir / f"schemathesis-{who}.ndjson"
    command = [
        str(BIN / "schemathesis"),
        "run",
        str(ROOT / "openapi.json"),
        "--url",
        base_url,
        "--header",
        f"Authorization: Bearer {token}",
        # The proxy of docs/deploy.md says the client came over HTTPS.
        "--header",
        "X-Forwarded-Proto: https",
        "--checks",
        "not_a_server_error,status_code_conformance",
        "--max-examples",
        str(max_examples),
        "--workers",
        "2",
        "--seed",
        str(seed),
        "--no-shrink",
        # Every example of every operation, so that one failure does not hide the next.
        "--continue-on-failure",
        "--request-timeout",
        "30",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        "--suppress-health-check",
        "all",
        # Revoking tokens by guessed ids would revoke the run's own token half-way; the workflow
        # tests revoke one instead.
        "--exclude-path",
        "/api/v1/me/tokens/{token_id}",
    ]
    say(f"schemathesis as {who}: max {max_examples} examples per operation")
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603
        command, cwd=ROOT, capture_output=True, text=True, timeout=1200, check=False
    )
    say(f"schemathesis as {who}: exit {result.returncode} in {time.monotonic() - started:.0f} s")
    tail = "\n".join(result.stdout.splitlines()[-25:])
    print(tail, flush=True)
    return failures_per_operation(report)


def failures_per_operation(report: Path) -> dict[str, Counter[str]]:
    """Distinct failures per operation, keyed by check and what was received, from the NDJSON."""
    found: dict[str, Counter[str]] = {}
    if not report.exists():
        return found
    for line in report.read_text().splitlines():
        event = json.loads(line)
        if "NonFatalError" in event:
            error = event["NonFatalError"]
            label = error.get("label", "?")
            value = error.get("value", {})
            # schemathesis's own trouble (not an answer of the API): listed, never counted.
            kind = f"tool error, not counted: {value.get('type')}: {str(value.get('message'))[:50]}"
            found.setdefault(label, Counter())[kind] += 1
            continue
        body = event.get("ScenarioFinished")
        if not body:
            continue
        label = body.get("recorder", {}).get("label", "?")
        for case_checks in body.get("recorder", {}).get("checks", {}).values():
            for check in case_checks:
                if str(check.get("status")).lower() != "failure":
                    continue
                failure = (check.get("failure_info") or {}).get("failure") or {}
                received = str(failure.get("message", "")).split("\n", 1)[0]
                kind = f"{check['name']} ({received})" if received else check["name"]
                found.setdefault(label, Counter())[kind] += 1
    return found


def print_tracebacks(log: Path, limit: int = 5) -> None:
    """Print the server's first errors with their tracebacks, so that CI's output names a 500."""
    if not log.exists():
        return
    lines = log.read_text(errors="replace").splitlines()
    # A 4xx is logged as a WARNING with a traceback too; only ERROR lines are the server's fault.
    starts = [
        n + 1
        for n, line in enumerate(lines[:-1])
        if " ERROR " in line and lines[n + 1].startswith("Traceback")
    ]
    say(f"server log: {len(starts)} errors" + (f", the first {limit}:" if starts else ""))
    for start in starts[:limit]:
        end = start + 1
        while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end]):
            end += 1
        # The line before names the request; the one after the traceback the exception.
        print("\n".join(lines[max(start - 1, 0) : end + 1]), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=7, help="schemathesis's seed")
    parser.add_argument("--require", action="store_true", help="Fail when a service is missing.")
    parser.add_argument("--schemathesis-advisory", action="store_true")
    parser.add_argument("--skip-schemathesis", action="store_true")
    options = parser.parse_args()

    import psycopg
    import redis

    services = answers(
        "PostgreSQL", lambda: psycopg.connect(ADMIN_URL, connect_timeout=3).close()
    ) and answers("Redis", lambda: redis.Redis.from_url(REDIS_BASE, socket_timeout=3).ping())
    if not services:
        say("skipping the production run (PostgreSQL and Redis are needed)")
        return 1 if options.require else 0

    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="tierdesk-prod-ci-"))
    env = production_env(workdir / "data")
    failed: list[str] = []
    server = None
    try:
        say(f"fresh database {DATABASE}, Redis database {REDIS_DB}, data in {workdir}")
        reset_services()
        tierdesk(env, "migrate", "--no-input", "-v", "0")
        tierdesk(env, "collectstatic", "--no-input", "-v", "0")
        tierdesk(env, "check", "--deploy", "--fail-level", "WARNING")
        say("check --deploy: no issues")
        tierdesk(env, "load_demo")
        tokens = dict(
            line.split(" ", 1)
            for line in tierdesk(
                env, "shell", "-v", "0", "-c", MAKE_TOKENS.format(users=USERS)
            ).splitlines()
            if line.strip()
        )
        server, base_url = start_server(env, workdir / "serve.log")
        say(f"serving at {base_url} (log: {workdir / 'serve.log'})")

        test_env = {key: value for key, value in env.items() if key != "DJANGO_SETTINGS_MODULE"}
        test_env["TIERDESK_BASE_URL"] = base_url
        test_env["TIERDESK_SERVER_ENV"] = json.dumps(env)
        for key, secret in tokens.items():
            test_env[f"TIERDESK_TOKEN_{key}"] = secret
        say("HTTP workflow tests")
        result = subprocess.run(  # noqa: S603
            [str(BIN / "pytest"), "tests/production", "-q", "-p", "no:xdist"],
            env=test_env,
            cwd=ROOT,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            failed.append("HTTP workflow tests")

        if not options.skip_schemathesis:
            findings: dict[str, dict[str, Counter[str]]] = {}
            for who, key in (("customer-admin", "CUSTOMER"), ("agent-l1", "AGENT_L1")):
                findings[who] = run_schemathesis(
                    base_url, who, tokens[key], options.max_examples, options.seed, workdir
                )
            total = 0
            say("schemathesis: failing test cases per operation (check and what was received)")
            for who, per_operation in findings.items():
                for label, counts in sorted(per_operation.items()):
                    for kind, count in sorted(counts.items()):
                        total += 0 if kind.startswith("tool error") else count
                        print(f"   {who:15} {label:52} {count:4}  {kind}", flush=True)
            say(f"schemathesis: {total} failing test cases and errors")
            if total and not options.schemathesis_advisory:
                failed.append("schemathesis")
            elif total:
                say("schemathesis findings are advisory (--schemathesis-advisory)")

        status = stop_server(server)
        server = None
        if status != 0:
            failed.append(f"serve exited with {status} on SIGTERM")
        else:
            say("SIGTERM: serve stopped cleanly")
    finally:
        if server is not None:
            stop_server(server)
        drop_services()
        if not failed:
            shutil.rmtree(workdir, ignore_errors=True)
    say(f"production run: {time.monotonic() - started:.0f} s")
    if failed:
        print_tracebacks(workdir / "serve.log")
        say(f"FAILED: {', '.join(failed)} (logs in {workdir})")
        return 1
    say("production run passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
