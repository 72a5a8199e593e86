"""The worker heartbeat: a periodic huey task enqueues a Django task that records the beat.

Going through Django's task API (not writing directly from the periodic job) proves the whole
path that the product's tasks use: enqueue, storage (SQLite or Redis), consumer, database.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, on_startup

from .health import WORKER_NAME
from .models import WorkerHeartbeat


@task()
def record_heartbeat(name: str = WORKER_NAME) -> str:
    """Record that the worker called `name` is alive now; returns the instant recorded."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"beat_at": now})
    return now.isoformat()


@db_periodic_task(crontab(minute="*"))
def heartbeat_every_minute() -> None:
    """Enqueue the heartbeat once a minute."""
    record_heartbeat.enqueue()


@on_startup()
def heartbeat_on_startup() -> None:
    """Beat as soon as a worker thread starts, so health turns green without waiting a minute."""
    record_heartbeat.call()
