"""Health of the database and of the background worker."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import WorkerHeartbeat

WORKER_NAME = "worker"


def database_ok() -> bool:
    """Whether the database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def health_report() -> dict[str, object]:
    """The health document served at /healthz."""
    db_ok = database_ok()
    worker: dict[str, object] = {"ok": False, "last_beat": None, "age_seconds": None}
    if db_ok:
        beat = WorkerHeartbeat.objects.filter(name=WORKER_NAME).first()
        if beat is not None:
            age = timezone.now() - beat.beat_at
            worker = {
                "ok": age <= timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE),
                "last_beat": beat.beat_at.isoformat(),
                "age_seconds": round(age.total_seconds(), 1),
            }
    ok = db_ok and bool(worker["ok"])
    return {"status": "ok" if ok else "unavailable", "database": {"ok": db_ok}, "worker": worker}
