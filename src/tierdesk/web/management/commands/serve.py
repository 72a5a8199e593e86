"""`tierdesk serve`: gunicorn and the task workers together, supervised; Ctrl-C stops them all.

The command binds the listening socket itself and hands it to gunicorn (`--bind fd://N`), so a
busy port is a one-line error before anything starts, `--port 0` takes any free port, and the
address it prints is the one that was bound. gunicorn supervises its own web processes; this
command supervises gunicorn and the task workers (`tierdesk run_huey`): a task worker that dies
is started again after a back-off (1 s, doubling up to 30 s, reset once a worker has stayed up
for a minute), and meanwhile its row in the heartbeat table says "down", which turns /healthz
red within seconds. If gunicorn itself exits, everything stops with status 1 (a process manager
such as systemd starts it again).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from tierdesk.web.health import SUPERVISOR_BEAT_SECONDS, SUPERVISOR_MAX_AGE, supervised_name_prefix
from tierdesk.web.models import WorkerHeartbeat

logger = logging.getLogger("tierdesk.serve")

BACKOFF_MAX_SECONDS = 30.0
# A worker that stays up this long has recovered: its next death restarts it at the first delay.
BACKOFF_RESET_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 30.0
POLL_SECONDS = 0.25


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Ask Linux to send the child SIGTERM when this supervisor dies, even by SIGKILL."""
    with contextlib.suppress(Exception):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


@dataclass
class TaskWorker:
    """One supervised `tierdesk run_huey` process and its restart bookkeeping."""

    number: int
    command: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restart_at: float = 0.0
    delay: float = 1.0
    restarts: int = 0
    pids: list[int] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Command(BaseCommand):
    help = (
        "Serve tierdesk with gunicorn (--workers web processes) and --task-workers task workers, "
        "restarting a task worker that dies, until interrupted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1)."
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Port to listen on; 0 takes any free port."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY") or 2),
            help="gunicorn web processes (default WEB_CONCURRENCY, else 2).",
        )
        parser.add_argument(
            "--task-workers",
            type=int,
            default=1,
            help="Task-worker processes (tierdesk run_huey); 0 runs none here (default 1).",
        )
        parser.add_argument(
            "--restart-delay",
            type=float,
            default=1.0,
            help="Seconds before the first restart of a dead task worker; doubles each time.",
        )

    def fail(self, message: str) -> NoReturn:
        """Print a one-line error and exit with status 2 (nothing has been started)."""
        self.stderr.write(_("error: %(message)s") % {"message": " ".join(message.split())})
        raise SystemExit(2)

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        workers: int,
        task_workers: int,
        restart_delay: float,
        **options: Any,
    ) -> None:
        if workers < 1:
            self.fail(_("--workers must be at least 1"))
        if task_workers < 0:
            self.fail(_("--task-workers must be 0 or more"))
        if not 0 <= port <= 65535:
            self.fail(_("--port must be between 0 and 65535"))
        if restart_delay <= 0:
            self.fail(_("--restart-delay must be more than 0 seconds"))
        host = host.strip("[]")
        listener = self.listen(host, port)
        bound_port = listener.getsockname()[1]
        self.supervisor_prefix = supervised_name_prefix(os.getpid())
        self.child_env = dict(os.environ)
        self.stopping = False
        self.stop_signal = 0
        previous = {
            signum: signal.signal(signum, self.on_signal)
            for signum in (signal.SIGINT, signal.SIGTERM)
        }
        shown = f"[{host}]" if ":" in host else host
        if not os.environ.get("SITE_URL"):
            # Links in e-mails point where this server answers (an operator sets SITE_URL to the
            # public address in production). A wildcard address is reached by the machine's name.
            reach = socket.gethostname() if host in {"0.0.0.0", "::", ""} else shown  # noqa: S104
            self.child_env["SITE_URL"] = f"http://{reach}:{bound_port}"
        tierdesk = [sys.executable, "-m", "tierdesk"]
        web = self.spawn(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "python:tierdesk.config.gunicorn",
                "--bind",
                f"fd://{listener.fileno()}",
                "--workers",
                str(workers),
                "tierdesk.config.wsgi:application",
            ],
            pass_fds=(listener.fileno(),),
        )
        # The web server has its own copy of the socket; the supervisor's is no longer needed.
        listener.close()
        tasks = [
            TaskWorker(
                number=number,
                # Only the first task worker schedules periodic jobs, so none is enqueued twice.
                command=[*tierdesk, "run_huey", *(["--no-periodic"] if number > 1 else [])],
                delay=restart_delay,
            )
            for number in range(1, task_workers + 1)
        ]
        for task in tasks:
            self.start_task_worker(task)
        self.stdout.write(
            _(
                "tierdesk is serving on http://%(host)s:%(port)d/ with %(workers)d web processes "
                "and %(tasks)d task workers (Ctrl-C stops it)"
            )
            % {"host": shown, "port": bound_port, "workers": workers, "tasks": task_workers}
        )
        self.stdout.flush()
        status = 0
        try:
            status = self.supervise(web, tasks, restart_delay)
        finally:
            self.stop(web, tasks)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if status:
            raise SystemExit(status)

    def listen(self, host: str, port: int) -> socket.socket:
        """Bind and listen on host:port, or exit with a one-line error."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        except socket.gaierror as error:
            self.fail(
                _("cannot listen on %(host)s: %(reason)s")
                % {"host": host, "reason": error.strerror}
            )
        family, kind, proto, _name, address = infos[0]
        listener = socket.socket(family, kind, proto)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind(address)
            listener.listen(2048)
        except OSError as error:
            listener.close()
            if error.errno == 98:  # EADDRINUSE
                self.fail(
                    _("port %(port)d on %(host)s is already in use") % {"port": port, "host": host}
                )
            self.fail(
                _("cannot listen on %(host)s port %(port)d: %(reason)s")
                % {"host": host, "port": port, "reason": error.strerror}
            )
        listener.set_inheritable(True)
        return listener

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        """SIGINT or SIGTERM: leave the supervision loop and stop the children."""
        self.stopping = True
        self.stop_signal = signum

    def spawn(self, command: list[str], pass_fds: tuple[int, ...] = ()) -> subprocess.Popen[bytes]:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command,
            env=self.child_env,
            pass_fds=pass_fds,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )

    def start_task_worker(self, task: TaskWorker) -> None:
        task.process = self.spawn(task.command)
        task.started_at = time.monotonic()
        task.pids.append(task.process.pid)
        self.record(task)

    def supervise(
        self, web: subprocess.Popen[bytes], tasks: list[TaskWorker], restart_delay: float
    ) -> int:
        """Watch the children until a signal arrives; the exit status for the command."""
        next_beat = 0.0
        while not self.stopping:
            now = time.monotonic()
            if web.poll() is not None:
                self.stderr.write(
                    _("error: the web server exited with status %(status)s")
                    % {"status": web.returncode}
                )
                return 1
            for task in tasks:
                if task.process is not None and task.process.poll() is not None:
                    logger.warning(
                        "task worker %d (pid %d) exited with status %s; restarting in %.1f s",
                        task.number,
                        task.process.pid,
                        task.process.returncode,
                        task.delay,
                    )
                    task.process = None
                    task.restart_at = now + task.delay
                    task.delay = min(task.delay * 2, BACKOFF_MAX_SECONDS)
                    task.restarts += 1
                    self.record(task)
                elif task.process is None and now >= task.restart_at:
                    self.start_task_worker(task)
                    logger.warning("task worker %d restarted (pid %d)", task.number, task.pids[-1])
                elif task.running and now - task.started_at >= BACKOFF_RESET_SECONDS:
                    task.delay = restart_delay
            if now >= next_beat:
                for task in tasks:
                    self.record(task)
                next_beat = now + SUPERVISOR_BEAT_SECONDS
            time.sleep(POLL_SECONDS)
        return 0

    def record(self, task: TaskWorker) -> None:
        """Write the task worker's state to the heartbeat table; database trouble is only logged."""
        state = WorkerHeartbeat.State.RUNNING if task.running else WorkerHeartbeat.State.DOWN
        try:
            WorkerHeartbeat.objects.update_or_create(
                name=f"{self.supervisor_prefix}task-{task.number}",
                defaults={
                    "beat_at": timezone.now(),
                    "pid": task.process.pid if task.process is not None else None,
                    "state": state,
                    "restarts": task.restarts,
                },
            )
        except DatabaseError as error:
            logger.warning("could not record task worker %d's state: %s", task.number, error)
            connection.close()

    def stop(self, web: subprocess.Popen[bytes], tasks: list[TaskWorker]) -> None:
        """Stop gracefully: gunicorn on SIGTERM, task workers on SIGINT; kill what lingers."""
        if web.poll() is None:
            web.send_signal(signal.SIGTERM)
        for task in tasks:
            if task.running and task.process is not None:
                task.process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        children = [web, *(task.process for task in tasks if task.process is not None)]
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        try:
            WorkerHeartbeat.objects.filter(name__startswith=self.supervisor_prefix).delete()
            # Rows left by supervisors on this machine that died without cleaning up.
            host_prefix = self.supervisor_prefix.rsplit(":", 2)[0] + ":"
            WorkerHeartbeat.objects.filter(
                name__startswith=host_prefix,
                beat_at__lt=timezone.now() - SUPERVISOR_MAX_AGE,
            ).delete()
        except DatabaseError as error:
            logger.warning("could not remove the task workers' rows: %s", error)
