"""Worker tasks of the help center: embedding the search entries a large change left without."""

from __future__ import annotations

from django_tasks import task

from .services.search import search_embeddings_fill as _fill


@task()
def search_embeddings_fill() -> int:
    """Embed every search entry that has no embedding yet; idempotent. How many were."""
    return _fill()
