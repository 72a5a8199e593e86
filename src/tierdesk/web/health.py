"""Health of the database and of the background workers.

The worker is healthy when the queue's heartbeat is fresh (the periodic task went through the
queue within WORKER_HEARTBEAT_MAX_AGE seconds) and no task-worker process that `tierdesk serve`
supervises is down. The supervisor rewrites its rows every SUPERVISOR_BEAT_SECONDS; rows older
than SUPERVISOR_MAX_AGE belong to a supervisor that is gone and are ignored.
"""

from __future__ import annotations

import socket
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import WorkerHeartbeat

WORKER_NAME = "worker"
SUPERVISED_PREFIX = "serve:"
SUPERVISOR_BEAT_SECONDS = 2.0
SUPERVISOR_MAX_AGE = timedelta(seconds=10)


def supervised_name_prefix(pid: int) -> str:
    """The prefix of the rows that the supervisor with this process id writes on this machine."""
    host = socket.gethostname().split(".")[0][:32]
    return f"{SUPERVISED_PREFIX}{host}:{pid}:"


def database_ok() -> bool:
    """Whether the database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _supervised_processes() -> list[dict[str, object]]:
    """The task-worker processes that a live `tierdesk serve` reports, by name."""
    fresh = timezone.now() - SUPERVISOR_MAX_AGE
    rows = WorkerHeartbeat.objects.filter(
        name__startswith=SUPERVISED_PREFIX, beat_at__gte=fresh
    ).order_by("name")
    return [
        {
            "name": row.name,
            "pid": row.pid,
            "state": row.state,
            "restarts": row.restarts,
            "ok": row.state == WorkerHeartbeat.State.RUNNING,
        }
        for row in rows
    ]


def health_report() -> dict[str, object]:
    """The health document served at /healthz."""
    db_ok = database_ok()
    worker: dict[str, object] = {
        "ok": False,
        "last_beat": None,
        "age_seconds": None,
        "processes": [],
    }
    if db_ok:
        beat = WorkerHeartbeat.objects.filter(name=WORKER_NAME).first()
        processes = _supervised_processes()
        worker["processes"] = processes
        if beat is not None:
            age = timezone.now() - beat.beat_at
            fresh = age <= timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
            worker.update(
                ok=fresh and all(process["ok"] for process in processes),
                last_beat=beat.beat_at.isoformat(),
                age_seconds=round(age.total_seconds(), 1),
            )
    ok = db_ok and bool(worker["ok"])
    return {"status": "ok" if ok else "unavailable", "database": {"ok": db_ok}, "worker": worker}
