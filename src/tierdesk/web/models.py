"""Worker liveness, read by /healthz: the queue's heartbeat and the supervisor's process states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last time a background worker proved it was alive (one row per worker name).

    Two writers share the table. The heartbeat task writes the row named "worker" through the
    task queue (proving enqueue, storage, consumer and database). `tierdesk serve` writes one row
    per task-worker process it supervises, named "serve:<host>:<pid>:task-<n>", every few seconds,
    with the process id and whether it is running: /healthz turns red within seconds of a
    worker's death instead of waiting for the queue's heartbeat to go stale.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        DOWN = "down", _("down, restarting")

    name = models.CharField(_("worker"), max_length=64, unique=True)
    beat_at = models.DateTimeField(_("last beat"))
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, blank=True)
    restarts = models.PositiveIntegerField(_("restarts"), default=0)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
