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
