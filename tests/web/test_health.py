from datetime import timedelta

import pytest
from django.utils import timezone

from tierdesk.web.models import WorkerHeartbeat
from tierdesk.web.tasks import record_heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_is_503_without_a_worker_heartbeat(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["worker"]["ok"] is False


def test_healthz_is_200_after_the_heartbeat_task_ran(client, django_capture_on_commit_callbacks):
    # Tasks are enqueued when the transaction commits; the test huey runs them at once.
    with django_capture_on_commit_callbacks(execute=True):
        record_heartbeat.enqueue()
    assert WorkerHeartbeat.objects.filter(name="worker").exists()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_is_503_when_the_heartbeat_is_stale(client, settings):
    WorkerHeartbeat.objects.create(
        name="worker",
        beat_at=timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE + 5),
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"]["age_seconds"] > settings.WORKER_HEARTBEAT_MAX_AGE


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from tierdesk.web import health

    monkeypatch.setattr(health, "database_ok", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False


def test_healthz_is_503_as_soon_as_the_supervisor_reports_a_task_worker_down(client):
    now = timezone.now()
    WorkerHeartbeat.objects.create(name="worker", beat_at=now)  # the queue's beat is fresh
    WorkerHeartbeat.objects.create(
        name="serve:box:41:task-1", beat_at=now, pid=None, state="down", restarts=1
    )
    WorkerHeartbeat.objects.create(name="serve:box:41:task-2", beat_at=now, pid=77, state="running")
    response = client.get("/healthz")
    assert response.status_code == 503
    worker = response.json()["worker"]
    assert worker["ok"] is False
    assert [(p["state"], p["restarts"], p["ok"]) for p in worker["processes"]] == [
        ("down", 1, False),
        ("running", 0, True),
    ]


def test_healthz_ignores_the_rows_of_a_supervisor_that_is_gone(client):
    now = timezone.now()
    WorkerHeartbeat.objects.create(name="worker", beat_at=now)
    WorkerHeartbeat.objects.create(
        name="serve:box:41:task-1", beat_at=now - timedelta(minutes=5), state="down"
    )
    WorkerHeartbeat.objects.create(name="serve:box:42:task-1", beat_at=now, pid=9, state="running")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert [p["name"] for p in response.json()["worker"]["processes"]] == ["serve:box:42:task-1"]
