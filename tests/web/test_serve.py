"""`tierdesk serve` as an operator runs it: a subprocess on a free port over a temporary SQLite.

Every wait is bounded; nothing here times performance.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
SERVING = re.compile(r"serving on http://([^/]+):(\d+)/")


def production_env(data_dir: Path) -> dict[str, str]:
    """The environment of a real run: default settings, SQLite in data_dir, no test overrides."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "SITE_URL"}
    }
    env.update(
        TIERDESK_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="tierdesk.config.settings",
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="WARNING",
        GUNICORN_ACCESS_LOG="",
    )
    return env


def tierdesk(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tierdesk", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def get(url: str) -> tuple[int, bytes]:
    status, _headers, body = fetch(url)
    return status, body


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with OPENER.open(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def wait_for(what: str, check: Callable[[], Any], timeout: float = 60) -> Any:
    """Poll until check() returns something true; fail saying what never happened."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            found = check()
        except (OSError, ValueError) as error:  # not answering yet: remembered, not returned
            last = error
        else:
            if found:
                return found
            last = found
        time.sleep(0.2)
    pytest.fail(f"{what} did not happen within {timeout} s (last: {last!r})")


@dataclass
class Served:
    process: subprocess.Popen[str]
    base_url: str
    output: Path

    def health(self) -> tuple[int, dict[str, Any]]:
        status, body = get(f"{self.base_url}/healthz")
        return status, json.loads(body)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("serve-data")
    result = tierdesk("migrate", "--no-input", "-v", "0", env=production_env(folder))
    assert result.returncode == 0, result.stderr
    return folder


def start_serve(data_dir: Path, tmp_path: Path, *args: str) -> Served:
    output = tmp_path / "serve.log"
    with output.open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tierdesk", "serve", "--port", "0", *args],
            env=production_env(data_dir),
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
    assert process.stdout is not None
    first_line = process.stdout.readline()  # serve prints it once the socket is bound
    match = SERVING.search(first_line)
    if not match:
        process.kill()
        process.wait(10)
        pytest.fail(f"no 'serving on' line: {first_line!r}\n{output.read_text()}")
    return Served(process, f"http://{match[1]}:{match[2]}", output)


@pytest.fixture
def serve(data_dir: Path, tmp_path: Path) -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def _start(*args: str) -> Served:
        served = start_serve(data_dir, tmp_path, *args)
        started.append(served)
        return served

    yield _start
    for served in started:
        if served.process.poll() is None:
            served.process.send_signal(signal.SIGTERM)
            try:
                served.process.wait(40)
            except subprocess.TimeoutExpired:
                served.process.kill()
                served.process.wait(10)
        if served.process.stdout is not None:
            served.process.stdout.close()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie of ours still answers kill(0): look at its state
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_serve_runs_gunicorn_restarts_a_killed_task_worker_and_health_says_so(serve):
    served = serve("--workers", "2", "--task-workers", "2", "--restart-delay", "6")

    def healthy() -> dict[str, Any] | None:
        status, report = served.health()
        processes = report["worker"]["processes"]
        return report if status == 200 and len(processes) == 2 else None

    report = wait_for("a green /healthz with two supervised task workers", healthy)
    processes = {p["name"].rsplit(":", 1)[1]: p for p in report["worker"]["processes"]}
    assert {p["state"] for p in processes.values()} == {"running"}
    victim = processes["task-1"]["pid"]
    other = processes["task-2"]["pid"]
    # The web server is gunicorn, not Django's development server; whitenoise serves the static
    # files (no collectstatic has run: it finds them in the apps' folders).
    status, headers, css = fetch(f"{served.base_url}/static/web/tierdesk.css")
    assert status == 200
    assert headers["Server"] == "gunicorn"
    assert css

    # Without SITE_URL, links in e-mails point where this server answers: its children know it.
    environ = Path(f"/proc/{victim}/environ").read_bytes().split(b"\0")
    assert f"SITE_URL={served.base_url}".encode() in environ

    os.kill(victim, signal.SIGKILL)

    def reported_down() -> dict[str, Any] | None:
        status, report = served.health()
        states = {p["name"].rsplit(":", 1)[1]: p for p in report["worker"]["processes"]}
        return report if status == 503 and states["task-1"]["state"] == "down" else None

    # Within seconds (the supervisor polls every 0.25 s), not after WORKER_HEARTBEAT_MAX_AGE.
    report = wait_for("/healthz reporting the killed worker down", reported_down, timeout=5.5)
    assert report["worker"]["ok"] is False
    assert report["worker"]["age_seconds"] < 180  # the queue's heartbeat alone was still fresh

    def restarted() -> dict[str, Any] | None:
        status, report = served.health()
        states = {p["name"].rsplit(":", 1)[1]: p for p in report["worker"]["processes"]}
        task = states["task-1"]
        fine = status == 200 and task["state"] == "running" and task["pid"] != victim
        return states if fine else None

    states = wait_for("the killed task worker restarted", restarted, timeout=30)
    assert states["task-1"]["restarts"] == 1
    assert pid_alive(states["task-1"]["pid"])
    assert states["task-2"]["pid"] == other
    assert states["task-2"]["restarts"] == 0
    assert served.process.poll() is None  # killing a worker did not take serve down

    # SIGTERM stops everything cleanly.
    children = [states["task-1"]["pid"], other]
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(40) == 0
    for pid in children:
        wait_for(f"task worker {pid} gone", lambda pid=pid: not pid_alive(pid), timeout=10)
    with pytest.raises(OSError):
        get(f"{served.base_url}/healthz")


def test_a_busy_port_is_a_one_line_error_and_status_2(data_dir):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen(1)
        port = held.getsockname()[1]
        result = tierdesk(
            "serve", "--port", str(port), "--task-workers", "0", env=production_env(data_dir)
        )
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: port {port} on 127.0.0.1 is already in use"
    assert "serving on" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers", "0"], "error: --workers must be at least 1"),
        (["--task-workers", "-1"], "error: --task-workers must be 0 or more"),
        (["--port", "70000"], "error: --port must be between 0 and 65535"),
    ],
)
def test_bad_options_are_a_one_line_error(data_dir, args, message):
    result = tierdesk("serve", *args, env=production_env(data_dir))
    assert result.returncode == 2
    assert result.stderr.strip() == message


def test_serve_prints_the_port_it_bound(serve):
    served = serve("--workers", "1", "--task-workers", "0")
    port = int(served.base_url.rsplit(":", 1)[1])
    assert port != 0
    status, report = wait_for("an answer on the printed port", lambda: served.health())
    assert status in (200, 503)  # 503 without a recent heartbeat, but the web server answers
    assert report["database"]["ok"] is True
    assert report["worker"]["processes"] == []  # --task-workers 0: none supervised here
