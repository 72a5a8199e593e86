"""Community threads in the help center's search (knowledge's index, kind "thread").

A visible thread that is not a duplicate is found by its title, its question and its accepted
solution; a hidden, merged or duplicate thread leaves the index. Called after each change that
alters one of these (in the caller's transaction).
"""

from __future__ import annotations

from tierdesk.knowledge.models import SearchKind
from tierdesk.knowledge.services.search import search_index_put

from ..models import Post, Thread


def thread_search_update(*, thread_id: int) -> None:
    thread = Thread.objects.filter(pk=thread_id).first()
    if thread is None:
        search_index_put(
            kind=SearchKind.THREAD, object_id=thread_id, language="en", slug=str(thread_id),
            title="", body="", found=False,
        )  # fmt: skip
        return
    texts = list(
        Post.objects.filter(thread=thread, is_hidden=False)
        .filter(pk__in=[p for p in (thread.accepted_post_id,) if p] or [0])
        .values_list("body", flat=True)
    )
    question = (
        Post.objects.filter(thread=thread, is_question=True).values_list("body", flat=True).first()
    )
    search_index_put(
        kind=SearchKind.THREAD,
        object_id=thread.pk,
        language=thread.language,
        slug=str(thread.pk),
        title=thread.title,
        body="\n\n".join([question or "", *texts]),
        found=not thread.is_hidden and thread.duplicate_of_id is None,
    )
